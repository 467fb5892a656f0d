/**
 * The real Keycloak's admin REST API for the tests: an admin session, single calls, test users and
 * the password grant. It reads back what the program's `pulumi up` made and creates what the
 * program never manages (users); it never creates what the program declares.
 */
export interface KeycloakAdmin {
  readonly url: string; // base URL, e.g. https://127.0.0.1:36443
  token(): Promise<string>;
}

/** An admin session for the master realm's bootstrap admin (tokens are re-issued per call). */
export function keycloakAdmin(url: string, username = "admin", password = "admin"): KeycloakAdmin {
  return {
    url,
    async token() {
      const res = await fetch(`${url}/realms/master/protocol/openid-connect/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "password",
          client_id: "admin-cli",
          username,
          password,
        }),
      });
      const body = (await res.json()) as { access_token?: string; error_description?: string };
      if (!res.ok || !body.access_token)
        throw new Error(`Keycloak admin login: HTTP ${res.status} ${body.error_description ?? ""}`);
      return body.access_token;
    },
  };
}

/** One admin API call: status, parsed JSON body (if any) and the Location header. */
export async function kcCall(
  kc: KeycloakAdmin,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown; location: string | null }> {
  const res = await fetch(`${kc.url}/admin/realms${path}`, {
    method,
    headers: { authorization: `Bearer ${await kc.token()}`, "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text ? (JSON.parse(text) as unknown) : undefined,
    location: res.headers.get("location"),
  };
}

async function kcOk(
  kc: KeycloakAdmin,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ json: unknown; id: string }> {
  const r = await kcCall(kc, method, path, body);
  if (r.status >= 300)
    throw new Error(`Keycloak ${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
  return { json: r.json, id: r.location?.split("/").pop() ?? "" };
}

/** What the program's realm holds after `pulumi up`, read back from Keycloak. */
export interface DeployedKeycloak {
  /** the proxy realm */
  readonly realm: string;
  /** the Keystone client's internal id (UUID) */
  readonly clientUuid: string;
  /** proxy-realm group path -> group id */
  readonly groups: Map<string, string>;
}

interface GroupRep {
  id: string;
  path: string;
  subGroups?: GroupRep[];
  subGroupCount?: number;
}

/** Every group of a realm, at any depth: path -> id. */
export async function realmGroups(kc: KeycloakAdmin, realm: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (list: GroupRep[]) => {
    for (const g of list) {
      out.set(g.path, g.id);
      // Keycloak 26 lists subgroups through their own endpoint (the brief representation has none).
      const children = (await kcOk(kc, "GET", `/${realm}/groups/${g.id}/children?max=1000`))
        .json as GroupRep[];
      await walk(children);
    }
  };
  await walk((await kcOk(kc, "GET", `/${realm}/groups?max=1000`)).json as GroupRep[]);
  return out;
}

/** The realm, the Keystone client and the groups as Keycloak stores them. */
export async function readDeployed(
  kc: KeycloakAdmin,
  realm: string,
  clientId: string,
): Promise<DeployedKeycloak> {
  const clients = (
    await kcOk(kc, "GET", `/${realm}/clients?clientId=${encodeURIComponent(clientId)}`)
  ).json as { id: string }[];
  if (clients.length !== 1) throw new Error(`realm ${realm} has no client ${clientId}`);
  return { realm, clientUuid: clients[0]!.id, groups: await realmGroups(kc, realm) };
}

/** A complete test user (no pending required action), optionally a member of some groups. */
export async function createKeycloakUser(
  kc: KeycloakAdmin,
  realm: string,
  user: { username: string; password: string; email: string; groupIds?: readonly string[] },
): Promise<string> {
  const made = await kcOk(kc, "POST", `/${realm}/users`, {
    username: user.username,
    email: user.email,
    emailVerified: true,
    firstName: "Test",
    lastName: user.username,
    enabled: true,
    credentials: [{ type: "password", value: user.password, temporary: false }],
  });
  for (const g of user.groupIds ?? [])
    await kcOk(kc, "PUT", `/${realm}/users/${made.id}/groups/${g}`);
  return made.id;
}

/** The password grant against a realm's client: the raw token response. */
export async function passwordGrant(
  baseUrl: string,
  realm: string,
  client: { id: string; secret?: string },
  username: string,
  password: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams({
    grant_type: "password",
    client_id: client.id,
    username,
    password,
    scope: "openid",
  });
  if (client.secret) form.set("client_secret", client.secret);
  const res = await fetch(`${baseUrl}/realms/${realm}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
