/**
 * Names that pass the schema but that Keystone or Keycloak refuse, or that would quietly weaken
 * tenant isolation. Pure: reports every problem with its path.
 *  - Keystone names hold at most 64 characters: the schema limits each typed name, this the names
 *    derived from two of them (the Keystone group `<tenant>-<group>`);
 *  - `Default` is Keystone's built-in domain; the federated users' domain must be neither it nor a
 *    tenant (that tenant's readers could list every tenant's federated users);
 *  - `master` is Keycloak's administration realm, never a realm this stack declares.
 */
import type { Push } from "./issues";
import type { StackConfig } from "./schema";
import { keycloakGroupKey, keycloakTenantGroupKey, keystoneGroupName } from "../base/naming";

/** Keystone's limit for domain, project and group names (its SQL columns are 64 wide). */
export const KEYSTONE_NAME_MAX = 64;

export function nameRules(cfg: StackConfig, push: Push): void {
  const tooLong = (path: string, what: string, name: string) =>
    push(
      path,
      `${what} "${name}" is ${name.length} characters long`,
      `Keystone accepts at most ${KEYSTONE_NAME_MAX}; shorten it`,
    );
  const userDomain = cfg.federation.userDomain;
  if (userDomain.toLowerCase() === "default") {
    push(
      "federation.userDomain",
      `"${userDomain}" is Keystone's built-in Default domain`,
      "give the federated users a domain of their own, e.g. federated-users",
    );
  }
  for (const [path, realm] of [
    ["realm.name", cfg.realm.name],
    ...cfg.realm.customerRealms.map((r, i) => [`realm.customerRealms[${i}].name`, r.name]),
  ] as const) {
    if (realm.toLowerCase() === "master")
      push(
        path,
        `"${realm}" is Keycloak's administration realm`,
        "declare a realm of its own for the federation",
      );
  }
  cfg.tenants.forEach((t, i) => {
    if (t.name.toLowerCase() === userDomain.toLowerCase()) {
      push(
        `tenants[${i}].name`,
        `tenant "${t.name}" is also the federated users' domain`,
        "every tenant's federated users live there, and this tenant's readers could list them: rename the tenant or set federation.userDomain to a domain of its own",
      );
    }
  });
  // Resource keys join names with '-': tenant `a` + project `b-c` and tenant `a-b` + project `c`
  // would be one Pulumi resource (and one URN) for two Keystone projects.
  const keys = new Map<string, { tenant: string; label: string }>();
  cfg.tenants.forEach((t, i) =>
    t.projects.forEach((p, j) => {
      const key = `${t.name}-${p.name}`.toLowerCase();
      const other = keys.get(key);
      // The same tenant twice is a duplicate project, reported on its own.
      if (other && other.tenant !== t.name.toLowerCase()) {
        push(
          `tenants[${i}].projects[${j}].name`,
          `${t.name}/${p.name} gets the same resource name as ${other.label} ("project-${t.name}-${p.name}")`,
          "rename one of them: tenant and project names are joined with '-'",
        );
      } else if (!other)
        keys.set(key, { tenant: t.name.toLowerCase(), label: `${t.name}/${p.name}` });
    }),
  );
  cfg.tenants.forEach((t, i) => {
    const seen = new Map<string, string>();
    t.projects.forEach((p, j) => {
      const prior = seen.get(p.name.toLowerCase());
      if (prior !== undefined && prior !== p.name)
        push(
          `tenants[${i}].projects[${j}].name`,
          `"${p.name}" and "${prior}" differ only in case`,
          "Keystone compares project names case-insensitively within a domain: rename one",
        );
      seen.set(p.name.toLowerCase(), p.name);
    });
  });
  // Keycloak group keys join tenant and group with '-' too: tenant `a-b`'s own group and tenant
  // `a`'s access group `b` would be one resource; two access groups of a tenant that differ only
  // in case are one Keystone group (Keystone compares names case-insensitively in a domain).
  const groupKeys = new Map<string, string>(
    cfg.tenants.map((t) => [keycloakTenantGroupKey(t.name).toLowerCase(), `tenant ${t.name}`]),
  );
  cfg.access.forEach((a, i) => {
    const key = keycloakGroupKey(a.tenant, a.group).toLowerCase();
    const other = groupKeys.get(key);
    // The same rule twice is a duplicate access rule, reported on its own.
    if (other !== undefined && other !== `access group ${a.tenant}/${a.group}`)
      push(
        `access[${i}].group`,
        `${a.tenant}/${a.group} gets the same resource name as ${other} ("${keycloakGroupKey(a.tenant, a.group)}")`,
        "rename one of them: names are joined with '-' and compared without case",
      );
    else if (other === undefined) groupKeys.set(key, `access group ${a.tenant}/${a.group}`);
  });
  cfg.access.forEach((a, i) => {
    const name = keystoneGroupName(a.tenant, a.group);
    if (name.length > KEYSTONE_NAME_MAX)
      tooLong(`access[${i}].group`, "the derived Keystone group name", name);
  });
}
