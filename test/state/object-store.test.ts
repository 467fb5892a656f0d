/**
 * Pulumi state in the cloud's own object store, with the real CLI: OpenStack Swift with its S3 API
 * (scripts/swift.sh) as the backend, reached through scripts/pulumi.sh with OKF_STATE_BUCKET,
 * OKF_STATE_ENDPOINT and the S3 credentials as environment variables (the recipe in
 * docs/operations.md). Two operators, concurrent updates, a store that goes away mid-update and a
 * killed run. Everything asserted is read back from the CLI, the bucket, Swift's disk or Keystone.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { call } from "../support/keystone-admin";
import { startObjectStore, type ObjectStore } from "../support/object-store";
import {
  expectOk,
  PASSPHRASE,
  stopOrphansOfKilledCli,
  type PulumiResult,
  startSystem,
  type SystemEnv,
  workingCopy,
} from "../support/system-env";
import { KEYSTONE_ADMIN_PASSWORD, systemStack } from "../system/system-stack";
import { PROJECT_NAMESPACE } from "../../infra/stack-files/stack-file";

const SYS = systemStack("state", 21);
const STACK = SYS.stack;
const STORE_DIR = "/tmp/okf-state-swift";
const STORE_PORT = 27480;
const BUCKET = "okf-state";
const LOCKS = `.pulumi/locks/`;
/** The diy backend's lock folder for the stack: its fully qualified name, `organization/<project>/<stack>`. */
const STACK_LOCKS = `${LOCKS}organization/${PROJECT_NAMESPACE}/${STACK}/`;
const DYNAMIC = "pulumi-nodejs:dynamic/keystone:";

let store: ObjectStore | undefined;
let env: SystemEnv | undefined;

function need(ctx: TestContext): { store: ObjectStore; env: SystemEnv } {
  if (!store || !env) ctx.skip();
  return { store: store!, env: env! };
}

const out = (r: PulumiResult) => `${r.stdout}\n${r.stderr}`;

async function waitForLock(s: ObjectStore): Promise<string[]> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const keys = [...(await s.objects(LOCKS)).keys()];
    if (keys.length > 0 || Date.now() > deadline) return keys;
    await sleep(100);
  }
}

async function federationStatus(e: SystemEnv): Promise<number[]> {
  const f = e.model.federation;
  return Promise.all(
    [
      `/OS-FEDERATION/identity_providers/${f.idpId}`,
      `/OS-FEDERATION/mappings/${f.mappingId}`,
      `/OS-FEDERATION/identity_providers/${f.idpId}/protocols/${f.protocolId}`,
    ].map(async (path) => (await call(e.admin, "GET", path)).status),
  );
}

function dynamicResources(e: SystemEnv): string[] {
  const exported = e.pulumi(["stack", "export", "--stack", STACK]);
  expectOk(exported, "pulumi stack export");
  return (
    JSON.parse(exported.stdout) as { deployment: { resources?: { type: string }[] } }
  ).deployment
    .resources!.map((r) => r.type)
    .filter((t) => ALL_THREE.includes(t))
    .sort();
}

const ALL_THREE = [
  `${DYNAMIC}FederationProtocol`,
  `${DYNAMIC}IdentityProvider`,
  `${DYNAMIC}Mapping`,
];

describe("Pulumi state in Swift's S3 API, shared by operators", () => {
  beforeAll(async () => {
    store = await startObjectStore(STORE_DIR, STORE_PORT, BUCKET);
    if (!store) return;
    env = await startSystem(STACK, SYS.config, SYS.secretKeys, SYS.ports, {
      backendEnv: store.cliEnv,
      up: false,
    });
  });

  afterAll(() => {
    env?.stop();
    store?.stop();
  });

  it("scripts/pulumi.sh keeps the stack in the bucket, and pulumi up creates the federation", async (ctx) => {
    const { store: s, env: e } = need(ctx);
    expect(s.backendUrl).toBe(
      `s3://${BUCKET}?endpoint=${s.endpoint}&use_path_style=true&region=us-east-1` +
        "&request_checksum_calculation=when_required&response_checksum_validation=when_required",
    );
    const whoami = e.pulumi(["whoami", "--verbose"]);
    expectOk(whoami, "pulumi whoami");
    expect(whoami.stdout).toContain(`Backend URL: ${s.backendUrl}`);
    expectOk(e.pulumi(["up", "--yes", "--non-interactive", "--stack", STACK]), "pulumi up");
    expect(await federationStatus(e)).toEqual([200, 200, 200]);
    const keys = [...(await s.objects()).keys()];
    expect(keys).toContain(`.pulumi/stacks/${PROJECT_NAMESPACE}/${STACK}.json`);
    expect(keys.filter((k) => k.startsWith(LOCKS))).toEqual([]);
    expect(dynamicResources(e)).toEqual(ALL_THREE);
  });

  it("a second operator in another checkout sees the same stack and state, with no changes to make", async (ctx) => {
    const { env: e } = need(ctx);
    // Another operator's checkout: the same program and stack file, its own Pulumi home.
    const program = workingCopy(join(e.dir, "operator-b"));
    cpSync(e.stackFile, join(program, "stacks", `Pulumi.${STACK}.yaml`));
    const other = { PULUMI_HOME: join(e.dir, "operator-b-home") };
    const ls = await e.spawnPulumi(["stack", "ls", "--json"], { cwd: program, env: other }).done;
    expectOk(ls, "pulumi stack ls (operator B)");
    const stacks = JSON.parse(ls.stdout) as { name: string; resourceCount?: number }[];
    expect(stacks.find((x) => x.name === STACK)?.resourceCount).toBeGreaterThanOrEqual(4);
    const preview = await e.spawnPulumi(
      ["preview", "--expect-no-changes", "--non-interactive", "--stack", STACK],
      { cwd: program, env: other },
    ).done;
    expectOk(preview, "pulumi preview --expect-no-changes (operator B)");
    const outputs = await e.spawnPulumi(["stack", "output", "mappingId", "--stack", STACK], {
      cwd: program,
      env: other,
    }).done;
    expect(outputs.stdout.trim()).toBe(e.model.federation.mappingId);
  });

  it("two concurrent pulumi up: one proceeds, the other is refused by the lock, the state stays intact", async (ctx) => {
    const { store: s, env: e } = need(ctx);
    const first = e.spawnPulumi(["up", "--yes", "--non-interactive", "--stack", STACK]);
    const held = await waitForLock(s);
    expect(held, "the first up holds one lock object in the bucket").toHaveLength(1);
    expect(held[0]).toMatch(new RegExp(`^${STACK_LOCKS}[0-9a-f-]+\\.json$`));
    const second = e.pulumi(["up", "--yes", "--non-interactive", "--stack", STACK]);
    expect(second.code).not.toBe(0);
    expect(out(second)).toMatch(/the stack is currently locked by 1 lock\(s\)/);
    expect(out(second)).toContain("pulumi cancel");
    expectOk(await first.done, "the first pulumi up");
    expect([...(await s.objects(LOCKS)).keys()]).toEqual([]);
    expect(dynamicResources(e)).toEqual(ALL_THREE);
    expectOk(
      e.pulumi(["preview", "--expect-no-changes", "--non-interactive", "--stack", STACK]),
      "pulumi preview --expect-no-changes after the refused run",
    );
  });

  it("a killed run leaves a stale lock that names the command that clears it; after it, the stack converges", async (ctx) => {
    const { store: s, env: e } = need(ctx);
    const run = e.spawnPulumi(["up", "--yes", "--non-interactive", "--stack", STACK]);
    expect(await waitForLock(s)).toHaveLength(1);
    run.kill();
    await run.done;
    await stopOrphansOfKilledCli(e.dir);
    expect([...(await s.objects(LOCKS)).keys()], "the killed run's lock stays").toHaveLength(1);
    const refused = e.pulumi(["preview", "--non-interactive", "--stack", STACK]);
    // A preview takes no lock; an update is refused and names `pulumi cancel`.
    expectOk(refused, "pulumi preview beside a stale lock");
    const blocked = e.pulumi(["up", "--yes", "--non-interactive", "--stack", STACK]);
    expect(blocked.code).not.toBe(0);
    expect(out(blocked)).toMatch(/locked by 1 lock\(s\)[\s\S]*pulumi cancel/);
    // ...and the lock object's full URL, with the endpoint and without any credential.
    expect(out(blocked)).toContain(`s3://${BUCKET}/${STACK_LOCKS}`);
    expect(out(blocked)).not.toContain(s.secretKey);
    expectOk(e.pulumi(["cancel", "--yes", "--stack", STACK]), "pulumi cancel");
    expect([...(await s.objects(LOCKS)).keys()]).toEqual([]);
    expectOk(e.pulumi(["up", "--yes", "--non-interactive", "--stack", STACK]), "pulumi up");
    expect(dynamicResources(e)).toEqual(ALL_THREE);
  });

  it("the object store going away during pulumi up: a clear error, nothing half-applied, and after a restart the re-run converges", async (ctx) => {
    const { store: s, env: e } = need(ctx);
    // From nothing, so that the interrupted update had federation objects to create.
    expectOk(
      e.pulumi(["destroy", "--yes", "--non-interactive", "--stack", STACK]),
      "pulumi destroy",
    );
    expect(await federationStatus(e)).toEqual([404, 404, 404]);
    const run = e.spawnPulumi(["up", "--yes", "--non-interactive", "--stack", STACK]);
    expect(await waitForLock(s)).toHaveLength(1);
    s.stop();
    const failed = await run.done;
    s.start();
    // The CLI stops at the first state write it cannot make, before any step, and says why.
    expect(failed.code).not.toBe(0);
    expect(out(failed)).toMatch(
      /failed to save snapshot[^\n]*PutObject[^\n]*127\.0\.0\.1:27480[^\n]*connection refused/,
    );
    expect(out(failed)).toMatch(
      new RegExp(
        `problem deleting the lock at s3://${BUCKET}/${STACK_LOCKS}[^\\n]*manual clean up may be required`,
      ),
    );
    expect(out(failed)).not.toContain(s.secretKey);
    expect(await federationStatus(e), "nothing was created behind the state's back").toEqual([
      404, 404, 404,
    ]);
    // The lock the run could not remove: the next update is refused and names `pulumi cancel`.
    const blocked = e.pulumi(["up", "--yes", "--non-interactive", "--stack", STACK]);
    expect(blocked.code).not.toBe(0);
    expect(out(blocked)).toMatch(/locked by 1 lock\(s\)[\s\S]*pulumi cancel/);
    expectOk(e.pulumi(["cancel", "--yes", "--stack", STACK]), "pulumi cancel");
    expectOk(e.pulumi(["up", "--yes", "--non-interactive", "--stack", STACK]), "pulumi up");
    expect(await federationStatus(e)).toEqual([200, 200, 200]);
    expect(dynamicResources(e)).toEqual(ALL_THREE);
    expectOk(
      e.pulumi(["preview", "--expect-no-changes", "--non-interactive", "--stack", STACK]),
      "pulumi preview --expect-no-changes after the outage",
    );
  });

  it("neither the exported state nor any object in the bucket nor Swift's disk holds a secret in plain text", async (ctx) => {
    const { store: s, env: e } = need(ctx);
    const secrets = {
      "the Keystone admin password": KEYSTONE_ADMIN_PASSWORD,
      "the OIDC client secret": e.clientSecret,
      "the stack passphrase": PASSPHRASE,
      "the object store's secret key": s.secretKey,
    };
    const exported = e.pulumi(["stack", "export", "--stack", STACK]);
    expectOk(exported, "pulumi stack export");
    const objects = await s.objects();
    // The stack, its history and the backups the CLI keeps: all there, read through the S3 API.
    expect([...objects.keys()].some((k) => k.startsWith(".pulumi/history/"))).toBe(true);
    expect([...objects.keys()].some((k) => k.startsWith(".pulumi/backups/"))).toBe(true);
    const raw = s.rawDataFiles();
    expect(raw.length).toBeGreaterThanOrEqual(objects.size);
    const stateText = [...objects.values()].join("\n");
    expect(stateText).toContain("ciphertext");
    for (const [what, value] of Object.entries(secrets)) {
      expect(exported.stdout, `${what} in pulumi stack export`).not.toContain(value);
      expect(stateText, `${what} in an object in the bucket`).not.toContain(value);
      for (const f of raw) expect(readFileSync(f).includes(value), `${what} in ${f}`).toBe(false);
    }
  });
});
