/**
 * Evaluates claims against a stack's mapping with the TypeScript engine and turns the result into
 * access: the offline answer to "what would alice get with these groups?".
 */
import { resolveAccess, type AccessOutcome } from "./access";
import type { DeploymentModel } from "../model/deployment-model";
import {
  evaluateMapping,
  MappingEngineError,
  processWithTrace,
  type RuleTrace,
} from "./mapping-engine";
import { claimsToEnviron } from "./oidc-claims";

export function accessFor(
  model: DeploymentModel,
  claims: Readonly<Record<string, unknown>>,
): AccessOutcome {
  const environ = claimsToEnviron(claims, model.federation);
  try {
    const mapped = evaluateMapping(model.federation.mapping, environ, {
      keystoneMajor: model.keystone.release,
    });
    return { denied: false, ...resolveAccess(model, mapped) };
  } catch (e) {
    if (e instanceof MappingEngineError)
      return { denied: true, reason: `${e.keystoneClass}: ${e.message}` };
    throw e;
  }
}

/** The same, with the per-rule trace for `mapping explain`. */
export function explainAccess(
  model: DeploymentModel,
  claims: Readonly<Record<string, unknown>>,
): { outcome: AccessOutcome; trace: RuleTrace[]; environ: Record<string, string> } {
  const environ = claimsToEnviron(claims, model.federation);
  const { result, error, trace } = processWithTrace(
    model.federation.mapping,
    environ,
    "1.0",
    model.keystone.release,
  );
  const outcome: AccessOutcome = result
    ? { denied: false, ...resolveAccess(model, result) }
    : { denied: true, reason: `${error!.keystoneClass}: ${error!.message}` };
  return { outcome, trace, environ };
}
