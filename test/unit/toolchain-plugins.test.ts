/**
 * `scripts/toolchain.sh plugins`: every provider plugin the npm packages request comes from the
 * plugin folder, checked against the sha256 pinned in scripts/toolchain.env before
 * `pulumi plugin install --file` sees it. A stand-in `pulumi` records how it is called.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const SHARED_PLUGINS = join(ROOT, "..", "shared", "plugins");
const ASSETS = {
  keycloak: "pulumi-resource-keycloak-v6.13.0-linux-amd64.tar.gz",
  openstack: "pulumi-resource-openstack-v3.15.2-linux-amd64.tar.gz",
  command: "pulumi-resource-command-v1.2.1-linux-amd64.tar.gz",
};

function setup(files: Record<string, string | { copyFrom: string }>) {
  const tmp = mkdtempSync(join(tmpdir(), "okf-plugins-"));
  const dir = join(tmp, "mirror");
  const bin = join(tmp, "bin");
  mkdirSync(dir);
  mkdirSync(bin);
  for (const [name, content] of Object.entries(files))
    if (typeof content === "string") writeFileSync(join(dir, name), content);
    else copyFileSync(content.copyFrom, join(dir, name));
  const log = join(tmp, "calls.log");
  writeFileSync(join(bin, "pulumi"), `#!/bin/sh\necho "pulumi $*" >>"${log}"\n`, { mode: 0o755 });
  const r = spawnSync("bash", [join(ROOT, "scripts", "toolchain.sh"), "plugins"], {
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      PULUMI_HOME: join(tmp, "home"),
      OKF_PLUGIN_DIR: dir,
    },
  });
  const calls = existsSync(log) ? readFileSync(log, "utf8").trimEnd().split("\n") : [];
  return { code: r.status, stderr: r.stderr, calls, dir };
}

describe("scripts/toolchain.sh plugins", () => {
  it("refuses a tarball whose sha256 differs from the pin, and installs nothing", () => {
    const r = setup({ [ASSETS.keycloak]: "not the release\n" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^toolchain: plugins: ${r.dir}/${ASSETS.keycloak} has sha256 [0-9a-f]{64}, but scripts/toolchain.env pins 39fa5093125ff465b9f65b10b64b327a74ddace14b15f32759c60dc3d0f96113: refusing it \\(replace the file with the pinned release\\)\\n$`,
      ),
    );
    expect(r.calls).toEqual([]);
  });

  it("names the missing tarball", () => {
    const r = setup({});
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `toolchain: plugins: ${r.dir} has no ${ASSETS.keycloak} (the keycloak plugin 6.13.0 the npm packages request): add it to the folder\n`,
    );
    expect(r.calls).toEqual([]);
  });

  it.skipIf(!existsSync(join(SHARED_PLUGINS, ASSETS.keycloak)))(
    "installs each pinned tarball with pulumi plugin install --file",
    () => {
      const r = setup(
        Object.fromEntries(
          Object.values(ASSETS).map((a) => [a, { copyFrom: join(SHARED_PLUGINS, a) }]),
        ),
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.calls).toEqual([
        `pulumi plugin install resource keycloak 6.13.0 --file ${r.dir}/${ASSETS.keycloak}`,
        `pulumi plugin install resource openstack 3.15.2 --file ${r.dir}/${ASSETS.openstack}`,
        `pulumi plugin install resource command 1.2.1 --file ${r.dir}/${ASSETS.command}`,
      ]);
    },
  );
});
