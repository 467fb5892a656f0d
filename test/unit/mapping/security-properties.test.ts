/**
 * The mapping's security invariants (docs/security-invariants.md), as properties over generated stacks and tokens,
 * evaluated by the TypeScript engine (proven identical to Keystone's by the conformance suite).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../../infra/config/parse";
import { accessFor } from "../../../infra/verify/access-evaluate";
import { buildModel, type DeploymentModel } from "../../../infra/model/deployment-model";
import { rawConfig, tenancyArb } from "../model/arbitraries";

const RUNS = 10_000;

/** 24 generated stacks with at least one access rule; half bind their first tenant to a customer realm; half use the perTenant layout. */
const models: DeploymentModel[] = fc
  .sample(
    tenancyArb.filter((s) => s.access.length > 0),
    { numRuns: 24, seed: 7 },
  )
  .map((shape, i) => {
    const bind = i % 2 === 0;
    const tenants = shape.tenants.map((t, j) =>
      bind && j === 0 ? { ...t, customerRealm: "partner" } : t,
    );
    const layout = i % 4 < 2 ? "perTenant" : "perGroup";
    const raw = rawConfig(
      { ...shape, tenants },
      {
        federation: { ruleLayout: layout },
        ...(bind
          ? {
              realm: {
                name: "openstack",
                customerRealms: [{ name: "partner", emailDomains: ["partner.example"] }],
              },
            }
          : {}),
      },
    );
    return buildModel(
      parseStackConfig(raw, { stack: `p${i}`, secretKeys: new Set(["keycloakAdminSecret"]) })
        .config,
      `p${i}`,
    );
  });

interface Token {
  model: DeploymentModel;
  claims: Record<string, unknown>;
}

// Built once: constructing a regex-based arbitrary costs milliseconds, far more than a case.
const userArb = fc.stringMatching(/^[a-z][a-z0-9.]{0,12}$/);
const noiseArb = fc.array(fc.constantFrom("other-team", "offline_access", "x-y"), {
  maxLength: 2,
});
const brokerArb = fc.constantFrom(undefined, "partner", "elsewhere");
const heldArbs = models.map((m) => fc.subarray(m.keystone.groups.map((g) => g.claimValue)));

/** A well-formed token for model m holding some of its access roles (claim values) plus noise. */
const tokenArb: fc.Arbitrary<Token> = fc.integer({ min: 0, max: models.length - 1 }).chain((mi) => {
  const m = models[mi]!;
  return fc
    .record({ held: heldArbs[mi]!, noise: noiseArb, broker: brokerArb, user: userArb })
    .map(({ held, noise, broker, user }) => ({
      model: m,
      claims: {
        iss: m.keycloak.issuer,
        azp: m.keycloak.client.clientId,
        sub: `sub-${user}`,
        preferred_username: user,
        openstack_access: [...held, ...noise],
        ...(broker !== undefined ? { identity_provider: broker } : {}),
      },
    }));
});

function groupsOf(m: DeploymentModel, claimValue: string): string[] {
  return m.keystone.groups
    .filter((g) => g.claimValue === claimValue)
    .map((g) => `${m.keystone.domains.find((d) => d.key === g.domainKey)!.name}/${g.name}`);
}

describe("mapping security properties (10,000 cases each)", () => {
  it("a user is mapped only into the groups of the claim values it holds, each in its own tenant; bound tenants also need their broker", () => {
    fc.assert(
      fc.property(tokenArb, ({ model, claims }) => {
        const out = accessFor(model, claims);
        const held = claims.openstack_access as string[];
        const bound = new Map(
          model.keystone.groups.map((g) => [
            g.claimValue,
            model.keycloak.customerRealms.some((cr) =>
              cr.groups.some((x) => x.proxyGroupKey === g.key.replace(/^group-/, "kcgroup-")),
            ),
          ]),
        );
        const allowed = held
          .filter((v) => bound.has(v) && (!bound.get(v) || claims.identity_provider === "partner"))
          .flatMap((v) => groupsOf(model, v));
        if (allowed.length === 0) {
          expect(out.denied).toBe(true);
          return;
        }
        expect(out.denied).toBe(false);
        if (!out.denied) {
          expect(out.groups).toEqual([...new Set(allowed)].sort());
          for (const target of Object.keys(out.roles)) {
            const tenant = target.split("/")[0];
            expect(
              out.groups.some((g) => g.startsWith(`${tenant}/`)),
              `role on ${target} without a group of ${tenant}`,
            ).toBe(true);
          }
          expect(out.user.name).toBe(claims.preferred_username);
        }
      }),
      { numRuns: RUNS, seed: 11 },
    );
  });

  it("a foreign issuer, a foreign azp, or a missing username or subject is always denied", () => {
    const tamper = fc.constantFrom(
      "iss-foreign",
      "iss-slash",
      "iss-case",
      "azp-foreign",
      "no-username",
      "no-sub",
      "no-azp",
    );
    fc.assert(
      fc.property(tokenArb, tamper, ({ model, claims }, how) => {
        const c: Record<string, unknown> = {
          ...claims,
          openstack_access: model.keystone.groups.map((g) => g.claimValue),
          identity_provider: "partner",
        };
        if (how === "iss-foreign") c.iss = "https://evil.example.com/realms/openstack";
        if (how === "iss-slash") c.iss = `${model.keycloak.issuer}/`;
        if (how === "iss-case") c.iss = model.keycloak.issuer.toUpperCase();
        if (how === "azp-foreign") c.azp = "account";
        if (how === "no-username") delete c.preferred_username;
        if (how === "no-sub") delete c.sub;
        if (how === "no-azp") delete c.azp;
        expect(accessFor(model, c).denied).toBe(true);
      }),
      { numRuns: RUNS, seed: 12 },
    );
  });

  it("prefixes, suffixes and case variants of granted access roles grant nothing", () => {
    const variant = fc.constantFrom(
      (v: string) => v.slice(0, -1),
      (v: string) => `${v}x`,
      (v: string) => `${v}/sub`,
      (v: string) => v.toUpperCase(),
      (v: string) => ` ${v}`,
      (v: string) => v.slice(1),
      (v: string) => `x${v}`,
    );
    fc.assert(
      fc.property(
        tokenArb,
        fc.array(variant, { minLength: 1, maxLength: 4 }),
        ({ model, claims }, fs) => {
          const granted = new Set(model.keystone.groups.map((g) => g.claimValue));
          const variants = model.keystone.groups
            .flatMap((g) => fs.map((f) => f(g.claimValue)))
            .filter((v) => !granted.has(v));
          expect(
            accessFor(model, {
              ...claims,
              identity_provider: "partner",
              openstack_access: variants,
            }).denied,
          ).toBe(true);
        },
      ),
      { numRuns: RUNS, seed: 13 },
    );
  });

  it("no group name or path grants anything: the groups claim is never read, nested or ';'-forged paths included", () => {
    // A proxy-realm admin who may create groups can give a user any path: "x;/<tenant>/<group>"
    // (one group) or "/globex/x;/<tenant>/<group>" (nested), which Keystone would split on ';'.
    // Access rides on client roles only the stack declares, so none of it reaches the mapping.
    const forgedArb = tokenArb.chain(({ model, claims }) =>
      fc
        .subarray(
          model.keystone.groups.flatMap((g) => {
            const [tenant, group] = g.accessGroup.split("/") as [string, string];
            const path = `/${tenant}/${group}`;
            return [
              path,
              `x;${path}`,
              `/other/x;${path}`,
              `/other/x;${g.claimValue}`,
              g.claimValue,
            ];
          }),
          { minLength: 1 },
        )
        .map((groups) => ({ model, claims, groups })),
    );
    fc.assert(
      fc.property(forgedArb, ({ model, claims, groups }) => {
        const { openstack_access: _held, ...rest } = claims;
        expect(accessFor(model, { ...rest, identity_provider: "partner", groups }).denied).toBe(
          true,
        );
      }),
      { numRuns: RUNS, seed: 15 },
    );
    // The same values in the access claim would grant: the claim is what the mapping reads.
    const m = models.find((x) => x.keycloak.customerRealms.length === 0)!;
    const target = m.keystone.groups[0]!.claimValue;
    const held = accessFor(m, {
      iss: m.keycloak.issuer,
      azp: m.keycloak.client.clientId,
      sub: "sub-x",
      preferred_username: "x",
      openstack_access: [`x;${target}`],
    });
    expect(held.denied).toBe(false);
    if (!held.denied) expect(held.groups).toEqual(groupsOf(m, target));
  });

  it("a second value joined with ';' to azp or the broker alias never passes (Keystone splits on ';')", () => {
    const trick = fc.constantFrom(
      "azp-before",
      "azp-after",
      "azp-both-clients",
      "broker-before",
      "broker-after",
    );
    fc.assert(
      fc.property(tokenArb, trick, ({ model, claims }, how) => {
        const boundValues = model.keystone.groups
          .filter((g) =>
            model.keycloak.customerRealms.some((cr) =>
              cr.groups.some((x) => x.proxyGroupKey === g.key.replace(/^group-/, "kcgroup-")),
            ),
          )
          .map((g) => g.claimValue);
        const azp = String(claims.azp);
        const c: Record<string, unknown> = {
          ...claims,
          openstack_access: model.keystone.groups.map((g) => g.claimValue),
          identity_provider: "partner",
        };
        if (how === "azp-before") c.azp = `other-app;${azp}`;
        if (how === "azp-after") c.azp = `${azp};other-app`;
        if (how === "azp-both-clients")
          c.azp = `${azp};${model.keycloak.cliClient?.clientId ?? azp};account`;
        if (how.startsWith("broker")) {
          if (boundValues.length === 0) return; // no tenant of this stack needs a broker
          c.openstack_access = boundValues; // only roles whose rules require the broker
          c.identity_provider = how === "broker-before" ? "google;partner" : "partner;google";
        }
        expect(accessFor(model, c).denied).toBe(true);
      }),
      { numRuns: RUNS, seed: 14 },
    );
  });

  it("every granting rule tests the access claim first, so Keystone leaves every other rule at its first requirement", () => {
    // Keystone stops at a rule's first unmet requirement; the login benchmark's profile shows what
    // the other order costs. Only the optional group-less rule (denyWithoutGroup: false) has none.
    for (const m of models) {
      for (const rule of m.federation.mapping.rules)
        expect(rule.remote[0], m.stack).toMatchObject({
          type: "OIDC-openstack_access",
          any_one_of: expect.any(Array) as unknown,
        });
    }
  });
});
