/**
 * A first `pulumi up` with the engine's per-step state writes off (PULUMI_SKIP_CHECKPOINTS, the
 * switch docs/operations.md offers for large stacks) killed hard half-way: the state holds none of
 * what that run made while Keycloak and Keystone hold it; a plain `up` then fails on the names the
 * services hold; `pulumi cancel` and `npm run adopt --yes` take the objects back with their ids,
 * and the next `up` converges with nothing duplicated and the logins working. Read back from
 * Keycloak, Keystone and the CLI.
 */
import { KEYSTONE } from "../support/keystone-release";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { PROJECT_NAMESPACE } from "../../infra/stack-files/stack-file";
import { federatedLogin, scopeTo } from "../support/e2e-env";
import { runAdopt } from "../support/adopt-cli";
import { createKeycloakUser, kcCall, passwordGrant, realmGroups } from "../support/keycloak-admin";
import { call } from "../support/keystone-admin";
import {
  expectOk,
  PASSPHRASE,
  stopOrphansOfKilledCli,
  type PulumiResult,
  startSystem,
  type SystemEnv,
} from "../support/system-env";
import { CLIENT_SECRET, systemStack } from "./system-stack";

const SYS = systemStack("unsaved", 49);
const STACK = SYS.stack;
const NS = PROJECT_NAMESPACE;
const stackArgs = ["--non-interactive", "--stack", STACK];
let env: SystemEnv | undefined;
/** The ids Keystone and Keycloak gave what the killed run made, by name: adoption keeps each. */
let madeByTheKilledRun: Record<string, string> = {};

function need(ctx: TestContext): SystemEnv {
  if (!env) ctx.skip();
  return env!;
}

/** Every domain, project and group Keystone holds for the stack, name -> id. */
async function keystoneIds(e: SystemEnv): Promise<Record<string, string>> {
  const list = async (path: string, key: string) =>
    ((await call(e.admin, "GET", path)).json[key] as { id: string; name: string }[]) ?? [];
  const out: Record<string, string> = {};
  for (const d of await list("/domains", "domains")) {
    if (!d.name.startsWith("sys-") && d.name !== `${STACK}-users`) continue;
    out[`domain ${d.name}`] = d.id;
    for (const p of await list(`/projects?domain_id=${d.id}`, "projects"))
      out[`project ${d.name}/${p.name}`] = p.id;
    for (const g of await list(`/groups?domain_id=${d.id}`, "groups"))
      out[`group ${d.name}/${g.name}`] = g.id;
  }
  return out;
}

/** Keycloak's realm, clients with the stack's client id, and groups by path, path -> id. */
async function keycloakIds(e: SystemEnv): Promise<Record<string, string>> {
  const realm = e.model.keycloak.realm.name;
  const r = await kcCall(e.keycloak, "GET", `/${realm}`);
  if (r.status === 404) return {};
  const out: Record<string, string> = { realm: String((r.json as { id: string }).id) };
  const clients = (
    await kcCall(
      e.keycloak,
      "GET",
      `/${realm}/clients?clientId=${e.model.keycloak.client.clientId}`,
    )
  ).json as { id: string }[];
  clients.forEach((c, i) => (out[`client #${i + 1}`] = c.id));
  for (const [path, id] of await realmGroups(e.keycloak, realm)) out[`group ${path}`] = id;
  return out;
}

/** The resources the stack's state holds, by type and logical name. */
function stateResources(e: SystemEnv): string[] {
  const r = e.pulumi(["stack", "export", "--stack", STACK]);
  expectOk(r, "pulumi stack export");
  const resources = (JSON.parse(r.stdout) as { deployment: { resources?: { urn: string }[] } })
    .deployment.resources;
  return (resources ?? []).map((x) => x.urn.split("::").slice(-2).join("::"));
}

describe(`a hard-killed up with the state writes off, taken back by adopt [${KEYSTONE.label}]`, () => {
  beforeAll(async () => {
    const config = {
      ...SYS.config,
      // The killed run may have made the identity provider: adoption takes it over in place.
      [`${NS}:federation`]: JSON.stringify({ userDomain: `${STACK}-users`, adopt: true }),
    };
    env = await startSystem(STACK, config, SYS.secretKeys, SYS.ports, { up: false });
  });

  afterAll(() => env?.stop());

  it("killed half-way, the run leaves its objects in Keycloak and Keystone and none in the state", async (ctx) => {
    const e = need(ctx);
    // One step at a time, so that the kill lands half-way on a small stack.
    const run = e.spawnPulumi(["up", "--yes", "--skip-preview", "--parallel", "1", ...stackArgs], {
      env: { PULUMI_SKIP_CHECKPOINTS: "true" },
    });
    // Half-way: a project in Keystone and a group in Keycloak exist; grants, the mapping and the
    // protocol come after them.
    const realm = e.model.keycloak.realm.name;
    const made = async () =>
      ((await call(e.admin, "GET", "/projects?name=web")).json.projects as unknown[]).length > 0 &&
      (await kcCall(e.keycloak, "GET", `/${realm}/group-by-path/sys-acme/developers`)).status ===
        200;
    let settled: PulumiResult | undefined;
    void run.done.then((r) => (settled = r));
    const deadline = Date.now() + 300_000;
    while (!(await made())) {
      if (settled) throw new Error(`the up ended before it was killed:\n${settled.stdout}`);
      if (Date.now() > deadline) throw new Error("the up made no project and group in 5 minutes");
      await sleep(50);
    }
    if (settled) throw new Error(`the up ended before it was killed:\n${settled.stdout}`);
    run.kill();
    const killed = await run.done;
    // What a hard stop leaves running (docs/operations.md says so): the plugins that ignore their
    // engine's end. Stopped here so that the suite leaves nothing behind.
    await stopOrphansOfKilledCli(e.dir);
    expect(killed.stdout, "the run was killed before it ended").not.toMatch(/^Resources:/m);
    madeByTheKilledRun = { ...(await keystoneIds(e)), ...(await keycloakIds(e)) };
    expect(Object.keys(madeByTheKilledRun)).toEqual(
      expect.arrayContaining(["domain sys-acme", "project sys-acme/web", "realm", "client #1"]),
    );
    // The state was never written: none of the program's resources is in it.
    expect(stateResources(e).filter((r) => !r.startsWith("pulumi:"))).toEqual([]);
  });

  it("a plain up then fails on the names Keycloak and Keystone already hold", (ctx) => {
    const e = need(ctx);
    if (Object.keys(madeByTheKilledRun).length === 0) ctx.skip();
    // The killed run's lock stays until `pulumi cancel` clears it.
    const locked = e.pulumi(["up", "--yes", "--skip-preview", ...stackArgs]);
    expect(`${locked.stdout}${locked.stderr}`).toMatch(/locked by 1 lock\(s\)[\s\S]*pulumi cancel/);
    expectOk(e.pulumi(["cancel", "--yes", "--stack", STACK]), "pulumi cancel");
    const plain = e.pulumi(["up", "--yes", "--skip-preview", ...stackArgs]);
    expect(plain.code).not.toBe(0);
    expect(`${plain.stdout}${plain.stderr}`).toMatch(/409|[Cc]onflict|already exists/);
  });

  it("npm run adopt --yes takes them back with their ids; up converges with nothing duplicated and logins work", async (ctx) => {
    const e = need(ctx);
    if (Object.keys(madeByTheKilledRun).length === 0) ctx.skip();
    const adopted = runAdopt(e, { dir: e.dir, passphrase: PASSPHRASE }, ["--yes"]);
    expect(adopted.code, adopted.out.slice(-4000)).toBe(0);
    // It found the stack's components in the state the failed runs left, and imported by them.
    expect(adopted.out).toMatch(/^ {2}domain sys-acme {2}[0-9a-f]{32}$/m);
    expect(adopted.out).toMatch(/^ {2}realm okf-unsaved {2}okf-unsaved$/m);
    expectOk(e.pulumi(["up", "--yes", "--skip-preview", ...stackArgs]), "pulumi up after adopt");
    expectOk(e.pulumi(["preview", "--expect-no-changes", ...stackArgs]), "preview after up");

    const now = { ...(await keystoneIds(e)), ...(await keycloakIds(e)) };
    // Every object the killed run made is still there with its id, and there is one client.
    for (const [name, id] of Object.entries(madeByTheKilledRun)) expect(now[name], name).toBe(id);
    expect(Object.keys(now).filter((k) => k.startsWith("client #"))).toEqual(["client #1"]);
    // Exactly what the stack declares, nothing twice.
    expect(Object.keys(now).sort()).toEqual(
      [
        "realm",
        "client #1",
        "domain sys-acme",
        "domain sys-globex",
        `domain ${STACK}-users`,
        "project sys-acme/web",
        "project sys-acme/data",
        "project sys-globex/research",
        "group sys-acme/sys-acme-developers",
        "group sys-acme/sys-acme-auditors",
        "group sys-globex/sys-globex-researchers",
        "group /sys-acme",
        "group /sys-acme/developers",
        "group /sys-acme/auditors",
        "group /sys-globex",
        "group /sys-globex/researchers",
      ].sort(),
    );

    // A developer logs in and reaches exactly sys-acme/web.
    const realm = e.model.keycloak.realm.name;
    const dev = { username: "unsaved-dev", password: "unsaved-dev-pass-1" };
    await createKeycloakUser(e.keycloak, realm, {
      ...dev,
      email: "dev@acme.example",
      groupIds: [now["group /sys-acme/developers"]!],
    });
    const t = await passwordGrant(
      `http://127.0.0.1:${SYS.ports.keycloakHttp}`,
      realm,
      { id: e.model.keycloak.client.clientId, secret: CLIENT_SECRET },
      dev.username,
      dev.password,
    );
    expect(t.status).toBe(200);
    const login = await federatedLogin(e.model, String(t.body.access_token));
    expect(login.status).toBe(201);
    const reached: string[] = [];
    for (const [tenant, project] of [
      ["sys-acme", "web"],
      ["sys-acme", "data"],
      ["sys-globex", "research"],
    ] as const)
      if ((await scopeTo(e.model, login.token!, tenant, project)).status === 201)
        reached.push(`${tenant}/${project}`);
    expect(reached).toEqual(["sys-acme/web"]);
  });
});
