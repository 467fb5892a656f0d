/**
 * The access model: "these claims -> this Keystone access". It turns the mapping engine's output
 * into what a user can do (user name, Keystone groups, roles per project or domain) using the
 * stack's own grants, so access tables (`mappings/<stack>.access.yaml`) read as policy, not as
 * mapping internals. Pure.
 */
import type { DeploymentModel, GrantSpec } from "../model/deployment-model";

/** The subset of Keystone's mapped properties this module reads. */
export interface MappedLike {
  readonly user: Readonly<Record<string, unknown>>;
  readonly group_ids: readonly unknown[];
  readonly group_names: readonly unknown[];
  readonly projects: readonly unknown[];
}

/** Resulting access. Groups as `<domain>/<group>`; roles keyed `<domain>` or `<domain>/<project>`, sorted. */
export interface Access {
  readonly user: { readonly id?: string; readonly name?: string };
  readonly groups: string[];
  readonly roles: Record<string, string[]>;
}

export type AccessOutcome =
  { readonly denied: true; readonly reason: string } | ({ readonly denied: false } & Access);

function domainNameOf(m: DeploymentModel, key: string): string {
  return m.keystone.domains.find((d) => d.key === key)?.name ?? key;
}

/** What a grant is on: `<domain>/<project>`, or `<domain>` for the domain itself. */
export function grantTarget(model: DeploymentModel, grant: GrantSpec): string {
  if ("projectKey" in grant.target) {
    const key = grant.target.projectKey;
    const p = model.keystone.projects.find((x) => x.key === key);
    return p ? `${domainNameOf(model, p.domainKey)}/${p.name}` : key;
  }
  return domainNameOf(model, grant.target.domainKey);
}

/** Resolves mapped group names to the stack's Keystone groups and their grants. */
export function resolveAccess(model: DeploymentModel, mapped: MappedLike): Access {
  const groups: string[] = [];
  const roles = new Map<string, Set<string>>();
  for (const entry of mapped.group_names) {
    const g = entry as { name?: unknown; domain?: { name?: unknown } };
    const domain = typeof g.domain?.name === "string" ? g.domain.name : "?";
    const name = String(g.name);
    const label = `${domain}/${name}`;
    if (groups.includes(label)) continue; // Keystone's engine repeats named groups (docs/keystone-mapping-engine.md §5); they resolve to one id
    groups.push(label);
    const spec = model.keystone.groups.find(
      (x) => x.name === name && domainNameOf(model, x.domainKey) === domain,
    );
    if (!spec) continue; // Keystone silently skips a mapped group that does not exist
    for (const grant of model.keystone.grants.filter((x) => x.groupKey === spec.key)) {
      const target = grantTarget(model, grant);
      if (!roles.has(target)) roles.set(target, new Set());
      roles.get(target)!.add(grant.role);
    }
  }
  const user: { id?: string; name?: string } = {};
  if (typeof mapped.user.id === "string") user.id = mapped.user.id;
  if (typeof mapped.user.name === "string") user.name = mapped.user.name;
  const sortedRoles: Record<string, string[]> = {};
  for (const target of [...roles.keys()].sort())
    sortedRoles[target] = [...roles.get(target)!].sort();
  return { user, groups: groups.sort(), roles: sortedRoles };
}
