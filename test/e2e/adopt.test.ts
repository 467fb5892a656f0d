/**
 * Adoption of a federation another tool built, on the real Keystone under Apache and the real
 * engine: the domains, project, group, grant, identity provider, mapping and protocol are made
 * first with the openstack CLI the way kolla-ansible makes them (its own mapping name, other
 * descriptions), a user logs in, then `npm run adopt` reads, refuses what it cannot take over, and
 * imports; `pulumi up` converges in place while the user keeps logging in. Read back from Keystone:
 * every id unchanged, nothing deleted, no login refused.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { PROJECT_NAMESPACE } from "../../infra/stack-files/stack-file";
import { caseClaims, parseAccessTable } from "../../infra/verify/access-table";
import {
  type E2eEnv,
  federatedLogin,
  KEYSTONE_TARGETS,
  scopeTo,
  startE2e,
} from "../support/e2e-env";
import { openstackAsAdmin, runAdopt } from "../support/adopt-cli";
import { call } from "../support/keystone-admin";
import { fixtureAccessTable, readFixture } from "../support/stack-files";

const STACK = "e2e";
const NS = PROJECT_NAMESPACE;
const fixture = readFixture(STACK);
const ADMIN_PASSWORD = fixture.config[`${NS}:keystonePassword`]!;
const table = parseAccessTable(fixtureAccessTable(STACK));
let env: E2eEnv | undefined;

function need(ctx: TestContext): E2eEnv {
  if (!env) ctx.skip();
  return env!;
}

/** The openstack CLI as the Keystone admin, the way kolla-ansible's bootstrap user runs it. */
const os = (e: E2eEnv, ...args: string[]) =>
  openstackAsAdmin(e.model.keystone.url, ADMIN_PASSWORD, args);

/** Keycloak here is a stand-in that mints tokens; its side is not what this suite adopts. */
const adopt = (e: E2eEnv, ...extra: string[]) =>
  runAdopt(e.cli, { dir: e.dir, passphrase: "example-passphrase" }, [
    "--side",
    "keystone",
    ...extra,
  ]);

/** Every identity object Keystone holds that the test looks at: `<kind> <name>` -> id. */
async function identityIds(e: E2eEnv): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const get = async (path: string, key: string) =>
    ((await call(e.admin, "GET", path)).json[key] as { id: string; name?: string }[]) ?? [];
  for (const d of await get("/domains", "domains")) ids.set(`domain ${d.name}`, d.id);
  for (const p of await get("/projects", "projects")) ids.set(`project ${p.name}`, p.id);
  for (const g of await get("/groups", "groups")) ids.set(`group ${g.name}`, g.id);
  for (const i of await get("/OS-FEDERATION/identity_providers", "identity_providers"))
    ids.set(`idp ${i.id}`, i.id);
  for (const m of await get("/OS-FEDERATION/mappings", "mappings"))
    ids.set(`mapping ${m.id}`, m.id);
  return ids;
}

/** A developer's login: the unscoped token, then the project-scoped one with its roles. */
async function developerLogs(e: E2eEnv): Promise<string[] | number> {
  const c = table.cases.find((x) => x.name === "e2e-acme developer works in web only")!;
  const { iss, ...claims } = caseClaims(e.model, table, c);
  const jwt = await e.keycloak.mint(claims, { issuer: String(iss) });
  const login = await federatedLogin(e.model, jwt);
  if (login.status !== 201) return login.status;
  const scoped = await scopeTo(e.model, login.token!, "e2e-acme", "web");
  return scoped.status === 201 ? scoped.roles! : scoped.status;
}

/** The resources of a type the stack's state holds. */
function inState(e: E2eEnv, type: string): { urn: string; id?: string }[] {
  const state = JSON.parse(e.cli.must(["stack", "export", "--stack", STACK]).stdout) as {
    deployment: { resources?: { urn: string; type: string; id?: string }[] };
  };
  return (state.deployment.resources ?? []).filter((r) => r.type === type);
}

describe("adoption of a federation made with the openstack CLI (kolla-ansible's way)", () => {
  let before = new Map<string, string>();

  beforeAll(async () => {
    const config = { ...fixture.config };
    config[`${NS}:federation`] = JSON.stringify({ userDomain: "e2e-users", adopt: true });
    env = await startE2e(STACK, 26980, { config, secretKeys: fixture.secretKeys, up: false });
    if (!env) return;
    const e = env;
    const f = e.model.federation;
    // What kolla-ansible's keystone role does for a federated cloud, plus the tenancy an operator
    // made by hand: other descriptions than the stack's, the mapping under kolla's own name.
    os(e, "domain", "create", "--description", "kolla federated users", "e2e-users");
    os(e, "domain", "create", "e2e-acme");
    os(e, "project", "create", "--domain", "e2e-acme", "--description", "made by hand", "web");
    os(e, "group", "create", "--domain", "e2e-acme", "e2e-acme-developers");
    os(
      e,
      "role",
      "add",
      "--group",
      "e2e-acme-developers",
      "--group-domain",
      "e2e-acme",
      "--project",
      "web",
      "--project-domain",
      "e2e-acme",
      "member",
    );
    // An identity provider in the wrong domain first: the adoption must refuse it.
    os(
      e,
      "identity",
      "provider",
      "create",
      "--remote-id",
      f.remoteIds[0]!,
      "--domain",
      "e2e-acme",
      f.idpId,
    );
    const rules = join(e.dir, "kolla-mapping.json");
    writeFileSync(rules, JSON.stringify(f.mapping.rules));
    os(e, "mapping", "create", "--rules", rules, "kolla_oidc_mapping");
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("refuses an identity provider in another domain than federation.userDomain, naming the key; nothing changes", (ctx) => {
    const e = need(ctx);
    const r = adopt(e, "--yes");
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(
      `federation.userDomain: identity provider ${e.model.federation.idpId} lives in domain "e2e-acme", but the stack declares "e2e-users"`,
    );
    expect(r.out).toContain("Not adopted, nothing changed");
    expect(inState(e, "openstack:identity/project:Project")).toEqual([]);
    // Made again the way it should have been, with its protocol on kolla's mapping.
    const f = e.model.federation;
    os(e, "identity", "provider", "delete", f.idpId);
    os(
      e,
      "identity",
      "provider",
      "create",
      "--remote-id",
      f.remoteIds[0]!,
      "--domain",
      "e2e-users",
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
      "kolla_oidc_mapping",
      f.protocolId,
    );
  });

  it("a user logs in on the federation as the other tool built it", async (ctx) => {
    const e = need(ctx);
    expect(await developerLogs(e)).toEqual(expect.arrayContaining(["member"]));
    before = await identityIds(e);
  });

  it("refuses to take over existing federation objects unless federation.adopt is set", (ctx) => {
    const e = need(ctx);
    e.cli.must(["config", "set", "--stack", STACK, "--path", "federation.adopt", "false"]);
    try {
      const r = adopt(e, "--yes");
      expect(r.code, r.out).toBe(1);
      expect(r.out).toContain("federation.adopt: Keystone already has identity provider");
      expect(inState(e, "openstack:identity/project:Project")).toEqual([]);
    } finally {
      e.cli.must(["config", "set", "--stack", STACK, "--path", "federation.adopt", "true"]);
    }
  });

  it("a dry run reports what it would import and what differs, and changes nothing", (ctx) => {
    const e = need(ctx);
    const r = adopt(e);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`domain e2e-users  ${before.get("domain e2e-users")}`);
    expect(r.out).toContain(`project e2e-acme/web  ${before.get("project web")}`);
    expect(r.out).toContain(
      `group e2e-acme/e2e-acme-developers  ${before.get("group e2e-acme-developers")}`,
    );
    expect(r.out).toContain("project e2e-acme/data"); // declared, not in Keystone: created by up
    expect(r.out).toContain(
      `differs: protocol ${e.model.federation.idpId}/${e.model.federation.protocolId} mapping_id: "kolla_oidc_mapping" -> "${e.model.federation.mappingId}"`,
    );
    expect(r.out).toContain("left in Keystone: mapping kolla_oidc_mapping");
    expect(r.out).toContain("Nothing changed (a dry run)");
    expect(inState(e, "openstack:identity/project:Project")).toEqual([]);
  });

  it("imports with the live ids; the preview then shows updates in place, no delete or replace of anything adopted", (ctx) => {
    const e = need(ctx);
    const r = adopt(e, "--yes");
    expect(r.code, r.out).toBe(0);
    const projects = inState(e, "openstack:identity/project:Project");
    expect(projects.map((p) => p.id).sort()).toEqual(
      [
        before.get("domain e2e-users"),
        before.get("domain e2e-acme"),
        before.get("project web"),
      ].sort(),
    );
    const preview = e.cli.must([
      "preview",
      "--stack",
      STACK,
      "--json",
      ...KEYSTONE_TARGETS.flatMap((t) => ["--target", t]),
    ]);
    const steps = (JSON.parse(preview.stdout) as { steps: { op: string; urn: string }[] }).steps;
    const adoptedUrns = new Set([
      ...projects.map((p) => p.urn),
      ...inState(e, "openstack:identity/groupV3:GroupV3").map((g) => g.urn),
    ]);
    const touching = steps.filter((s) => adoptedUrns.has(s.urn)).map((s) => s.op);
    expect(
      touching.every((op) => op === "update" || op === "same"),
      touching.join(","),
    ).toBe(true);
    expect(touching).toContain("update"); // the descriptions differ
    expect(steps.filter((s) => s.op === "delete" || s.op.includes("replace"))).toEqual([]);
  });

  it("`up` converges in place while the user keeps logging in: every id unchanged, nothing deleted, no login refused", async (ctx) => {
    const e = need(ctx);
    const up = e.cli.spawnPulumi([
      "up",
      "--stack",
      STACK,
      "--yes",
      "--non-interactive",
      "--skip-preview",
      ...KEYSTONE_TARGETS.flatMap((t) => ["--target", t]),
    ]);
    let finished = false;
    const outcomes: (string[] | number)[] = [];
    const done = up.done.then((r) => {
      finished = true;
      return r;
    });
    while (!finished) {
      outcomes.push(await developerLogs(e));
      await new Promise((res) => setTimeout(res, 150));
    }
    const result = await done;
    expect(result.code, result.stdout.slice(-3000) + result.stderr.slice(-3000)).toBe(0);
    expect(outcomes.length).toBeGreaterThan(0);
    console.log(`adoption up: ${outcomes.length} logins during it`);
    expect(outcomes.filter((o) => typeof o === "number")).toEqual([]);

    const after = await identityIds(e);
    for (const [what, id] of before) expect(after.get(what), what).toBe(id);
    const desc = (await call(e.admin, "GET", `/domains/${before.get("domain e2e-users")}`)).json
      .domain as { description: string };
    expect(desc.description).toBe(
      e.model.keystone.domains.find((d) => d.name === "e2e-users")!.description,
    );
    const protocol = (
      await call(
        e.admin,
        "GET",
        `/OS-FEDERATION/identity_providers/${e.model.federation.idpId}/protocols/${e.model.federation.protocolId}`,
      )
    ).json.protocol as { mapping_id: string };
    expect(protocol.mapping_id).toBe(e.model.federation.mappingId);
    expect(await developerLogs(e)).toEqual(expect.arrayContaining(["member"]));
    e.cli.must([
      "preview",
      "--stack",
      STACK,
      "--expect-no-changes",
      ...KEYSTONE_TARGETS.flatMap((t) => ["--target", t]),
    ]);
  });
});
