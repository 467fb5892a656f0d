/**
 * Realm settings the proxy realm and the customer realms share, in the provider's shape. Wiring
 * only: the numbers come from the DeploymentModel.
 */
import type * as keycloak from "@pulumi/keycloak";
import type { BruteForcePolicy } from "../model/deployment-model";

/** Keycloak duration strings: the provider takes Go-style durations such as `300s`. */
export const duration = (seconds: number) => `${seconds}s`;

/**
 * Brute-force protection. Without this block the provider writes bruteForceProtected=false on every
 * realm update (docs/keycloak-behaviour.md item 4). Temporary lockouts only, so an attacker cannot
 * lock a user out for good; the password grant counts failures too.
 */
export function securityDefenses(p: BruteForcePolicy): keycloak.types.input.RealmSecurityDefenses {
  return {
    bruteForceDetection: {
      permanentLockout: false,
      maxLoginFailures: p.maxLoginFailures,
      waitIncrementSeconds: p.waitIncrementSeconds,
      maxFailureWaitSeconds: p.maxFailureWaitSeconds,
      failureResetTimeSeconds: p.failureResetTimeSeconds,
      quickLoginCheckMilliSeconds: p.quickLoginCheckMilliSeconds,
      minimumQuickLoginWaitSeconds: p.minimumQuickLoginWaitSeconds,
    },
  };
}
