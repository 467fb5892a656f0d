/**
 * What Keycloak holds under the names a stack derives, read with the stack's own admin login: the
 * proxy realm, the Keystone client (and the CLI client), their protocol mappers, the group tree and
 * the access roles. Users are never read or touched. A client or an identity provider found under
 * another name than the stack's is a refusal naming the key that would match it.
 */
import type { DeploymentModel } from "../../model/deployment-model";
import { exchange, type TlsOptions } from "../../providers/keystone/client";
import type { Wanted } from "./plan";

type Body = Record<string, unknown>;

export interface KeycloakLogin {
  readonly url: string;
  readonly tls: TlsOptions;
  /** The admin realm, the client to log in with, and the grant. */
  readonly realm: string;
  readonly clientId: string;
  readonly grant:
    | { readonly kind: "client"; readonly secret: string }
    | { readonly kind: "user"; readonly username: string; readonly password: string };
}

/** The login the stack's Keycloak provider uses (its secret from the stack's configuration). */
export function keycloakLogin(
  model: DeploymentModel,
  caBundle: string | undefined,
  secret: (key: string) => string | undefined,
): KeycloakLogin | undefined {
  const p = model.providers.keycloak;
  const tls = {
    insecure: p.insecure,
    timeoutMs: 30_000,
    ...(caBundle ? { caFile: caBundle } : {}),
  };
  const base = { url: p.url, tls, realm: p.realm, clientId: p.clientId };
  if (p.login.kind === "client") {
    const s = secret(p.login.secret);
    return s ? { ...base, grant: { kind: "client", secret: s } } : undefined;
  }
  if (p.login.kind === "user") {
    const s = secret(p.login.secret);
    return s
      ? { ...base, grant: { kind: "user", username: p.login.username, password: s } }
      : undefined;
  }
  return undefined;
}

export class KeycloakAdminApi {
  private token: string | undefined;
  constructor(private readonly login: KeycloakLogin) {}

  private async bearer(): Promise<string> {
    if (this.token) return this.token;
    const l = this.login;
    const form = new URLSearchParams(
      l.grant.kind === "client"
        ? { grant_type: "client_credentials", client_id: l.clientId, client_secret: l.grant.secret }
        : {
            grant_type: "password",
            client_id: l.clientId,
            username: l.grant.username,
            password: l.grant.password,
          },
    ).toString();
    const res = await exchange(
      l.tls,
      "POST",
      `${l.url}/realms/${encodeURIComponent(l.realm)}/protocol/openid-connect/token`,
      { "content-type": "application/x-www-form-urlencoded" },
      form,
    );
    const token = res.body.access_token;
    if (res.status !== 200 || typeof token !== "string")
      throw new Error(
        `Keycloak admin login at ${l.url} (realm ${l.realm}, client ${l.clientId}): HTTP ${res.status}; check keycloak.admin and its --secret key`,
      );
    this.token = token;
    return token;
  }

  /** GET of the admin API: the body, or undefined on 404. */
  async get(path: string): Promise<unknown> {
    const res = await exchange(
      this.login.tls,
      "GET",
      `${this.login.url}/admin/realms${path}`,
      { authorization: `Bearer ${await this.bearer()}` },
      undefined,
    );
    if (res.status === 404) return undefined;
    if (res.status !== 200)
      throw new Error(`Keycloak GET /admin/realms${path}: HTTP ${res.status}`);
    // Lists arrive as arrays: the JSON helper keeps them under no key.
    return Array.isArray(res.body) ? res.body : (res.body as unknown);
  }
}

/** The protocol mapper kind of each mapper resource type the program declares. */
const MAPPER_KINDS: Readonly<Record<string, string>> = {
  "keycloak:openid/audienceProtocolMapper:AudienceProtocolMapper": "oidc-audience-mapper",
  "keycloak:openid/userPropertyProtocolMapper:UserPropertyProtocolMapper":
    "oidc-usermodel-property-mapper",
  "keycloak:openid/subProtocolMapper:SubProtocolMapper": "oidc-sub-mapper",
  "keycloak:openid/userClientRoleProtocolMapper:UserClientRoleProtocolMapper":
    "oidc-usermodel-client-role-mapper",
  "keycloak:openid/userSessionNoteProtocolMapper:UserSessionNoteProtocolMapper":
    "oidc-usersessionmodel-note-mapper",
};

export interface KeycloakFound {
  /** Logical name -> import id. */
  readonly ids: Map<string, string>;
  /** Logical name -> what was found, for the report. */
  readonly what: Map<string, Wanted>;
  readonly refusals: string[];
  /** What stays in Keycloak unmanaged (e.g. a mapper the stack does not declare). */
  readonly unmanaged: string[];
}

/**
 * Finds the proxy realm's declared objects. `skeleton` names every Keycloak resource the stack
 * would create (logical name -> type), `prefix` is the Keycloak component's logical name.
 */
export async function findKeycloak(
  api: KeycloakAdminApi,
  model: DeploymentModel,
  prefix: string,
  skeleton: ReadonlyMap<string, string>,
): Promise<KeycloakFound> {
  const kc = model.keycloak;
  const realm = kc.realm.name;
  const r = encodeURIComponent(realm);
  const ids = new Map<string, string>();
  const what = new Map<string, Wanted>();
  const refusals: string[] = [];
  const unmanaged: string[] = [];
  const note = (logicalName: string, id: string, kind: string, name: string) => {
    if (!skeleton.has(logicalName)) return; // already in the state
    ids.set(logicalName, id);
    what.set(logicalName, { logicalName, kind: kind as Wanted["kind"], name, key: logicalName });
  };

  // Customer realms are not taken over: creating one that exists would fail half-way through `up`.
  for (const cr of kc.customerRealms)
    if ((await api.get(`/${encodeURIComponent(cr.name)}`)) !== undefined)
      refusals.push(
        `tenants[].customerRealm: realm "${cr.name}" already exists in Keycloak; adopt takes over the proxy realm only: import the customer realm by hand (pulumi import), or bind the tenant to a new realm`,
      );
  if ((await api.get(`/${r}`)) === undefined) return { ids, what, refusals, unmanaged };
  note(`${prefix}-realm`, realm, "realm", realm);
  // Authentication flows are not taken over: one the stack declares that already exists would
  // fail half-way through `up`.
  if (kc.hiddFlowAlias !== undefined) {
    const flows = ((await api.get(`/${r}/authentication/flows`)) as Body[] | undefined) ?? [];
    if (flows.some((fl) => fl.alias === kc.hiddFlowAlias))
      refusals.push(
        `realm.discovery: realm ${realm} already has the authentication flow "${kc.hiddFlowAlias}" the stack declares; adopt does not take over flows: delete it in Keycloak (the stack makes it again) or import it by hand`,
      );
  }

  const clients = ((await api.get(`/${r}/clients`)) as Body[] | undefined) ?? [];
  const byClientId = new Map(clients.map((c) => [String(c.clientId), c]));
  const declared = [
    { logical: `${prefix}-client`, mappers: `${prefix}-mapper`, clientId: kc.client.clientId },
    ...(kc.cliClient
      ? [
          {
            logical: `${prefix}-cli-client`,
            mappers: `${prefix}-cli-mapper`,
            clientId: kc.cliClient.clientId,
          },
        ]
      : []),
  ];
  const keystoneHost = new URL(model.keystone.url).host;
  for (const d of declared) {
    const c = byClientId.get(d.clientId);
    if (!c) continue;
    const uuid = String(c.id);
    note(d.logical, `${realm}/${uuid}`, "client", d.clientId);
    const declaredMappers = new Set(kc.mappers.map((m) => m.name));
    for (const m of (c.protocolMappers as Body[] | undefined) ?? []) {
      const logical = `${d.mappers}-${String(m.name)}`;
      const type = skeleton.get(logical);
      if (!declaredMappers.has(String(m.name)) || type === undefined) {
        if (!declaredMappers.has(String(m.name)))
          unmanaged.push(
            `mapper ${String(m.name)} (${String(m.protocolMapper)}) of client ${d.clientId}`,
          );
        continue;
      }
      if (MAPPER_KINDS[type] !== m.protocolMapper) {
        refusals.push(
          `client ${d.clientId} has a mapper named "${String(m.name)}" of kind ${String(m.protocolMapper)}, the stack declares one of kind ${MAPPER_KINDS[type] ?? type} under that name: rename or delete it in Keycloak (the stack then adds its own)`,
        );
        continue;
      }
      note(
        logical,
        `${realm}/client/${uuid}/${String(m.id)}`,
        "mapper",
        `${d.clientId}/${String(m.name)}`,
      );
    }
  }
  // A client for this Keystone under another client id: the stack would add a second one.
  if (!byClientId.has(kc.client.clientId)) {
    for (const c of clients) {
      const uris = [...((c.redirectUris as string[] | undefined) ?? []), String(c.rootUrl ?? "")];
      if (uris.some((u) => u.includes(keystoneHost)))
        refusals.push(
          `client.clientId: realm ${realm} has client "${String(c.clientId)}" for this Keystone (${keystoneHost}), the stack declares "${kc.client.clientId}": set client.clientId: ${String(c.clientId)} to take it over`,
        );
    }
  }

  const keystoneClient = byClientId.get(kc.client.clientId);
  for (const g of kc.groups) {
    const found = (await api.get(
      `/${r}/group-by-path/${g.path.replace(/^\//, "").split("/").map(encodeURIComponent).join("/")}`,
    )) as Body | undefined;
    if (found?.id === undefined) continue;
    note(`${prefix}-${g.key}`, `${realm}/${String(found.id)}`, "group", g.path);
    if (g.accessRole && keystoneClient) {
      const role = (await api.get(
        `/${r}/clients/${encodeURIComponent(String(keystoneClient.id))}/roles/${encodeURIComponent(g.accessRole.name)}`,
      )) as Body | undefined;
      if (role?.id !== undefined)
        note(
          `${prefix}-${g.accessRole.key}`,
          `${realm}/${String(role.id)}`,
          "role",
          g.accessRole.name,
        );
    }
  }
  return { ids, what, refusals, unmanaged };
}

/** The CA bundle the stack names for Keycloak, if any (the HTTP exchange reads it). */
export function keycloakCaBundle(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  return (JSON.parse(raw) as { caBundle?: string }).caBundle || undefined;
}
