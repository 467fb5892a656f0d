/**
 * Names that pass the schema but that Keystone or Keycloak refuse, or that would quietly weaken
 * tenant isolation. Pure: reports every problem with its path.
 *  - Keystone names hold at most 64 characters: the schema limits each typed name, this the names
 *    derived from two of them (the Keystone group `<tenant>-<group>`);
 *  - `Default` is Keystone's built-in domain; the federated users' domain must be neither it nor a
 *    tenant (that tenant's readers could list every tenant's federated users);
 *  - `master` is Keycloak's administration realm, never a realm this stack declares.
 */
import type { StackConfig } from "./schema";
import { keystoneGroupName, groupClaimValue } from "../model/naming";

type Push = (path: string, message: string, hint: string) => void;

/** Keystone's limit for domain, project and group names (its SQL columns are 64 wide). */
export const KEYSTONE_NAME_MAX = 64;

export function nameRules(cfg: StackConfig, push: Push): void {
  const tooLong = (path: string, what: string, name: string) =>
    push(path, `${what} "${name}" is ${name.length} characters long`, `Keystone accepts at most ${KEYSTONE_NAME_MAX}; shorten it`);
  const userDomain = cfg.federation.userDomain;
  if (userDomain.toLowerCase() === "default") {
    push("federation.userDomain", `"${userDomain}" is Keystone's built-in Default domain`, "give the federated users a domain of their own, e.g. federated-users");
  }
  for (const [path, realm] of [["realm.name", cfg.realm.name], ...cfg.realm.customerRealms.map((r, i) => [`realm.customerRealms[${i}].name`, r.name])] as const) {
    if (realm.toLowerCase() === "master") push(path, `"${realm}" is Keycloak's administration realm`, "declare a realm of its own for the federation");
  }
  cfg.tenants.forEach((t, i) => {
    if (t.name.toLowerCase() === userDomain.toLowerCase()) {
      push(`tenants[${i}].name`, `tenant "${t.name}" is also the federated users' domain`, "every tenant's federated users live there, and this tenant's readers could list them: rename the tenant or set federation.userDomain to a domain of its own");
    }
  });
  cfg.access.forEach((a, i) => {
    const name = keystoneGroupName(a.tenant, a.group, cfg.federation.ruleLayout, groupClaimValue(a.tenant, a.group, cfg.client.groupsFullPath));
    if (name.length > KEYSTONE_NAME_MAX) tooLong(`access[${i}].group`, "the derived Keystone group name", name);
  });
}
