/**
 * The passphrases this repository publishes for its example stacks (README.md, "Secrets"). Secrets
 * encrypted with one of them are readable by anyone: fine for a local or test stack, never for
 * staging or production.
 */
import type { ConfigIssue } from "./issues";
import { keyFromSalt } from "./passphrase";
import type { Environment } from "./schema";

export const DOCUMENTED_EXAMPLE_PASSPHRASES = [
  "example-passphrase",
  "local-dev-passphrase",
] as const;

const guarded = (environment: Environment) =>
  environment === "staging" || environment === "production";

/** True when `passphrase` opens the stack file's `encryptionsalt`. */
function opens(encryptionsalt: string, passphrase: string): boolean {
  try {
    keyFromSalt(passphrase, encryptionsalt);
    return true;
  } catch {
    return false;
  }
}

/**
 * A staging or production stack whose secrets a published example passphrase decrypts: the
 * passphrase in use (`PULUMI_CONFIG_PASSPHRASE`), or the one the stack file's salt accepts.
 */
export function exampleSecretIssue(
  environment: Environment,
  stackFile: { passphrase?: string | undefined; encryptionsalt?: string | undefined },
): ConfigIssue | undefined {
  if (!guarded(environment)) return undefined;
  const used = DOCUMENTED_EXAMPLE_PASSPHRASES.find(
    (p) =>
      p === stackFile.passphrase ||
      (stackFile.encryptionsalt !== undefined && opens(stackFile.encryptionsalt, p)),
  );
  if (used === undefined) return undefined;
  return {
    path: "(secrets)",
    message: `the ${environment} stack's secrets are encrypted with "${used}", a passphrase this repository publishes`,
    hint: "use your own passphrase or a KMS (pulumi stack change-secrets-provider), then set every secret again with pulumi config set --secret",
  };
}
