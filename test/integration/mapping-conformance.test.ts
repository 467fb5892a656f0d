/**
 * Differential conformance: our mapping engine against Keystone 22's own RuleProcessor, on every
 * committed golden mapping x its access table and on generated cases across the engine's features.
 * Results must be identical; Keystone's set-ordered outputs are compared as sets (spec §10).
 */
import { listStacks } from "../../infra/stack-files/stack-file";
import { renderMapping } from "../../infra/model/mapping/generate";
import { fixtureAccessTable, fixtureModel, FIXTURES_DIR } from "../support/stack-files";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caseClaims, parseAccessTable } from "../../infra/verify/access-table";
import { claimsToEnviron } from "../../infra/verify/oidc-claims";
import { comparable, engineCaseArb, ours, versionedCaseArb } from "../support/engine-cases";
import { KEYSTONE } from "../support/keystone-release";
import {
  type EngineCase,
  evaluateWithKeystone,
  keystoneEngineAvailable,
} from "../support/keystone-engine";

const unavailable = keystoneEngineAvailable();
const STACKS = listStacks(FIXTURES_DIR);

type Claims = Record<string, unknown>;

/** Every access-table case of every golden mapping, as the claim variants `variants` makes of it. */
function accessCases(
  variants: (claims: Claims) => [string, Claims][],
): (EngineCase & { label: string })[] {
  return STACKS.flatMap((stack) => {
    const model = fixtureModel(stack);
    const rules = JSON.parse(renderMapping(model.federation.mapping)) as unknown;
    const table = parseAccessTable(fixtureAccessTable(stack));
    return table.cases.flatMap((c) =>
      variants(caseClaims(model, table, c)).map(([how, claims]) => ({
        label: `${stack}: ${c.name}${how}`,
        rules,
        assertion: claimsToEnviron(claims, model.federation),
      })),
    );
  });
}

const goldenCases = () => accessCases((claims) => [["", claims]]);

/**
 * The single-valued claims (azp, the broker alias) given a second value joined with ';': Keystone
 * splits it, and neither engine may grant anything.
 */
const delimiterTrickCases = () =>
  accessCases((claims) => [
    [": azp other-app;<client>", { ...claims, azp: `other-app;${String(claims.azp)}` }],
    [": azp <client>;other-app", { ...claims, azp: `${String(claims.azp)};other-app` }],
    // Group paths forged by someone who may create groups ("/other/x;/<tenant>/<group>", and the
    // access roles themselves as paths) in the groups claim, which the mapping never reads.
    ...(Array.isArray(claims.openstack_access) && claims.openstack_access.length > 0
      ? [
          [
            ": held roles moved to the groups claim, as forged paths",
            {
              ...Object.fromEntries(
                Object.entries(claims).filter(([k]) => k !== "openstack_access"),
              ),
              groups: (claims.openstack_access as string[]).flatMap((g) => [
                g,
                `/other/x;${g}`,
                `x;/${g.replace("-", "/")}`,
              ]),
            },
          ] as [string, Claims],
        ]
      : []),
    ...(typeof claims.identity_provider === "string"
      ? [
          [
            ": broker google;<alias>",
            { ...claims, identity_provider: `google;${claims.identity_provider}` },
          ] as [string, Claims],
        ]
      : []),
  ]);

/** Compares both engines on generated cases; returns Keystone's outcome classes. */
function compareGenerated(cases: readonly EngineCase[]): { classes: Map<string, number> } {
  const theirs = evaluateWithKeystone(cases);
  const mismatches: string[] = [];
  let matched = 0;
  const classes = new Map<string, number>();
  cases.forEach((c, i) => {
    const a = comparable(ours(c, KEYSTONE.major));
    const b = comparable(theirs[i]!);
    const label = "error" in theirs[i]! ? (theirs[i] as { error: string }).error : "ok";
    classes.set(label, (classes.get(label) ?? 0) + 1);
    if (JSON.stringify(a) === JSON.stringify(b)) matched++;
    else if (mismatches.length < 5)
      mismatches.push(JSON.stringify({ case: c, ours: a, keystone: b }));
  });
  console.log(
    `conformance with ${KEYSTONE.label}: ${matched}/${cases.length} identical; outcomes ${JSON.stringify(Object.fromEntries(classes))}`,
  );
  expect(mismatches).toEqual([]);
  return { classes };
}

describe.skipIf(unavailable !== undefined)(
  `mapping engine conformance with ${KEYSTONE.label}`,
  () => {
    it("every golden mapping x its access table gives identical results", () => {
      const cases = goldenCases();
      expect(cases.length).toBeGreaterThanOrEqual(40);
      const theirs = evaluateWithKeystone(cases);
      cases.forEach((c, i) =>
        expect(comparable(ours(c, KEYSTONE.major)), c.label).toEqual(comparable(theirs[i]!)),
      );
    });

    it("a second value joined with ';' to azp or the broker alias, or a group named to forge a path, grants nothing, in both engines", () => {
      const cases = delimiterTrickCases();
      expect(cases.length).toBeGreaterThanOrEqual(80);
      const theirs = evaluateWithKeystone(cases);
      cases.forEach((c, i) => {
        const ks = comparable(theirs[i]!) as {
          error?: string;
          group_ids?: unknown[];
          group_names?: unknown[];
          projects?: unknown;
        };
        expect(comparable(ours(c, KEYSTONE.major)), c.label).toEqual(ks);
        if (ks.error === undefined)
          expect({
            label: c.label,
            groups: [...(ks.group_ids ?? []), ...(ks.group_names ?? [])],
            projects: ks.projects,
          }).toEqual({ label: c.label, groups: [], projects: [] });
      });
    });

    it("600 generated cases across the engine's features give identical results", () => {
      const { classes } = compareGenerated(
        fc.sample(engineCaseArb, { numRuns: 600, seed: 20261124 }),
      );
      expect(classes.get("ok") ?? 0).toBeGreaterThanOrEqual(100);
      expect(classes.size).toBeGreaterThanOrEqual(5);
    });

    // Mappings that declare schema_version 2.0 or 3.0 (a domain beside users and projects,
    // projects_json): Keystone >= 25 / >= 29 dispatch on it; older ones ignore it and validate as
    // 1.0. Either way both engines must agree.
    it.each(["2.0", "3.0"] as const)(
      "300 generated cases declaring schema_version %s give identical results",
      (version) => {
        const cases = fc.sample(versionedCaseArb(version), { numRuns: 300, seed: 20261130 });
        const { classes } = compareGenerated(cases);
        expect(classes.size).toBeGreaterThanOrEqual(2);
        if (KEYSTONE.major >= (version === "2.0" ? 25 : 29))
          expect(
            classes.get("ok") ?? 0,
            "the processor of this schema version ran",
          ).toBeGreaterThanOrEqual(30);
      },
    );
  },
);
