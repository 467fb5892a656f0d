/**
 * Step "tenancy": the Keystone side of the tenants and access rules — domains, projects, groups
 * and role grants — and the groups as the mapping sees them.
 */
import type { StackConfig } from "../config/schema";
import type { MappedGroup } from "./mapping/generate";
import * as naming from "../base/naming";
import type {
  GrantSpec,
  KeystoneDomainSpec,
  KeystoneGroupSpec,
  KeystoneProjectSpec,
} from "./types";

export interface Tenancy {
  readonly domains: KeystoneDomainSpec[];
  readonly projects: KeystoneProjectSpec[];
  readonly groups: KeystoneGroupSpec[];
  readonly grants: GrantSpec[];
}

/** Keystone domains: every tenant, plus the federated users' domain when it is not a tenant. */
function domains(cfg: StackConfig, idpId: string): KeystoneDomainSpec[] {
  const out = cfg.tenants.map((t) => ({
    key: naming.domainKey(t.name),
    name: t.name,
    description: t.description ?? `Tenant ${t.name}`,
  }));
  const users = cfg.federation.userDomain;
  if (!cfg.tenants.some((t) => t.name === users)) {
    out.push({
      key: naming.domainKey(users),
      name: users,
      description: `Federated users of ${idpId}`,
    });
  }
  return out;
}

export function tenancy(cfg: StackConfig, idpId: string): Tenancy {
  const projects = cfg.tenants.flatMap((t) =>
    t.projects.map((p) => ({
      key: naming.projectKey(t.name, p.name),
      domainKey: naming.domainKey(t.name),
      name: p.name,
      description: p.description ?? "",
    })),
  );
  const groups: KeystoneGroupSpec[] = [];
  const grants: GrantSpec[] = [];
  for (const a of cfg.access) {
    const key = naming.keystoneGroupKey(a.tenant, a.group);
    groups.push({
      key,
      domainKey: naming.domainKey(a.tenant),
      name: naming.keystoneGroupName(a.tenant, a.group),
      description: a.description ?? `Keycloak ${naming.keycloakGroupPath(a.tenant, a.group)}`,
      claimValue: naming.accessRoleName(a.tenant, a.group),
      accessGroup: `${a.tenant}/${a.group}`,
    });
    for (const g of a.grants) {
      const target =
        g.project !== undefined
          ? { projectKey: naming.projectKey(a.tenant, g.project) }
          : { domainKey: naming.domainKey(a.tenant) };
      grants.push({
        key: naming.grantKey(a.tenant, a.group, g.role, g.project),
        groupKey: key,
        role: g.role,
        target,
      });
    }
  }
  return { domains: domains(cfg, idpId), projects, groups, grants };
}

/** Step "mapped groups": what the mapping grants for each access rule's group claim value. */
export function mappedGroups(
  cfg: StackConfig,
  keystoneGroups: readonly KeystoneGroupSpec[],
): MappedGroup[] {
  const byKey = new Map(keystoneGroups.map((g) => [g.key, g]));
  return cfg.access.map((a) => {
    const broker = cfg.tenants.find((t) => t.name === a.tenant)?.customerRealm;
    const key = naming.keystoneGroupKey(a.tenant, a.group);
    const group = byKey.get(key);
    if (!group)
      throw new Error(`internal: no Keystone group ${key} for access rule ${a.tenant}/${a.group}`);
    return {
      tenant: a.tenant,
      claimValue: group.claimValue,
      keystoneGroup: group.name,
      domain: a.tenant,
      ...(broker !== undefined ? { brokerAlias: broker } : {}),
    };
  });
}
