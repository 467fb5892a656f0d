/**
 * Access tables (`mappings/<stack>.access.yaml`): claim sets and the access each must yield, or
 * denial. Parsing is pure (text in, typed table out); evaluation lives with the engine's callers.
 */
import { parse } from "yaml";
import { z } from "zod";
import type { DeploymentModel } from "../model/deployment-model";

const ExpectAccessSchema = z.strictObject({
  user: z.string().describe("Keystone user name the mapping produces"),
  groups: z.array(z.string()).describe("Keystone groups as <domain>/<group>"),
  roles: z
    .record(z.string(), z.array(z.string()))
    .describe("roles per <domain> or <domain>/<project>"),
});

const AccessCaseSchema = z.strictObject({
  name: z.string().min(1),
  claims: z.record(z.string(), z.unknown()).default({}),
  /** Claims to remove from the defaults (e.g. to test a missing username). */
  without: z.array(z.string()).default([]),
  expect: z.union([z.literal("deny"), ExpectAccessSchema]),
});

export const AccessTableSchema = z.strictObject({
  defaults: z.record(z.string(), z.unknown()).default({}),
  cases: z.array(AccessCaseSchema).min(1),
});

export type AccessTable = z.infer<typeof AccessTableSchema>;
export type AccessCase = z.infer<typeof AccessCaseSchema>;

export function parseAccessTable(text: string): AccessTable {
  return AccessTableSchema.parse(parse(text));
}

/** The token claims of a case: stack defaults (iss, azp, aud, typ), table defaults, case claims, minus `without`. */
export function caseClaims(
  model: DeploymentModel,
  table: AccessTable,
  c: AccessCase,
): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    iss: model.keycloak.issuer,
    azp: model.keycloak.client.clientId,
    aud: [model.keycloak.client.clientId],
    typ: "Bearer",
    ...table.defaults,
    ...c.claims,
  };
  for (const k of c.without) delete claims[k];
  return claims;
}

/** The outcome a case expects, in the shape `resolveAccess` produces. */
export function expectedOutcome(
  c: AccessCase,
):
  | { denied: true }
  | { denied: false; user: { name: string }; groups: string[]; roles: Record<string, string[]> } {
  if (c.expect === "deny") return { denied: true };
  const roles: Record<string, string[]> = {};
  for (const k of Object.keys(c.expect.roles).sort()) roles[k] = [...c.expect.roles[k]!].sort();
  return {
    denied: false,
    user: { name: c.expect.user },
    groups: [...c.expect.groups].sort(),
    roles,
  };
}
