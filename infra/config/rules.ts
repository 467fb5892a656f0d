/**
 * Cross-field rules of a stack configuration: references, uniqueness, URL hygiene, environment
 * policies, and values Keystone's mapping engine would mis-parse. Pure: returns every problem.
 */
import type { ConfigIssue, Push } from "./issues";
import type { StackConfig } from "./schema";
import type { SecretPresence } from "./secrets";
import { nameRules } from "./name-rules";
import { environmentRules } from "./environment-rules";
import { textRules } from "./text-rules";
import { urlRules } from "./url-rules";
import { credentialRules } from "./credential-rules";
import { deliveryRules } from "./delivery-rules";
import { smokeCheckRules } from "./smoke-check-rules";
import { clientRules, federationRules } from "./federation-rules";
import { retiredRules } from "./retired-rules";
import { accessRules, cloudWideRules, releaseRoleRules, tenantRules } from "./tenancy-rules";

export { MAX_AUTHORIZATION_TTL_MINUTES } from "./federation-rules";

/** Every cross-field problem of a schema-valid configuration. */
export function crossFieldIssues(
  cfg: StackConfig,
  secrets: SecretPresence,
  stack = "",
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const push: Push = (path, message, hint) => issues.push({ path, message, hint });
  urlRules(cfg, push);
  retiredRules(cfg, push);
  clientRules(cfg, push);
  federationRules(cfg, push);
  tenantRules(cfg, push);
  accessRules(cfg, push);
  cloudWideRules(cfg, push);
  releaseRoleRules(cfg, push);
  nameRules(cfg, push);
  textRules(cfg, push);
  environmentRules(cfg, stack, push);
  credentialRules(cfg, secrets, push);
  deliveryRules(cfg, secrets, push);
  smokeCheckRules(cfg, secrets, push);
  return issues;
}
