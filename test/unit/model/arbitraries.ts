/** fast-check generators of valid stack configurations (raw, as a stack file would hold them). */
import fc from "fast-check";

const name = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,10}$/)
  .filter((s) => !s.includes("name") && s !== "default");

export interface RawShape {
  tenants: { name: string; projects: { name: string }[] }[];
  access: {
    tenant: string;
    group: string;
    grants: ({ role: string; project: string } | { role: string; domain: true })[];
  }[];
}

/**
 * 1-4 tenants with 0-4 projects and 0-4 access rules each, at least one access rule in all (a stack
 * needs one); names unique where Keystone needs it.
 */
export const tenancyArb: fc.Arbitrary<RawShape> = fc
  .uniqueArray(name, { minLength: 1, maxLength: 4 })
  .chain((tenantNames) =>
    fc.tuple(
      ...tenantNames.map((t) =>
        fc
          .tuple(fc.uniqueArray(name, { maxLength: 4 }), fc.uniqueArray(name, { maxLength: 4 }))
          .chain(([projects, groups]) =>
            fc.tuple(
              fc.constant(t),
              fc.constant(projects),
              fc.tuple(
                ...groups.map((g) =>
                  fc
                    .uniqueArray(
                      fc.tuple(
                        fc.constantFrom("member", "reader"),
                        fc.option(fc.constantFrom(...(projects.length ? projects : ["-"])), {
                          nil: undefined,
                        }),
                      ),
                      {
                        minLength: 1,
                        maxLength: 3,
                        selector: ([r, p]) => `${r}@${p ?? ""}`,
                      },
                    )
                    .map((grants) => ({
                      tenant: t,
                      group: g,
                      grants: grants.map(([role, p]) =>
                        p === undefined || p === "-"
                          ? { role, domain: true as const }
                          : { role, project: p },
                      ),
                    })),
                ),
              ),
            ),
          ),
      ),
    ),
  )
  .map((tenants) => {
    const seenGrant = (rules: RawShape["access"]) =>
      rules.map((r) => ({
        ...r,
        grants: r.grants.filter(
          (g, i, all) => all.findIndex((o) => JSON.stringify(o) === JSON.stringify(g)) === i,
        ),
      }));
    return {
      tenants: tenants.map(([t, projects]) => ({
        name: t,
        projects: projects.map((p) => ({ name: p })),
      })),
      access: seenGrant(tenants.flatMap(([, , rules]) => rules)),
    };
  })
  .filter((shape) => shape.access.length > 0);

export function rawConfig(
  shape: RawShape,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    environment: "production",
    keycloak: { url: "https://id.example.com", admin: { clientId: "pulumi-admin" } },
    keycloakAdminSecret: "x",
    realm: { name: "openstack" },
    keystone: { url: "https://keystone.example.com:5000", cloud: "admin" },
    horizon: { urls: ["https://dashboard.example.com"] },
    protection: { protect: true },
    ...shape,
    ...overrides,
  };
}
