/**
 * Starts a throw-away Keystone for a suite through scripts/keystone.sh. With CI=true a Keystone
 * that cannot start is an error (the suite fails); elsewhere the suite is skipped with one line.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

export const REPO = join(__dirname, "..", "..");
const SCRIPT = join(REPO, "scripts", "keystone.sh");

export interface KeystoneService {
  readonly url: string; // http://127.0.0.1:PORT
  readonly dir: string;
  readonly port: number;
  readonly adminPassword: string;
  stop(): void;
  start(): void;
}

export function inCI(): boolean {
  return process.env.CI === "true" || process.env.CI === "1";
}

/**
 * A service environment that could not start: with CI=true a failure, elsewhere a one-line skip.
 * `tail` is how much of a failed command's stderr the reason carries.
 */
export function notStarted(what: string, e: unknown, tail: number): undefined {
  const reason =
    e instanceof Error
      ? `${e.message.slice(0, tail)} ${(e as Error & { stderr?: Buffer }).stderr?.toString().slice(-tail) ?? ""}`
      : String(e);
  if (inCI())
    throw new Error(
      `${what} could not start (CI=true, so this fails instead of skipping): ${reason}`,
    );
  console.warn(`skipping: ${what} could not start here (${reason})`);
  return undefined;
}

/** Starts Keystone in a fresh dir; returns undefined (and says why) when it cannot outside CI. */
export function startKeystone(name: string, port: number): KeystoneService | undefined {
  const dir = `/tmp/okf-${name}`;
  rmSync(dir, { recursive: true, force: true });
  const start = () =>
    execFileSync("bash", [SCRIPT, "start", dir, String(port)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 600_000,
    }).trim();
  try {
    const url = start().split("\n").pop()!;
    return {
      url,
      dir,
      port,
      adminPassword: readFileSync(join(dir, "admin-password"), "utf8"),
      stop: () => execFileSync("bash", [SCRIPT, "stop", dir], { stdio: "ignore" }),
      start: () => void start(),
    };
  } catch (e) {
    const reason =
      e instanceof Error ? (e as Error & { stderr?: string }).stderr || e.message : String(e);
    if (inCI())
      throw new Error(
        `Keystone could not start (CI=true, so this fails instead of skipping): ${reason}`,
      );
    console.warn(`skipping: Keystone could not start here (${reason.split("\n")[0]})`);
    return undefined;
  }
}
