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

describe("scripts/keycloak.sh fetch", () => {
  it("refuses an archive whose sha256 is not the pinned one, and unpacks nothing", () => {
    const tmp = mkdtempSync(join(tmpdir(), "okf-keycloak-fetch-"));
    const bin = join(tmp, "bin");
    mkdirSync(bin);
    // A stand-in Maven that "downloads" an archive with the right name and the wrong content.
    writeFileSync(
      join(bin, "mvn"),
      `#!/bin/sh\necho "mvn $*" >>"${tmp}/mvn.log"\nfor a in "$@"; do case "$a" in -DoutputDirectory=*) d=\${a#-DoutputDirectory=};; esac; done\nmkdir -p "$d/keycloak-26.7.3/bin" && printf '#!/bin/sh\\n' >"$d/keycloak-26.7.3/bin/kc.sh" && chmod +x "$d/keycloak-26.7.3/bin/kc.sh"\ntar czf "$d/keycloak-quarkus-dist-26.7.3.tar.gz" -C "$d" keycloak-26.7.3 && rm -r "$d/keycloak-26.7.3"\n`,
      { mode: 0o755 },
    );
    const r = spawnSync("bash", [join(ROOT, "scripts", "keycloak.sh"), "fetch"], {
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, OKF_CACHE: join(tmp, "cache") },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /keycloak\.sh: \S+keycloak-quarkus-dist-26\.7\.3\.tar\.gz has sha256 [0-9a-f]{64}, but scripts\/toolchain\.env pins 77657f30b7e90d70f727712ce1c967f430fd6a5e9f458d32d8c6df0635345f47: refusing it\n$/,
    );
    expect(readFileSync(join(tmp, "mvn.log"), "utf8")).toContain("--strict-checksums");
    expect(existsSync(join(tmp, "cache", "keycloak-26.7.3", "keycloak-26.7.3"))).toBe(false);
    expect(
      existsSync(join(tmp, "cache", "keycloak-26.7.3", "keycloak-quarkus-dist-26.7.3.tar.gz")),
    ).toBe(false);
  });
});

describe("PyPI locks", () => {
  it.each(["keystone-pypi.lock", "clients.lock"])(
    "%s pins every package by version and wheel sha256, and its script installs with --require-hashes",
    (lock) => {
      const lines = readFileSync(join(ROOT, "scripts", lock), "utf8")
        .split("\n")
        .filter((l) => l && !l.startsWith("#"));
      expect(lines.length).toBeGreaterThan(20);
      for (const l of lines)
        expect(l).toMatch(/^[A-Za-z0-9][\w.-]*==[\w.+!-]+ --hash=sha256:[0-9a-f]{64}$/);
      const script = lock === "clients.lock" ? "clients.sh" : "keystone-pypi.sh";
      expect(readFileSync(join(ROOT, "scripts", script), "utf8")).toMatch(
        /pip" install [^\n]*--require-hashes \\\n\s+--no-deps -r "\$(here\/clients\.lock|lock)"/,
      );
    },
  );
});
