/**
 * Which Keystone the Keystone-facing suites run against: Debian 12's Keystone 22 (default) or the
 * current release from PyPI (`OKF_KEYSTONE_RELEASE=pypi`, version pinned in scripts/toolchain.env).
 * scripts/test.sh runs those suites once per release; test names carry the release, so every
 * result says which Keystone it came from.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const REPO = join(__dirname, "..", "..");

export interface KeystoneRelease {
  readonly kind: "debian" | "pypi";
  /** Major version: 22 for Debian 12's, the pinned PyPI release's otherwise. */
  readonly major: number;
  /** For test names, e.g. "Keystone 22 (Debian 12)". */
  readonly label: string;
  /** The Python that imports this Keystone. */
  readonly python: string;
  /** Its keystone-manage. */
  readonly manage: string;
}

function pinnedPypiVersion(): string {
  const env = readFileSync(join(REPO, "scripts", "toolchain.env"), "utf8");
  const v = /^OKF_KEYSTONE_PYPI_VERSION=(\S+)$/m.exec(env)?.[1];
  if (!v) throw new Error("scripts/toolchain.env lacks OKF_KEYSTONE_PYPI_VERSION");
  return v;
}

/** The virtualenv of the PyPI release (built on first use, cached by scripts/keystone-pypi.sh). */
export function pypiVenv(): string {
  return execFileSync("bash", [join(REPO, "scripts", "keystone-pypi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 900_000,
  }).trim();
}

function selected(): KeystoneRelease {
  const kind = process.env.OKF_KEYSTONE_RELEASE ?? "debian";
  if (kind === "debian") {
    return {
      kind,
      major: 22,
      label: "Keystone 22 (Debian 12)",
      python: "/usr/bin/python3",
      manage: "keystone-manage",
    };
  }
  if (kind !== "pypi")
    throw new Error(`OKF_KEYSTONE_RELEASE must be debian or pypi, not "${kind}"`);
  const version = pinnedPypiVersion();
  let venv: string | undefined;
  const at = () => (venv ??= pypiVenv());
  return {
    kind,
    major: Number(version.split(".")[0]),
    label: `Keystone ${version} (PyPI)`,
    get python() {
      return join(at(), "bin", "python");
    },
    get manage() {
      return join(at(), "bin", "keystone-manage");
    },
  };
}

export const KEYSTONE: KeystoneRelease = selected();
