/**
 * Where the Keystone credentials of the dynamic provider come from: the stack configuration handed
 * to `configure()` only: explicit credentials (`keystone.credentials` and its secret key), or the
 * clouds.yaml entry the stack names (`keystone.cloud`). The endpoint is always the stack's, and TLS
 * verification is off only when the stack says so (which only local and test stacks may). Ambient
 * `OS_*` variables and `OS_CLOUD` are never used: they could name another Keystone, or production
 * with verification off.
 * Nothing here is ever a resource input or output, so credentials never reach state. Every function
 * is self-contained (built-ins and `require` inside) because Pulumi serializes the provider by value.
 */

export type KeystoneAuth =
  | { readonly method: "applicationCredential"; readonly id: string; readonly secret: string }
  | {
      readonly method: "password";
      readonly username: string;
      readonly password: string;
      readonly userDomainName: string;
      readonly projectName?: string;
      readonly projectDomainName?: string;
    }
  | { readonly method: "token"; readonly token: string };

export interface KeystoneConnection {
  /** Identity API root, ending in /v3. */
  readonly authUrl: string;
  readonly auth: KeystoneAuth;
  /** PEM CA bundle file. */
  readonly caFile?: string;
  /** Skip TLS verification (only when explicitly set). */
  readonly insecure: boolean;
  /** Per-request timeout in ms. */
  readonly timeoutMs: number;
}

/**
 * What the provider checks itself before it sends a credential, because a refresh runs it on the
 * raw stack configuration before the program validates anything: TLS verification may be off only
 * on local and test stacks, and `authUrl` must name `url`'s host or one in `authHosts`.
 */
function endpointPolicy(
  ks: { url?: string; authUrl?: string; insecure?: boolean; authHosts?: string[] },
  rawEnvironment: string | undefined,
): void {
  let environment = rawEnvironment ?? "production";
  try {
    environment = String(JSON.parse(environment)); // a JSON-quoted string
  } catch {
    // a plain string
  }
  if (ks.insecure === true && environment !== "local" && environment !== "test")
    throw new Error(
      `keystone.insecure: TLS verification is off on a ${environment} stack; the Keystone provider sends no credential that way (give keystone.caBundle)`,
    );
  if (ks.authUrl === undefined) return;
  const host = (u: string | undefined) => {
    try {
      return new URL(String(u)).hostname.toLowerCase();
    } catch {
      return undefined;
    }
  };
  const allowed = [host(ks.url), ...(ks.authHosts ?? []).map((h) => h.toLowerCase())];
  const auth = host(ks.authUrl);
  if (auth === undefined || !allowed.includes(auth))
    throw new Error(
      `keystone.authUrl: names host ${auth ?? "(none)"}, not keystone.url's ${host(ks.url) ?? "(none)"}; the Keystone provider sends no credential there (list the host in keystone.authHosts if it is yours)`,
    );
}

/** Reads `configure()`'s stack configuration; undefined when the stack has no explicit credentials. */
export function connectionFromStackConfig(
  get: (key: string) => string | undefined,
): KeystoneConnection | undefined {
  // PROJECT_NAMESPACE (config/project.ts), written out: this code is serialized by value.
  const ns = "openstack-keycloak-federation";
  const rawKeystone = get(`${ns}:keystone`);
  if (!rawKeystone) return undefined;
  const ks = JSON.parse(rawKeystone) as {
    url?: string;
    authUrl?: string;
    cloud?: string;
    caBundle?: string;
    insecure?: boolean;
    authHosts?: string[];
    credentials?: {
      method?: string;
      applicationCredentialId?: string;
      username?: string;
      userDomainName?: string;
      projectName?: string;
      projectDomainName?: string;
    };
  };
  endpointPolicy(ks, get(`${ns}:environment`));
  const authUrl = (ks.authUrl ?? `${ks.url}/v3`).replace(/\/+$/, "");
  const c = ks.credentials;
  const base = {
    authUrl,
    insecure: ks.insecure === true,
    timeoutMs: 30_000,
    ...(ks.caBundle ? { caFile: ks.caBundle } : {}),
  };
  if (c?.method === "applicationCredential" && c.applicationCredentialId) {
    const secret = get(`${ns}:keystoneApplicationCredentialSecret`);
    if (secret)
      return {
        ...base,
        auth: { method: "applicationCredential", id: c.applicationCredentialId, secret },
      };
  }
  if (c?.method === "password" && c.username) {
    const password = get(`${ns}:keystonePassword`);
    if (password) {
      return {
        ...base,
        auth: {
          method: "password",
          username: c.username,
          password,
          userDomainName: c.userDomainName ?? "Default",
          projectName: c.projectName ?? "admin",
          projectDomainName: c.projectDomainName ?? "Default",
        },
      };
    }
  }
  if (c?.method === "token") {
    const token = get(`${ns}:keystoneToken`);
    if (token) return { ...base, auth: { method: "token", token } };
  }
  if (ks.cloud) {
    const fromCloud = connectionFromCloudsYaml(ks.cloud, process.env);
    if (!fromCloud)
      throw new Error(
        `keystone.cloud "${ks.cloud}": no such cloud with credentials in clouds.yaml (looked in $OS_CLIENT_CONFIG_FILE, ./clouds.yaml, ~/.config/openstack/clouds.yaml, /etc/openstack/clouds.yaml)`,
      );
    // The stack's endpoint and TLS policy, whatever the clouds.yaml entry says.
    return {
      ...fromCloud,
      authUrl,
      insecure: ks.insecure === true,
      ...(ks.caBundle ? { caFile: ks.caBundle } : {}),
    };
  }
  return undefined;
}

/** Reads a cloud entry from the standard clouds.yaml locations. */
export function connectionFromCloudsYaml(
  cloud: string,
  env: NodeJS.ProcessEnv,
): KeystoneConnection | undefined {
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  const os = require("node:os") as typeof import("node:os");
  const yaml = require("yaml") as typeof import("yaml");
  const candidates = [
    env.OS_CLIENT_CONFIG_FILE,
    path.join(process.cwd(), "clouds.yaml"),
    path.join(os.homedir(), ".config", "openstack", "clouds.yaml"),
    "/etc/openstack/clouds.yaml",
  ].filter((x): x is string => !!x);
  for (const file of candidates) {
    if (!fs.existsSync(file)) continue;
    const doc = yaml.parse(fs.readFileSync(file, "utf8")) as {
      clouds?: Record<
        string,
        { auth?: Record<string, string>; auth_type?: string; cacert?: string; verify?: boolean }
      >;
    };
    const entry = doc?.clouds?.[cloud];
    if (!entry?.auth?.auth_url) continue;
    const a = entry.auth;
    const authUrl = a.auth_url!.replace(/\/+$/, "").replace(/(\/v3)?$/, "/v3");
    const base = {
      authUrl,
      insecure: entry.verify === false,
      timeoutMs: 30_000,
      ...(entry.cacert ? { caFile: entry.cacert } : {}),
    };
    if (a.application_credential_id && a.application_credential_secret)
      return {
        ...base,
        auth: {
          method: "applicationCredential",
          id: a.application_credential_id,
          secret: a.application_credential_secret,
        },
      };
    if (a.token) return { ...base, auth: { method: "token", token: a.token } };
    if (a.username && a.password) {
      return {
        ...base,
        auth: {
          method: "password",
          username: a.username,
          password: a.password,
          userDomainName: a.user_domain_name ?? "Default",
          projectName: a.project_name,
          projectDomainName: a.project_domain_name ?? "Default",
        },
      };
    }
  }
  return undefined;
}
