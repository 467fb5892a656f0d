/**
 * SSH delivery of the host configuration with the real engine and the real command plugin against
 * a real sshd on loopback: the target's host key is pinned, so a server that shows another key
 * gets nothing (the files carry the client secret and the crypto passphrase), and the pinned one
 * gets exactly the file, mode 0600. A small program declares only the HostConfiguration component.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createConnection } from "node:net";
import { userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { REPO } from "../support/keystone-service";

const DIR = "/tmp/okf-system-ssh-delivery";
const PORT = 24022;
const SSHD = "/usr/sbin/sshd";
const PAYLOAD = "OIDCCryptoPassphrase stand-in-secret-of-the-delivery-test-0123";
let sshd: ChildProcess | undefined;
let skipReason = "";

const sh = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};
const keygen = (file: string) =>
  sh("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "", "-f", file]);
const publicKey = (file: string) => readFileSync(`${file}.pub`, "utf8").trim();

const env = {
  ...process.env,
  PULUMI_BACKEND_URL: `file://${DIR}/state`,
  PULUMI_CONFIG_PASSPHRASE: "ssh-delivery-test-passphrase",
  PULUMI_HOME: join(DIR, "pulumi-home"),
};
function pulumi(args: string[]) {
  const r = spawnSync(
    "bash",
    [join(REPO, "scripts", "pulumi.sh"), "--cwd", join(DIR, "project"), ...args],
    {
      env,
      encoding: "utf8",
      timeout: 600_000,
    },
  );
  return { code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

function need(ctx: TestContext): void {
  if (skipReason) {
    if (process.env.CI === "true") throw new Error(skipReason);
    ctx.skip();
  }
}

async function listening(port: number, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: "127.0.0.1", port }, () => (s.end(), resolve(true)));
      s.on("error", () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

beforeAll(async () => {
  if (!existsSync(SSHD)) {
    skipReason = `no ${SSHD} (apt-get install openssh-server)`;
    return;
  }
  if (userInfo().uid !== 0) {
    skipReason = "sshd on loopback for this test runs as root";
    return;
  }
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(join(DIR, "project"), { recursive: true });
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  for (const k of ["host", "other-host", "client"]) keygen(join(DIR, k));
  writeFileSync(join(DIR, "authorized_keys"), `${publicKey(join(DIR, "client"))}\n`, {
    mode: 0o600,
  });
  writeFileSync(
    join(DIR, "sshd_config"),
    [
      `Port ${PORT}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${DIR}/host`,
      `PidFile ${DIR}/sshd.pid`,
      `AuthorizedKeysFile ${DIR}/authorized_keys`,
      "StrictModes no",
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "",
    ].join("\n"),
  );
  sshd = spawn(SSHD, ["-D", "-e", "-f", join(DIR, "sshd_config")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  if (!(await listening(PORT, Date.now() + 15_000))) {
    skipReason = "sshd did not listen on loopback";
    return;
  }
  // The program: only the delivery, with the project's own component and its explicit provider.
  const project = join(DIR, "project");
  writeFileSync(
    join(project, "Pulumi.yaml"),
    "name: okf-ssh-delivery\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n",
  );
  for (const f of ["infra", "node_modules", "package.json", "tsconfig.json"])
    symlinkSync(join(REPO, f), join(project, f));
  writeFileSync(
    join(project, "index.ts"),
    `import * as pulumi from "@pulumi/pulumi";
import type { DeliveryTarget } from "./infra/config/schema";
import { commandProvider } from "./infra/components/explicit-providers";
import { HostConfiguration } from "./infra/components/host-config";
const c = new pulumi.Config();
const file = { path: "apache/keystone-oidc.conf", mode: 0o600, secret: true };
const target = {
  name: "t1", kind: "ssh", host: "127.0.0.1", port: ${PORT}, user: "root",
  hostKey: c.require("hostKey"), artifacts: ["apache"], directory: "${DIR}/target",
} as DeliveryTarget;
new HostConfiguration("host-config", {
  artifacts: c.requireSecret("payload").apply((content) => [{ ...file, content }]),
  paths: [{ ...file, content: "" }],
  targets: [target],
  sshPrivateKey: c.requireSecret("sshKey"),
}, { providers: [commandProvider()] });
`,
  );
  mkdirSync(join(DIR, "state"), { recursive: true });
  for (const args of [
    ["stack", "init", "t", "--non-interactive"],
    ["config", "set", "--secret", "--stack", "t", "payload", "--", PAYLOAD],
    [
      "config",
      "set",
      "--secret",
      "sshKey",
      "--stack",
      "t",
      "--",
      readFileSync(join(DIR, "client"), "utf8"),
    ],
  ]) {
    const r = pulumi(args);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")}: ${r.out}`);
  }
}, 300_000);

afterAll(() => {
  sshd?.kill("SIGTERM");
  if (!skipReason)
    pulumi(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", "t"]);
});

/** `pulumi up` of the delivery with the target's host key pinned to the key file `keyName`. */
function upPinnedTo(keyName: string) {
  expect(
    pulumi(["config", "set", "hostKey", publicKey(join(DIR, keyName)), "--stack", "t"]).code,
  ).toBe(0);
  return pulumi(["up", "--yes", "--non-interactive", "--skip-preview", "--stack", "t"]);
}

describe("SSH delivery pins the target's host key (real sshd, real engine)", () => {
  it("a server showing another host key gets nothing: the delivery fails before a byte of the file is sent", (ctx) => {
    need(ctx);
    const up = upPinnedTo("other-host");
    expect(up.code, up.out.slice(-2000)).not.toBe(0);
    expect(up.out).toMatch(/host key mismatch|knownhosts: key mismatch|ssh: handshake failed/i);
    expect(up.out).not.toContain(PAYLOAD);
    expect(existsSync(join(DIR, "target"))).toBe(false);
  }, 300_000);

  it("the pinned host key gets exactly the file, mode 0600", (ctx) => {
    need(ctx);
    const up = upPinnedTo("host");
    expect(up.code, up.out.slice(-2000)).toBe(0);
    const delivered = join(DIR, "target", "apache", "keystone-oidc.conf");
    expect(readFileSync(delivered, "utf8")).toBe(PAYLOAD);
    expect(statSync(delivered).mode & 0o777).toBe(0o600);
  }, 300_000);
});
