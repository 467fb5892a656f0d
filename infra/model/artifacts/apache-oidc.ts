/**
 * mod_auth_openidc configuration for Keystone's Apache: the browser (websso) path with the code
 * flow + PKCE S256, and the bearer-token path (CLI) validated against the realm's JWKS. Every path
 * comes from the model's URLs. Facts it relies on (docs/local-services.md, verified on Debian's
 * mod_auth_openidc 2.4.12): claims become `OIDC-<claim>` env keys; `;` must be the delimiter;
 * OAuth (bearer) mode checks signature and expiry only, the mapping checks iss and azp.
 */
import type { DeploymentModel } from "../deployment-model";
import { discoveryUrl } from "../urls";
import { safe } from "../../base/safe-text";
import { APACHE_CLIENT_SECRET_REF, APACHE_PASSPHRASE_REF, type RenderSecrets } from "./secrets";

export interface ApacheOptions {
  /** memcached servers for sessions across several Keystone hosts, e.g. `10.0.0.5:11211`. Default: none (shm cache). */
  readonly memcacheServers?: readonly string[];
  /** Keystone sits behind a TLS-terminating proxy: trust X-Forwarded-Proto/Host/Port. Default false. */
  readonly behindProxy?: boolean;
  /** CA bundle path on the Keystone host for Keycloak's TLS certificate (OIDCCABundlePath). */
  readonly caBundlePath?: string;
  /**
   * Where Apache fetches the realm's signing keys, when not at the realm's own `jwks_uri`: a local
   * Keycloak whose issuer is http but that also listens with TLS on loopback (mod_auth_openidc
   * refuses an http JWKS URI). Must be https. Default: the realm's `jwks_uri`.
   */
  readonly jwksUri?: string;
}

const pathOf = (url: string) => new URL(url).pathname;

/** What a signed-in user without any granted group sees after a browser login. Constant text. */
export const REFUSED_PAGE =
  "<html><head><title>No access</title></head><body><h1>No access to this cloud</h1>" +
  "<p>You are signed in, but your account is in no group that grants access to any project here. " +
  "Ask your cloud administrator for access.</p></body></html>";
/** Denies every request of a location while a referenced secret is missing from Apache's environment. */
function failClosed(refs: readonly string[]): string[] {
  if (refs.length === 0) return [];
  const test = refs.map((r) => `-z osenv('${r.slice(2, -1)}')`).join(" || ");
  return [
    `  <If "${test}">`,
    "    # fail closed: a secret reference is not set in Apache's environment",
    "    Require all denied",
    "  </If>",
  ];
}

/** A secret's value, or the project's own reference to Apache's environment (the one `${...}` allowed). */
const secretArg = (value: string | undefined, ref: string) =>
  value !== undefined ? q(value) : `"${ref}"`;

/** An anchored regular expression matching URLs under `base` exactly (metacharacters escaped). */
const under = (base: string) => `^${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/`;
/** An Apache quoted argument; a value that could end the line or expand a variable is refused. */
const q = (s: string) =>
  `"${safe(s, "apache", "mod_auth_openidc configuration").replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

export function renderApacheOidc(
  model: DeploymentModel,
  secrets: RenderSecrets = {},
  opts: ApacheOptions = {},
): string {
  if (opts.jwksUri !== undefined && !/^https:\/\/[^\s"\\$]+$/.test(opts.jwksUri)) {
    throw new Error(
      `jwksUri: must be an https URL without spaces, quotes, backslashes or '$' (mod_auth_openidc refuses http), got ${JSON.stringify(opts.jwksUri)}`,
    );
  }
  const k = model.keystone.urls;
  const kc = model.keycloak;
  const f = model.federation;
  // Secrets left as references to Apache's environment: when one is unset, Apache only warns and
  // mod_auth_openidc would run with the literal placeholder (a publicly known passphrase).
  const bearerRefs = secrets.cryptoPassphrase === undefined ? [APACHE_PASSPHRASE_REF] : [];
  const browserRefs = [
    ...bearerRefs,
    ...(kc.client.accessType === "CONFIDENTIAL" && secrets.clientSecret === undefined
      ? [APACHE_CLIENT_SECRET_REF]
      : []),
  ];
  const lines = [
    `# mod_auth_openidc for Keystone: stack ${model.stack}, realm ${kc.realm.name}. Generated; do not edit.`,
    `OIDCProviderMetadataURL ${q(discoveryUrl(kc.issuer))}`,
    `OIDCClientID ${q(kc.client.clientId)}`,
    ...(kc.client.accessType === "CONFIDENTIAL"
      ? [`OIDCClientSecret ${secretArg(secrets.clientSecret, APACHE_CLIENT_SECRET_REF)}`]
      : []),
    `OIDCRedirectURI ${q(k.redirectUri)}`,
    `OIDCCryptoPassphrase ${secretArg(secrets.cryptoPassphrase, APACHE_PASSPHRASE_REF)}`,
    `OIDCResponseType "code"`,
    `OIDCPKCEMethod "${kc.client.pkceMethod}"`,
    `OIDCScope "openid email profile"`,
    `OIDCClaimPrefix ${q(f.claimPrefix)}`,
    `OIDCClaimDelimiter ${q(f.claimDelimiter)}`,
    `OIDCRemoteUserClaim "sub"`,
    `OIDCSessionType server-cache`,
    ...(opts.memcacheServers?.length
      ? ["OIDCCacheType memcache", `OIDCMemCacheServers ${q(opts.memcacheServers.join(" "))}`]
      : []),
    ...(opts.behindProxy
      ? ["OIDCXForwardedHeaders X-Forwarded-Proto X-Forwarded-Host X-Forwarded-Port"]
      : []),
    ...(opts.caBundlePath ? [`OIDCCABundlePath ${q(opts.caBundlePath)}`] : []),
    `OIDCDefaultLoggedOutURL ${q(model.horizon.urls[0] ? `${model.horizon.urls[0]}/` : `${model.keystone.url}/`)}`,
    // Horizon's logout sends the browser to `<redirect URI>?logout=<Horizon URL>`; Horizon usually
    // runs on another host than Keystone, which mod_auth_openidc refuses unless listed here.
    ...model.horizon.urls.map((u) => `OIDCRedirectURLsAllowed ${q(under(u))}`),
    "",
    "# Bearer tokens (CLI: v3oidcaccesstoken, v3oidcdeviceauthz) are validated against the realm's keys.",
    `OIDCOAuthVerifyJwksUri ${q(opts.jwksUri ?? kc.endpoints.jwks)}`,
    `OIDCOAuthRemoteUserClaim "sub"`,
    "",
    `<Location ${q(pathOf(k.redirectUri))}>`,
    "  AuthType openid-connect",
    "  Require valid-user",
    ...failClosed(browserRefs),
    "</Location>",
    "",
    "# Horizon's websso endpoints (browser login with the code flow). A user the mapping refuses",
    "# gets a page instead of Keystone's JSON error (WSGIErrorOverride hands the status to Apache).",
    ...[k.websso, k.webssoIdp].flatMap((u) => [
      `<Location ${q(pathOf(u))}>`,
      "  AuthType openid-connect",
      "  Require valid-user",
      "  WSGIErrorOverride On",
      `  ErrorDocument 401 ${q(REFUSED_PAGE)}`,
      ...failClosed(browserRefs),
      "</Location>",
    ]),
    "",
    "# The federated auth endpoint for bearer tokens.",
    `<Location ${q(pathOf(k.cliAuth))}>`,
    "  AuthType oauth20",
    "  Require valid-user",
    ...failClosed(bearerRefs),
    "</Location>",
    "",
  ];
  return lines.join("\n");
}
