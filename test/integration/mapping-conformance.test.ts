/**
 * Differential conformance: our mapping engine against Keystone 22's own RuleProcessor, on every
 * committed golden mapping x its access table and on generated cases across the engine's features.
 * Results must be identical; Keystone's set-ordered outputs are compared as sets (spec §10).
 */
import { listStacks } from "../../infra/config/stack-file";
import { renderMapping } from "../../infra/model/mapping/generate";
import { fixtureAccessTable, fixtureModel, FIXTURES_DIR } from "../support/stack-files";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caseClaims, parseAccessTable } from "../../infra/verify/access-table";
import { claimsToEnviron } from "../../infra/verify/oidc-claims";
import { comparable, engineCaseArb, ours } from "../support/engine-cases";
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
    ...(typeof claims.identity_provider === "string"
      ? [
          [
            ": broker google;<alias>",
            { ...claims, identity_provider: `google;${claims.identity_provider}` },
          ] as [string, Claims],
        ]
      : []),
  ]);

describe.skipIf(unavailable !== undefined)("mapping engine conformance with Keystone 22", () => {
  it("every golden mapping x its access table gives identical results", () => {
    const cases = goldenCases();
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const theirs = evaluateWithKeystone(cases);
    cases.forEach((c, i) => expect(comparable(ours(c)), c.label).toEqual(comparable(theirs[i]!)));
  });

  it("a second value joined with ';' to azp or the broker alias grants nothing, in both engines", () => {
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
      expect(comparable(ours(c)), c.label).toEqual(ks);
      if (ks.error === undefined)
        expect({
          label: c.label,
          groups: [...(ks.group_ids ?? []), ...(ks.group_names ?? [])],
          projects: ks.projects,
        }).toEqual({ label: c.label, groups: [], projects: [] });
    });
  });

  it("600 generated cases across the engine's features give identical results", () => {
    const cases = fc.sample(engineCaseArb, { numRuns: 600, seed: 20261124 });
    const theirs = evaluateWithKeystone(cases);
    const mismatches: string[] = [];
    let matched = 0;
    const classes = new Map<string, number>();
    cases.forEach((c, i) => {
      const a = comparable(ours(c));
      const b = comparable(theirs[i]!);
      const label = "error" in theirs[i]! ? (theirs[i] as { error: string }).error : "ok";
      classes.set(label, (classes.get(label) ?? 0) + 1);
      if (JSON.stringify(a) === JSON.stringify(b)) matched++;
      else if (mismatches.length < 5)
        mismatches.push(JSON.stringify({ case: c, ours: a, keystone: b }));
    });
    console.log(
      `conformance: ${matched}/${cases.length} identical; outcomes ${JSON.stringify(Object.fromEntries(classes))}`,
    );
    expect(mismatches).toEqual([]);
    expect(classes.get("ok") ?? 0).toBeGreaterThanOrEqual(100);
    expect(classes.size).toBeGreaterThanOrEqual(5);
  });
});
