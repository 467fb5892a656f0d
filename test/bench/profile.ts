/**
 * Where Keystone spends its time under the login load: py-spy (from PyPI, in a virtualenv of its
 * own, /var/cache/okf-bench-tools) samples every mod_wsgi daemon process for a while, and each
 * sample is put into the first bucket its stack names: loading the mapping, evaluating its rules
 * (RuleProcessor), the mapped groups' lookups, the shadow user, token work, or the rest.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const TOOLS = "/var/cache/okf-bench-tools";
const PY_SPY = join(TOOLS, "bin", "py-spy");
const PY_SPY_VERSION = "0.4.3";

/** Buckets in priority order: a sample counts in the first whose function its stack contains. */
const BUCKETS: readonly (readonly [string, RegExp])[] = [
  // Keystone reads the mapping row and parses its JSON rules on every login (not cached).
  ["mapping load", /(^|\.)get_mapping_from_idp_and_protocol \(/],
  ["mapping rules", /^RuleProcessor\.process \(/],
  ["group lookups", /^(transform_to_group_ids|validate_mapped_group_ids) \(/],
  ["shadow user", /(^|\.)shadow_federated_user \(/],
  ["token", /\(keystone\/(token|models\/token_model)\//],
];

export type Profile = { samples: number; shares: Record<string, number> };

/** Installs py-spy once; false (with the reason on stderr) when it cannot. */
export function ensurePySpy(): boolean {
  if (existsSync(PY_SPY)) return true;
  try {
    execFileSync("python3", ["-m", "venv", TOOLS], { stdio: "ignore" });
    execFileSync(join(TOOLS, "bin", "pip"), ["install", "-q", `py-spy==${PY_SPY_VERSION}`], {
      stdio: "ignore",
    });
    return true;
  } catch (e) {
    console.error(`profile: py-spy could not be installed (${String(e)})`);
    return false;
  }
}

/**
 * Samples every process whose command line matches `pattern` (pgrep -f) for `seconds`; run it
 * beside the load. mod_wsgi's daemons show their display-name cut to the length of the original
 * argv[0] (`okf-keystone` over `apache2` reads `okf-key`).
 */
export async function profileProcesses(
  pattern: string,
  seconds: number,
  out: string,
): Promise<Profile> {
  const pids = execFileSync("pgrep", ["-f", pattern], { encoding: "utf8" }).trim().split("\n");
  const files = pids.map((pid) => `${out}-${pid}.txt`);
  await Promise.all(
    pids.map(
      (pid, i) =>
        new Promise<void>((resolve, reject) => {
          const p = spawn(
            PY_SPY,
            [
              "record",
              "--pid",
              pid,
              "--duration",
              String(seconds),
              "--rate",
              "200",
              "--format",
              "raw",
              "--nonblocking",
              "--output",
              files[i]!,
            ],
            { stdio: "ignore" },
          );
          p.on("close", (code) =>
            code === 0 ? resolve() : reject(new Error(`py-spy exited ${code}`)),
          );
        }),
    ),
  );
  return bucketed(files);
}

/** Sorts py-spy raw files' samples into the buckets. */
export function bucketed(files: readonly string[]): Profile {
  const counts = new Map<string, number>();
  let samples = 0;
  for (const f of files) {
    for (const line of readFileSync(f, "utf8").split("\n")) {
      const m = /^(.*) (\d+)$/.exec(line);
      if (!m) continue;
      const n = Number(m[2]);
      const frames = m[1]!.split(";");
      const bucket = BUCKETS.find(([, re]) => frames.some((fr) => re.test(fr)))?.[0] ?? "other";
      counts.set(bucket, (counts.get(bucket) ?? 0) + n);
      samples += n;
    }
  }
  const shares: Record<string, number> = {};
  for (const [b] of [...BUCKETS, ["other"] as const]) shares[b] = (counts.get(b) ?? 0) / samples;
  return { samples, shares };
}
