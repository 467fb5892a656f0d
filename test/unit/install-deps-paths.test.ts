/**
 * scripts/install-debian-deps.sh runs as root: its lock and its apt-update stamp must not be files
 * another local user can plant in /tmp (a symlink there would make root truncate its target).
 * Stand-ins for dpkg-query (one package missing) and apt-get let the script run to the end.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const root = process.getuid?.() === 0;

describe("scripts/install-debian-deps.sh", () => {
  it.skipIf(!root)(
    "leaves a symlink planted at its old /tmp paths and its target untouched",
    () => {
      const tmp = mkdtempSync(join(tmpdir(), "okf-deps-"));
      const bin = join(tmp, "bin");
      const target = join(tmp, "precious");
      writeFileSync(target, "keep me\n");
      for (const [tool, body] of [
        ["dpkg-query", 'case "$*" in *keystone*) exit 1;; esac; printf "install ok installed"'],
        ["apt-get", 'echo "apt-get $*" >>"' + join(tmp, "apt.log") + '"'],
      ] as [string, string][]) {
        const f = join(bin, tool);
        spawnSync("mkdir", ["-p", bin]);
        writeFileSync(f, `#!/bin/sh\n${body}\n`);
        chmodSync(f, 0o755);
      }
      const planted = ["/tmp/okf-apt.lock", "/tmp/okf-apt-updated"];
      for (const p of planted) {
        if (existsSync(p) || lstatSync(p, { throwIfNoEntry: false })) unlinkSync(p);
        symlinkSync(target, p);
      }
      try {
        const r = spawnSync("bash", [join(ROOT, "scripts", "install-debian-deps.sh"), "keystone"], {
          encoding: "utf8",
          env: {
            ...process.env,
            PATH: `${bin}:${process.env.PATH}`,
            OKF_DEPS_STATE_DIR: join(tmp, "state"),
          },
        });
        expect(r.status, r.stderr).toBe(0);
        expect(readFileSync(join(tmp, "apt.log"), "utf8")).toContain("install -y -qq");
        expect(readFileSync(target, "utf8")).toBe("keep me\n");
      } finally {
        for (const p of planted) rmSync(p, { force: true });
      }
    },
  );
});
