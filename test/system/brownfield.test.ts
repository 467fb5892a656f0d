/**
 * Brownfield, all real: a federation built the way the SCS/OSISM testbed and kolla-ansible built
 * theirs — the realm, a confidential `keystone`-style client with the implicit flow and the password
 * grant on, a groups mapper, groups and a user with a password made with Keycloak's own kcadm.sh;
 * the domains, project, group, grant, identity provider, a group-path mapping and the protocol made
 * with the openstack CLI — with a user logged in. `npm run adopt` first refuses the names that
 * differ from the stack's (naming the keys), then imports; `up` converges in place while the user
 * keeps logging in. Read back from Keycloak and Keystone: every id unchanged, the user, her
 * credential and her session intact, nothing deleted.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { PROJECT_NAMESPACE } from "../../infra/stack-files/stack-file";
import { federatedLogin, scopeTo } from "../support/e2e-env";
import { openstackAsAdmin, runAdopt } from "../support/adopt-cli";
import { kcCall, passwordGrant } from "../support/keycloak-admin";
import { call } from "../support/keystone-admin";
import { REPO } from "../support/keystone-service";
import { PASSPHRASE, type SystemEnv, startSystem } from "../support/system-env";
import { CLIENT_SECRET, KEYSTONE_ADMIN_PASSWORD, systemStack } from "./system-stack";

const SYS = systemStack("brown", 28);
const NS = PROJECT_NAMESPACE;
const ALICE = { username: "alice", password: "alice-brownfield-pass" };
let env: SystemEnv | undefined;
let kcadmBin = "";

function need(ctx: TestContext): SystemEnv {
  if (!env) ctx.skip();
  return env!;
}

/** Keycloak's own admin CLI from its distribution, logged in to the master realm. */
function kcadm(e: SystemEnv, ...args: string[]): string {
  return execFileSync(kcadmBin, [...args, "--config", join(e.dir, "kcadm.config")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

const os = (e: SystemEnv, ...args: string[]) =>
  openstackAsAdmin(e.model.keystone.url, KEYSTONE_ADMIN_PASSWORD, args);

const adopt = (e: SystemEnv, ...extra: string[]) =>
  runAdopt(e, { dir: e.dir, passphrase: PASSPHRASE }, extra);

/** Alice's login: Keycloak's password grant, Keystone's federated token, the project scope. */
async function aliceLogs(e: SystemEnv): Promise<string> {
  const t = await passwordGrant(
    `http://127.0.0.1:${SYS.ports.keycloakHttp}`,
    e.model.keycloak.realm.name,
    { id: e.model.keycloak.client.clientId, secret: CLIENT_SECRET },
    ALICE.username,
    ALICE.password,
  );
  if (t.status !== 200) return `keycloak ${t.status}`;
  const login = await federatedLogin(e.model, String(t.body.access_token));
  if (login.status !== 201) return `keystone ${login.status}`;
  const scoped = await scopeTo(e.model, login.token!, "sys-acme", "web");
  return scoped.status === 201 ? "ok" : `scope ${scoped.status}`;
}

const realmPath = (e: SystemEnv) => `/${e.model.keycloak.realm.name}`;

/** Every id the adoption must keep, read from both services. */
async function ids(e: SystemEnv): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const kc = async (path: string) =>
    (await kcCall(e.keycloak, "GET", `${realmPath(e)}${path}`)).json;
  out.realm = String(((await kc("")) as { id: string }).id);
  const clients = (await kc(`/clients?clientId=${e.model.keycloak.client.clientId}`)) as {
    id: string;
    protocolMappers?: { id: string; name: string }[];
  }[];
  out.client = clients[0]?.id ?? "missing";
  for (const m of clients[0]?.protocolMappers ?? []) out[`mapper ${m.name}`] = m.id;
  out["group /sys-acme"] = String(((await kc("/group-by-path/sys-acme")) as { id: string }).id);
  out["group /sys-acme/developers"] = String(
    ((await kc("/group-by-path/sys-acme/developers")) as { id: string }).id,
  );
  out.alice = String(((await kc("/users?username=alice&exact=true")) as { id: string }[])[0]?.id);
  const ks = async (path: string, key: string) =>
    ((await call(e.admin, "GET", path)).json[key] as { id: string; name?: string }[]) ?? [];
  for (const d of await ks("/domains", "domains")) out[`domain ${d.name}`] = d.id;
  for (const p of await ks("/projects", "projects")) out[`project ${p.name}`] = p.id;
  for (const g of await ks("/groups", "groups")) out[`group ${g.name}`] = g.id;
  for (const i of await ks("/OS-FEDERATION/identity_providers", "identity_providers"))
    out[`idp ${i.id}`] = i.id;
  for (const m of await ks("/OS-FEDERATION/mappings", "mappings")) out[`mapping ${m.id}`] = m.id;
  return out;
}

describe("brownfield: a federation built with kcadm.sh and the openstack CLI is taken over", () => {
  let before: Record<string, string> = {};
  let aliceSession = "";

  beforeAll(async () => {
    const config = {
      ...SYS.config,
      [`${NS}:federation`]: JSON.stringify({ userDomain: "brown-users", adopt: true }),
    };
    env = await startSystem(SYS.stack, config, SYS.secretKeys, SYS.ports, { up: false });
    if (!env) return;
    const e = env;
    const home = execFileSync("bash", [join(REPO, "scripts", "keycloak.sh"), "fetch"], {
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .pop()!;
    kcadmBin = join(home, "bin", "kcadm.sh");
    const realm = e.model.keycloak.realm.name;
    const c = e.model.keycloak.client;
    kcadm(
      e,
      "config",
      "credentials",
      "--server",
      `http://127.0.0.1:${SYS.ports.keycloakHttp}`,
      "--realm",
      "master",
      "--user",
      "admin",
      "--password",
      "admin",
    );
    // The SCS/OSISM testbed's way: realm, client (implicit flow and password grant on), mappers,
    // groups, a user. The client first under another client id than the stack's.
    kcadm(e, "create", "realms", "-s", `realm=${realm}`, "-s", "enabled=true");
    const clientUuid = kcadm(
      e,
      "create",
      "clients",
      "-r",
      realm,
      "-i",
      "-s",
      "clientId=openstack-legacy",
      "-s",
      `secret=${CLIENT_SECRET}`,
      "-s",
      "publicClient=false",
      "-s",
      "standardFlowEnabled=true",
      "-s",
      "implicitFlowEnabled=true",
      "-s",
      "directAccessGrantsEnabled=true",
      "-s",
      `redirectUris=${JSON.stringify(c.redirectUris)}`,
    );
    kcadm(
      e,
      "create",
      `clients/${clientUuid}/protocol-mappers/models`,
      "-r",
      realm,
      "-s",
      "name=audience",
      "-s",
      "protocol=openid-connect",
      "-s",
      "protocolMapper=oidc-audience-mapper",
      "-s",
      `config."included.client.audience"=${c.clientId}`,
      "-s",
      `config."access.token.claim"=true`,
      "-s",
      `config."id.token.claim"=true`,
    );
    kcadm(
      e,
      "create",
      `clients/${clientUuid}/protocol-mappers/models`,
      "-r",
      realm,
      "-s",
      "name=groups",
      "-s",
      "protocol=openid-connect",
      "-s",
      "protocolMapper=oidc-group-membership-mapper",
      "-s",
      `config."full.path"=true`,
      "-s",
      `config."claim.name"=groups`,
      "-s",
      `config."access.token.claim"=true`,
      "-s",
      `config."id.token.claim"=true`,
      "-s",
      `config."userinfo.token.claim"=true`,
    );
    const acme = kcadm(e, "create", "groups", "-r", realm, "-i", "-s", "name=sys-acme");
    const devs = kcadm(
      e,
      "create",
      `groups/${acme}/children`,
      "-r",
      realm,
      "-i",
      "-s",
      "name=developers",
    );
    const alice = kcadm(
      e,
      "create",
      "users",
      "-r",
      realm,
      "-i",
      "-s",
      "username=alice",
      "-s",
      "enabled=true",
      "-s",
      "email=alice@example.com",
      "-s",
      "emailVerified=true",
      "-s",
      "firstName=Alice",
      "-s",
      "lastName=Brown",
    );
    kcadm(e, "set-password", "-r", realm, "--username", "alice", "--new-password", ALICE.password);
    kcadm(
      e,
      "update",
      `users/${alice}/groups/${devs}`,
      "-r",
      realm,
      "-s",
      `realm=${realm}`,
      "-s",
      `userId=${alice}`,
      "-s",
      `groupId=${devs}`,
      "-n",
    );

    // kolla-ansible's way on the Keystone side, the identity provider under its own name first.
    const f = e.model.federation;
    os(e, "domain", "create", "--description", "kolla federated users", "brown-users");
    os(e, "domain", "create", "sys-acme");
    os(e, "project", "create", "--domain", "sys-acme", "web");
    os(e, "group", "create", "--domain", "sys-acme", "sys-acme-developers");
    os(
      e,
      "role",
      "add",
      "--group",
      "sys-acme-developers",
      "--group-domain",
      "sys-acme",
      "--project",
      "web",
      "--project-domain",
      "sys-acme",
      "member",
    );
    os(
      e,
      "identity",
      "provider",
      "create",
      "--remote-id",
      f.remoteIds[0]!,
      "--domain",
      "brown-users",
      "keycloak-legacy",
    );
    const p = f.claimPrefix;
    const rules = [
      {
        local: [
          { user: { name: "{0}", type: "ephemeral" } },
          { group: { name: "sys-acme-developers", domain: { name: "sys-acme" } } },
        ],
        remote: [
          { type: `${p}preferred_username` },
          { type: `${p}groups`, any_one_of: ["/sys-acme/developers"] },
        ],
      },
    ];
    const file = join(e.dir, "legacy-mapping.json");
    writeFileSync(file, JSON.stringify(rules));
    os(e, "mapping", "create", "--rules", file, "legacy_mapping");
  });
  afterAll(() => {
    env?.stop();
  });

  it("refuses names that differ from the stack's, naming each key that would match them; nothing changes", async (ctx) => {
    const e = need(ctx);
    const r = adopt(e, "--yes");
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(
      `client.clientId: realm ${e.model.keycloak.realm.name} has client "openstack-legacy" for this Keystone`,
    );
    expect(r.out).toContain(
      `federation.idpId: Keystone's identity provider "keycloak-legacy" trusts this realm`,
    );
    expect(r.out).toContain("Not adopted, nothing changed");
    const state = JSON.parse(e.must(["stack", "export", "--stack", SYS.stack]).stdout) as {
      deployment: { resources?: unknown[] };
    };
    expect(state.deployment.resources ?? []).toEqual([]);
    // The operator matches the names: the client is renamed in place (its id stays); Keystone
    // cannot rename an identity provider, and this one has no user yet, so it is made again.
    const realm = e.model.keycloak.realm.name;
    const clientUuid = (
      (await kcCall(e.keycloak, "GET", `/${realm}/clients?clientId=openstack-legacy`)).json as {
        id: string;
      }[]
    )[0]!.id;
    kcadm(
      e,
      "update",
      `clients/${clientUuid}`,
      "-r",
      realm,
      "-s",
      `clientId=${e.model.keycloak.client.clientId}`,
    );
    const f = e.model.federation;
    os(e, "identity", "provider", "delete", "keycloak-legacy");
    os(
      e,
      "identity",
      "provider",
      "create",
      "--remote-id",
      f.remoteIds[0]!,
      "--domain",
      "brown-users",
      f.idpId,
    );
    os(
      e,
      "federation",
      "protocol",
      "create",
      "--identity-provider",
      f.idpId,
      "--mapping",
      "legacy_mapping",
      f.protocolId,
    );
  });

  it("alice logs in on the federation as the scripts built it, and holds a session", async (ctx) => {
    const e = need(ctx);
    expect(await aliceLogs(e)).toBe("ok");
    before = await ids(e);
    const sessions = (
      await kcCall(e.keycloak, "GET", `${realmPath(e)}/users/${before.alice}/sessions`)
    ).json as { id: string }[];
    expect(sessions.length).toBeGreaterThan(0);
    aliceSession = sessions[0]!.id;
  });

  it("imports the realm, client, mapper, groups and Keystone tenancy with their ids; the preview shows the implicit flow going off, in place", (ctx) => {
    const e = need(ctx);
    const dry = adopt(e);
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain(`realm ${e.model.keycloak.realm.name}`);
    expect(dry.out).toContain("left in Keycloak, not managed: mapper groups");
    const r = adopt(e, "--yes");
    expect(r.code, r.out).toBe(0);
    const state = JSON.parse(e.must(["stack", "export", "--stack", SYS.stack]).stdout) as {
      deployment: { resources: { type: string; id?: string; urn: string }[] };
    };
    const imported = (type: string) =>
      state.deployment.resources.filter((x) => x.type === type).map((x) => x.id);
    const realm = e.model.keycloak.realm.name;
    expect(imported("keycloak:index/realm:Realm")).toEqual([realm]);
    expect(imported("keycloak:openid/client:Client")).toEqual([before.client]);
    expect(imported("keycloak:index/group:Group").sort()).toEqual(
      [before["group /sys-acme"], before["group /sys-acme/developers"]].sort(),
    );
    expect(imported("keycloak:openid/audienceProtocolMapper:AudienceProtocolMapper")).toEqual([
      before["mapper audience"],
    ]);
    const preview = e.must(["preview", "--stack", SYS.stack, "--json", "--diff"]);
    const steps = (
      JSON.parse(preview.stdout) as { steps: { op: string; urn: string; diffReasons?: string[] }[] }
    ).steps;
    const adoptedUrns = new Set(state.deployment.resources.filter((x) => x.id).map((x) => x.urn));
    const onAdopted = steps.filter((s) => adoptedUrns.has(s.urn));
    expect(onAdopted.filter((s) => s.op !== "update" && s.op !== "same")).toEqual([]);
    expect(steps.filter((s) => s.op === "delete" || s.op.includes("replace"))).toEqual([]);
    const client = onAdopted.find((s) => s.urn.endsWith("::keycloak-client"));
    expect(client?.op).toBe("update");
    expect(client?.diffReasons).toContain("implicitFlowEnabled");
  });

  it("the Keycloak side first, then `up`: alice keeps logging in throughout; ids, her credential and session intact; nothing deleted", async (ctx) => {
    const e = need(ctx);
    const outcomes: string[] = [];
    const runWhileLogging = async (args: string[]) => {
      const run = e.spawnPulumi(args);
      let finished = false;
      const done = run.done.then((x) => {
        finished = true;
        return x;
      });
      while (!finished) {
        outcomes.push(await aliceLogs(e));
        await new Promise((res) => setTimeout(res, 150));
      }
      const result = await done;
      expect(result.code, result.stdout.slice(-3000) + result.stderr.slice(-3000)).toBe(0);
    };
    await runWhileLogging([
      "up",
      "--stack",
      SYS.stack,
      "--yes",
      "--non-interactive",
      "--skip-preview",
      "--target",
      "**okf:keycloak:Federation**",
    ]);
    await runWhileLogging([
      "up",
      "--stack",
      SYS.stack,
      "--yes",
      "--non-interactive",
      "--skip-preview",
    ]);
    console.log(`brownfield up: ${outcomes.length} logins during it`);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o !== "ok")).toEqual([]);

    const after = await ids(e);
    for (const [what, id] of Object.entries(before)) expect(after[what], what).toBe(id);
    const sessions = (
      await kcCall(e.keycloak, "GET", `${realmPath(e)}/users/${before.alice}/sessions`)
    ).json as { id: string }[];
    expect(sessions.map((s) => s.id)).toContain(aliceSession);
    const client = (await kcCall(e.keycloak, "GET", `${realmPath(e)}/clients/${before.client}`))
      .json as { implicitFlowEnabled: boolean };
    expect(client.implicitFlowEnabled).toBe(false);
    expect(await aliceLogs(e)).toBe("ok");
    e.must(["preview", "--stack", SYS.stack, "--expect-no-changes"]);
  });
});
