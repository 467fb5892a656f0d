/**
 * The engine benchmark's stacks and the scripted way's plan of the same objects.
 *
 * A stack of N tenants has 10 projects and 10 access groups per tenant (group i grants member on
 * project i), so 100 tenants are 1,000 projects and 1,000 access groups. The plan lists, from the
 * program's own model, every object `pulumi up` makes, one line each, for test/bench/scripted.sh
 * (kcadm.sh and the openstack CLI): the realm, both clients and their mappers, the groups, the
 * access roles and their assignment, the domains, projects, Keystone groups, grants, the IdP, the
 * mapping and the protocol.
 */
import type { DeploymentModel } from "../../infra/model/deployment-model";

export const PROJECTS_PER_TENANT = 10;

/** The `tenants` and `access` of an N-tenant stack. */
export function benchTenancy(tenants: number): { tenants: unknown[]; access: unknown[] } {
  const t = Array.from({ length: tenants }, (_, i) => ({
    name: `bt${i}`,
    projects: Array.from({ length: PROJECTS_PER_TENANT }, (_, p) => ({ name: `p${p}` })),
  }));
  const access = t.flatMap((tenant) =>
    tenant.projects.map((p, i) => ({
      tenant: tenant.name,
      group: `g${i}`,
      grants: [{ role: "member", project: p.name }],
    })),
  );
  return { tenants: t, access };
}

/** One line per object, tab-separated: the kind first (see test/bench/scripted.sh). */
export function scriptedPlan(model: DeploymentModel, mappingFile: string): string {
  const kc = model.keycloak;
  const ks = model.keystone;
  const f = model.federation;
  const domain = new Map(ks.domains.map((d) => [d.key, d.name]));
  const project = new Map(ks.projects.map((p) => [p.key, p]));
  const group = new Map(ks.groups.map((g) => [g.key, g]));
  const lines: string[][] = [
    ["kc-realm", kc.realm.name],
    ["kc-client", kc.client.clientId, kc.client.redirectUris.join(",")],
    ...(kc.cliClient ? [["kc-public-client", kc.cliClient.clientId]] : []),
    ...kc.mappers.map((m) => ["kc-mapper", kc.client.clientId, m.name, m.kind]),
    ...kc.groups.map((g) => ["kc-group", g.path]),
    ...kc.groups.flatMap((g) =>
      g.accessRole
        ? [
            ["kc-role", kc.client.clientId, g.accessRole.name],
            ["kc-group-role", g.path, kc.client.clientId, g.accessRole.name],
          ]
        : [],
    ),
    ...ks.domains.map((d) => ["os-domain", d.name]),
    ...ks.projects.map((p) => ["os-project", domain.get(p.domainKey)!, p.name]),
    ...ks.groups.map((g) => ["os-group", domain.get(g.domainKey)!, g.name]),
    ...ks.grants.map((g) => {
      const grp = group.get(g.groupKey)!;
      const target = "projectKey" in g.target ? project.get(g.target.projectKey)! : undefined;
      return [
        "os-grant",
        domain.get(grp.domainKey)!,
        grp.name,
        g.role,
        target
          ? domain.get(target.domainKey)!
          : domain.get((g.target as { domainKey: string }).domainKey)!,
        target ? target.name : "",
      ];
    }),
    ["os-idp", f.idpId, domain.get(f.idpDomainKey)!, f.remoteIds[0]!],
    ["os-mapping", f.mappingId, mappingFile],
    ["os-protocol", f.idpId, f.protocolId, f.mappingId],
  ];
  return `${lines.map((l) => l.join("\t")).join("\n")}\n`;
}
