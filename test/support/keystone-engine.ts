/**
 * Evaluates many (rules, assertion) pairs with Keystone's own RuleProcessor in one Python process
 * (scripts/keystone-engine.py). With CI=true an unavailable engine is an error; elsewhere callers
 * skip with one line.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { KEYSTONE } from "./keystone-release";
import { inCI, REPO } from "./keystone-service";

export type KeystoneOutcome =
  | {
      ok: {
        user: Record<string, unknown>;
        group_ids: unknown[];
        group_names: unknown[];
        projects: unknown[];
      };
      seconds: number;
    }
  | { error: string; message: string };

export interface EngineCase {
  readonly rules: unknown;
  readonly assertion: Record<string, unknown>;
}

/** Makes sure Keystone is installed; returns a reason when it cannot be (outside CI). */
export function keystoneEngineAvailable(): string | undefined {
  try {
    execFileSync("bash", [join(REPO, "scripts", "install-debian-deps.sh"), "keystone"], {
      stdio: "pipe",
      timeout: 600_000,
    });
    execFileSync(KEYSTONE.python, ["-c", "import keystone.federation.utils"], { stdio: "pipe" });
    return undefined;
  } catch (e) {
    const reason = `Keystone's mapping engine is not available: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`;
    if (inCI()) throw new Error(`${reason} (CI=true, so this fails instead of skipping)`);
    console.warn(`skipping: ${reason}`);
    return reason;
  }
}

export function evaluateWithKeystone(cases: readonly EngineCase[]): KeystoneOutcome[] {
  const input = cases.map((c) => JSON.stringify(c)).join("\n") + "\n";
  const out = execFileSync(KEYSTONE.python, [join(REPO, "scripts", "keystone-engine.py")], {
    input,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, PYTHONHASHSEED: "0" },
  });
  return out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as KeystoneOutcome);
}
