/** A minimal valid production configuration; tests derive invalid ones from it. */
export function validRaw(): Record<string, unknown> {
  return {
    environment: "production",
    keycloak: { url: "https://id.example.com", admin: { clientId: "pulumi-admin" } },
    keycloakAdminSecret: "s3cr3t-admin",
    realm: { name: "openstack" },
    keystone: {
      url: "https://keystone.example.com:5000",
      credentials: { method: "applicationCredential", applicationCredentialId: "abc123" },
    },
    keystoneApplicationCredentialSecret: "s3cr3t-appcred",
    horizon: { urls: ["https://dashboard.example.com"] },
    tenants: [
      { name: "acme", projects: [{ name: "web" }, { name: "data" }] },
      { name: "globex", projects: [{ name: "research" }] },
    ],
    access: [
      { tenant: "acme", group: "admins", grants: [{ role: "member", domain: true }] },
      { tenant: "acme", group: "developers", grants: [{ role: "member", project: "web" }] },
      { tenant: "globex", group: "researchers", grants: [{ role: "member", project: "research" }] },
    ],
    protection: { protect: true },
  };
}

export const SECRET_KEYS_SET = new Set([
  "keycloakAdminSecret",
  "keystoneApplicationCredentialSecret",
  "keycloakAdminPassword",
  "keystonePassword",
  "keystoneToken",
  "clientSecret",
  "oidcCryptoPassphrase",
  "deliverySshKey",
  "smokeCheckPassword",
]);

type Container = Record<string, unknown> | unknown[];

function walk(
  root: Record<string, unknown>,
  path: string,
): { parent: Container; key: string | number } {
  const segs = path.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== "");
  let cur: Container = root;
  for (const seg of segs.slice(0, -1)) {
    const k: string | number = /^\d+$/.test(seg) ? Number(seg) : seg;
    let next: unknown = (cur as Record<string | number, unknown>)[k];
    if (next === undefined) next = (cur as Record<string | number, unknown>)[k] = {};
    if (next === null || typeof next !== "object")
      throw new Error(`fixture path ${path}: ${seg} is not an object`);
    cur = next as Container;
  }
  const last = segs[segs.length - 1]!;
  return { parent: cur, key: /^\d+$/.test(last) ? Number(last) : last };
}

/** The valid config with `path` set to `value` (paths like `tenants[0].projects[1].name`). */
export function withValue(
  path: string,
  value: unknown,
  base: Record<string, unknown> = validRaw(),
): Record<string, unknown> {
  const c = structuredClone(base);
  const { parent, key } = walk(c, path);
  (parent as Record<string | number, unknown>)[key] = value;
  return c;
}

/** The valid config without `path`. */
export function without(
  path: string,
  base: Record<string, unknown> = validRaw(),
): Record<string, unknown> {
  const c = structuredClone(base);
  const { parent, key } = walk(c, path);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key as string];
  return c;
}
