/**
 * Keys that once had a choice and now have one safe value: present in a stack file, each is refused
 * naming the key to remove and why, so an old stack file never silently means something else.
 */
import type { Push } from "./issues";
import type { StackConfig } from "./schema";

interface Retired {
  readonly path: string;
  readonly value: (cfg: StackConfig) => unknown;
  readonly why: string;
}

const RETIRED: readonly Retired[] = [
  {
    path: "client.pkceMethod",
    value: (c) => c.client.pkceMethod,
    why: "PKCE is always S256 (`plain` leaks the verifier)",
  },
  {
    path: "client.groupsFullPath",
    value: (c) => c.client.groupsFullPath,
    why: 'tokens no longer carry group paths, and access rides on the Keystone client\'s client roles (docs/operations.md, "Access keyed on client roles")',
  },
  {
    path: "federation.claims.groups",
    value: (c) => c.federation.claims.groups,
    why: "access is no longer keyed on Keycloak group paths, which whoever may create groups can forge; access roles arrive in federation.claims.access",
  },
  {
    path: "federation.claims.userId",
    value: (c) => c.federation.claims.userId,
    why: "the Keystone user id is always `sub`: any other claim can change or be chosen by whoever administers the realm, and a recycled e-mail or username would inherit an old Keystone identity",
  },
  {
    path: "federation.claimDelimiter",
    value: (c) => c.federation.claimDelimiter,
    why: "mod_auth_openidc's delimiter is always `;`, the only one Keystone splits multi-valued claims on",
  },
];

export function retiredRules(cfg: StackConfig, push: Push): void {
  for (const r of RETIRED)
    if (r.value(cfg) !== undefined) push(r.path, `is retired: ${r.why}`, "remove the key");
}
