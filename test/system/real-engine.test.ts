/**
 * The operator's lifecycle of the whole program on the real engine: `pulumi up` of infra/index.ts
 * from empty with the real Keycloak, OpenStack and command provider plugins and the project's
 * dynamic provider; no perpetual diff; a reviewed change; drift made out of band in both services;
 * the backend's lock; a protected stack's destroy refused; `destroy` leaving nothing behind. Every
 * result is read back from Keycloak's admin API, Keystone's API or the CLI, never from the model.
 */
import { KEYSTONE } from "../support/keystone-release";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { decodeJwt } from "jose";
import { federatedLogin, scopeTo } from "../support/e2e-env";
import { createKeycloakUser, kcCall, passwordGrant } from "../support/keycloak-admin";
import { call } from "../support/keystone-admin";
import { expectOk, type PulumiResult, startSystem, type SystemEnv } from "../support/system-env";
import { main as previewCommentCli } from "../../infra/cli/preview-comment";
import { driftReport } from "../../infra/verify/drift-report";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLIENT_SECRET, KEYSTONE_ADMIN_PASSWORD, systemStack } from "./system-stack";

const SYS = systemStack("system", 0);
const STACK = SYS.stack;
const NS = "openstack-keycloak-federation";
let env: SystemEnv | undefined;
const users = {
  dev: { username: "sys-dev", password: "sys-dev-pass-1", email: "dev@acme.example" },
  auditor: { username: "sys-aud", password: "sys-aud-pass-1", email: "aud@acme.example" },
  ops: { username: "sys-ops", password: "sys-ops-pass-1", email: "ops@acme.example" },
  nobody: { username: "sys-nobody", password: "sys-nobody-pass-1", email: "nobody@acme.example" },
};

function need(ctx: TestContext): SystemEnv {
  if (!env) ctx.skip();
  return env!;
}

const stackArgs = ["--non-interactive", "--stack", STACK];

/** `pulumi config set` of one structured key of the stack. */
function setConfig(e: SystemEnv, key: string, value: unknown): void {
  expectOk(
    e.pulumi(["config", "set", `${NS}:${key}`, JSON.stringify(value), "--stack", STACK]),
    `pulumi config set ${key}`,
  );
}

/** What `pulumi preview --json` would do, one `<op> <logical name>` per step that changes something. */
function previewSteps(e: SystemEnv): string[] {
  const preview = e.pulumi(["preview", "--json", ...stackArgs]);
  expectOk(preview, "pulumi preview --json");
  return (JSON.parse(preview.stdout) as { steps: { op: string; urn: string }[] }).steps
    .filter((s) => s.op !== "same")
    .map((s) => `${s.op} ${s.urn.split("::").pop()}`)
    .sort();
}

async function accessToken(
  e: SystemEnv,
  user: { username: string; password: string },
): Promise<string> {
  const r = await passwordGrant(
    `http://127.0.0.1:${SYS.ports.keycloakHttp}`,
    e.model.keycloak.realm.name,
    { id: e.model.keycloak.client.clientId, secret: CLIENT_SECRET },
    user.username,
    user.password,
  );
  if (r.status !== 200)
    throw new Error(
      `password grant for ${user.username}: HTTP ${r.status} ${JSON.stringify(r.body)}`,
    );
  return String(r.body.access_token);
}

/** Logs a user in through Keycloak, Apache and Keystone: the projects it may scope to. */
async function reachable(
  e: SystemEnv,
  user: { username: string; password: string },
  candidates: readonly [string, string][],
): Promise<string[]> {
  const login = await federatedLogin(e.model, await accessToken(e, user));
  if (login.status !== 201) return [];
  const out: string[] = [];
  for (const [tenant, project] of candidates)
    if ((await scopeTo(e.model, login.token!, tenant, project)).status === 201)
      out.push(`${tenant}/${project}`);
  return out;
}

const PROJECTS: [string, string][] = [
  ["sys-acme", "web"],
  ["sys-acme", "data"],
  ["sys-acme", "ops"],
  ["sys-globex", "research"],
];

async function kcJson<T>(e: SystemEnv, path: string): Promise<T> {
  const r = await kcCall(e.keycloak, "GET", path);
  if (r.status !== 200) throw new Error(`Keycloak GET ${path}: HTTP ${r.status}`);
  return r.json as T;
}

async function ksJson(e: SystemEnv, path: string): Promise<Record<string, unknown>> {
  const r = await call(e.admin, "GET", path);
  if (r.status !== 200) throw new Error(`Keystone GET ${path}: HTTP ${r.status}`);
  return r.json;
}

/** Every object the stack owns in Keystone, by name, as Keystone lists them. */
async function keystoneInventory(e: SystemEnv) {
  const names = (list: unknown) => (list as { name: string }[]).map((x) => x.name).sort();
  const domains = (await ksJson(e, "/domains")).domains as { id: string; name: string }[];
  const ours = domains.filter((d) => d.name.startsWith("sys-") || d.name === `${STACK}-users`);
  const projects: string[] = [];
  const groups: string[] = [];
  for (const d of ours) {
    projects.push(
      ...names((await ksJson(e, `/projects?domain_id=${d.id}`)).projects).map(
        (p) => `${d.name}/${p}`,
      ),
    );
    groups.push(
      ...names((await ksJson(e, `/groups?domain_id=${d.id}`)).groups).map((g) => `${d.name}/${g}`),
    );
  }
  const f = e.model.federation;
  const status = async (path: string) => (await call(e.admin, "GET", path)).status;
  return {
    domains: names(ours),
    projects: projects.sort(),
    groups: groups.sort(),
    idp: await status(`/OS-FEDERATION/identity_providers/${f.idpId}`),
    mapping: await status(`/OS-FEDERATION/mappings/${f.mappingId}`),
    protocol: await status(
      `/OS-FEDERATION/identity_providers/${f.idpId}/protocols/${f.protocolId}`,
    ),
  };
}

describe(`the whole program on the real engine [${KEYSTONE.label}]`, () => {
  beforeAll(async () => {
    env = await startSystem(STACK, SYS.config, SYS.secretKeys, SYS.ports, { up: false });
  });

  afterAll(() => env?.stop());

  it("pulumi up from empty: Keycloak stores the realm, client, mappers and groups as declared", async (ctx) => {
    const e = need(ctx);
    const up = e.up();
    expect(up.stdout).toMatch(/\+ \d+ created/);
    const realm = e.model.keycloak.realm.name;
    expect(await kcJson(e, `/${realm}`)).toMatchObject({
      realm,
      enabled: true,
      accessTokenLifespan: 300,
      ssoSessionIdleTimeout: 1800,
      ssoSessionMaxLifespan: 36000,
      oauth2DeviceCodeLifespan: 600,
      bruteForceProtected: true,
      permanentLockout: false,
      failureFactor: 10,
    });
    const clients = await kcJson<Record<string, unknown>[]>(
      e,
      `/${realm}/clients?clientId=${e.model.keycloak.client.clientId}`,
    );
    expect(clients).toHaveLength(1);
    const client = clients[0]!;
    expect(client).toMatchObject({
      publicClient: false,
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: true, // the system stack asks for it (test stacks only)
      serviceAccountsEnabled: false,
    });
    expect([...(client.redirectUris as string[])].sort()).toEqual(
      [...e.model.keycloak.client.redirectUris].sort(),
    );
    expect((client.redirectUris as string[]).some((u) => u.includes("*"))).toBe(false);
    expect(client.attributes).toMatchObject({
      "pkce.code.challenge.method": "S256",
      "oauth2.device.authorization.grant.enabled": "false",
    });
    const secret = await kcJson<{ value: string }>(
      e,
      `/${realm}/clients/${String(client.id)}/client-secret`,
    );
    expect(secret.value).toBe(CLIENT_SECRET);
    const mappers = (
      await kcJson<{ name: string; protocolMapper: string }[]>(
        e,
        `/${realm}/clients/${String(client.id)}/protocol-mappers/models`,
      )
    )
      .map((m) => `${m.name}:${m.protocolMapper}`)
      .sort();
    expect(mappers).toEqual([
      "audience:oidc-audience-mapper",
      "openstack_access:oidc-usermodel-client-role-mapper",
      "preferred_username:oidc-usermodel-property-mapper",
      "sub:oidc-sub-mapper",
    ]);
    const deployed = await e.deployed();
    expect([...deployed.groups.keys()].sort()).toEqual([
      "/sys-acme",
      "/sys-acme/auditors",
      "/sys-acme/developers",
      "/sys-globex",
      "/sys-globex/researchers",
    ]);
    // Access rides on the Keystone client's roles: one per access group, assigned to that group.
    const roles = await kcJson<{ name: string }[]>(
      e,
      `/${realm}/clients/${String(client.id)}/roles`,
    );
    expect(roles.map((r) => r.name).sort()).toEqual([
      "sys-acme-auditors",
      "sys-acme-developers",
      "sys-globex-researchers",
    ]);
    const assigned: string[] = [];
    for (const [path, id] of deployed.groups) {
      const mapped = await kcJson<{ name: string }[]>(
        e,
        `/${realm}/groups/${id}/role-mappings/clients/${String(client.id)}`,
      );
      for (const r of mapped) assigned.push(`${path} ${r.name}`);
    }
    expect(assigned.sort()).toEqual([
      "/sys-acme/auditors sys-acme-auditors",
      "/sys-acme/developers sys-acme-developers",
      "/sys-globex/researchers sys-globex-researchers",
    ]);
  });

  it("Keystone holds the domains, projects, groups, grants, IdP, mapping and protocol as declared", async (ctx) => {
    const e = need(ctx);
    expect(await keystoneInventory(e)).toEqual({
      domains: ["sys-acme", "sys-globex", `${STACK}-users`],
      projects: ["sys-acme/data", "sys-acme/web", "sys-globex/research"],
      // `<domain>/<group>`: each Keystone group is named like the access role that maps to it.
      groups: [
        "sys-acme/sys-acme-auditors",
        "sys-acme/sys-acme-developers",
        "sys-globex/sys-globex-researchers",
      ],
      idp: 200,
      mapping: 200,
      protocol: 200,
    });
    const f = e.model.federation;
    const discovery = (await (
      await fetch(
        `http://127.0.0.1:${SYS.ports.keycloakHttp}/realms/${e.model.keycloak.realm.name}/.well-known/openid-configuration`,
      )
    ).json()) as { issuer: string };
    const idp = (await ksJson(e, `/OS-FEDERATION/identity_providers/${f.idpId}`))
      .identity_provider as { remote_ids: string[]; domain_id: string; enabled: boolean };
    expect(idp.remote_ids).toEqual([discovery.issuer]);
    expect(idp.domain_id).toBe(await e.domainId(`${STACK}-users`));
    expect(idp.enabled).toBe(true);
    const mapping = (await ksJson(e, `/OS-FEDERATION/mappings/${f.mappingId}`)).mapping as {
      rules: unknown[];
    };
    expect(mapping.rules).toEqual(f.mapping.rules);
    const protocols = (await ksJson(e, `/OS-FEDERATION/identity_providers/${f.idpId}/protocols`))
      .protocols as { id: string; mapping_id: string; remote_id_attribute?: string }[];
    expect(
      protocols.map((p) => ({
        id: p.id,
        mapping_id: p.mapping_id,
        remote_id_attribute: p.remote_id_attribute,
      })),
    ).toEqual([
      { id: f.protocolId, mapping_id: f.mappingId, remote_id_attribute: f.remoteIdAttribute },
    ]);
    // The grants, by group and target, as Keystone's role assignments name them.
    const assignments = (await ksJson(e, "/role_assignments?include_names=true"))
      .role_assignments as {
      group?: { name: string };
      role: { name: string };
      scope: { project?: { name: string }; domain?: { name: string } };
    }[];
    expect(
      assignments
        .filter((a) => a.group?.name.startsWith("sys-"))
        .map(
          (a) =>
            `${a.group!.name} ${a.role.name} ${a.scope.project?.name ?? `domain:${a.scope.domain?.name}`}`,
        )
        .sort(),
    ).toEqual([
      "sys-acme-auditors reader data",
      "sys-acme-auditors reader web",
      "sys-acme-developers member web",
      "sys-globex-researchers member research",
    ]);
  });

  it("tokens the real Keycloak issues log in to exactly the granted projects; no group, no token", async (ctx) => {
    const e = need(ctx);
    const realm = e.model.keycloak.realm.name;
    const groups = (await e.deployed()).groups;
    await createKeycloakUser(e.keycloak, realm, {
      ...users.dev,
      groupIds: [groups.get("/sys-acme/developers")!],
    });
    await createKeycloakUser(e.keycloak, realm, {
      ...users.auditor,
      groupIds: [groups.get("/sys-acme/auditors")!],
    });
    await createKeycloakUser(e.keycloak, realm, users.nobody);
    const claims = decodeJwt(await accessToken(e, users.dev));
    expect(claims.iss).toBe(e.model.keycloak.issuer);
    expect(claims.azp).toBe(e.model.keycloak.client.clientId);
    expect(claims.openstack_access).toEqual(["sys-acme-developers"]);
    expect(claims, "no token carries group paths").not.toHaveProperty("groups");
    expect(await reachable(e, users.dev, PROJECTS)).toEqual(["sys-acme/web"]);
    expect(await reachable(e, users.auditor, PROJECTS)).toEqual(["sys-acme/web", "sys-acme/data"]);
    expect(decodeJwt(await accessToken(e, users.nobody))).not.toHaveProperty("openstack_access");
    expect((await federatedLogin(e.model, await accessToken(e, users.nobody))).status).toBe(401);
  });

  it("no group name or path a group creator chooses grants anything: nested (/sys-globex/x;/sys-acme/developers) and single-name (x;/sys-acme/developers) forgeries", async (ctx) => {
    const e = need(ctx);
    // What a proxy-realm admin allowed to create groups under one tenant could try. Keystone
    // splits claim values on ';', so a token carrying either path would have named
    // /sys-acme/developers; access rides on client roles only the stack declares instead.
    const realm = e.model.keycloak.realm.name;
    const deployed = await e.deployed();
    const child = async (parent: string, name: string) => {
      const made = await kcCall(e.keycloak, "POST", `/${realm}/groups/${parent}/children`, {
        name,
      });
      expect(made.status, `create group ${name}`).toBe(201);
      return made.location!.split("/").pop()!;
    };
    // Nested: /sys-globex > "x;" > sys-acme > developers, every name plain.
    const nested = await child(
      await child(await child(deployed.groups.get("/sys-globex")!, "x;"), "sys-acme"),
      "developers",
    );
    // One name: /sys-globex/researchers > "x;/sys-acme/developers".
    const single = await child(
      deployed.groups.get("/sys-globex/researchers")!,
      "x;/sys-acme/developers",
    );
    const nestedForger = {
      username: "sys-forger-nested",
      password: "sys-forger-pass-1",
      email: "forger-nested@globex.example",
    };
    const singleForger = {
      username: "sys-forger-single",
      password: "sys-forger-pass-2",
      email: "forger-single@globex.example",
    };
    await createKeycloakUser(e.keycloak, realm, { ...nestedForger, groupIds: [nested] });
    await createKeycloakUser(e.keycloak, realm, { ...singleForger, groupIds: [single] });
    const nestedClaims = decodeJwt(await accessToken(e, nestedForger));
    expect(nestedClaims).not.toHaveProperty("openstack_access");
    expect(nestedClaims).not.toHaveProperty("groups");
    const login = await federatedLogin(e.model, await accessToken(e, nestedForger));
    expect(login.status, "the nested path names no access role").toBe(401);
    // A subgroup of researchers inherits the researchers' role, and nothing of sys-acme.
    expect(decodeJwt(await accessToken(e, singleForger)).openstack_access).toEqual([
      "sys-globex-researchers",
    ]);
    expect(await reachable(e, singleForger, PROJECTS)).toEqual(["sys-globex/research"]);
  });

  it("no perpetual diff: preview right after up shows no change, plain and with --refresh", (ctx) => {
    const e = need(ctx);
    expectOk(
      e.pulumi(["preview", "--expect-no-changes", ...stackArgs]),
      "pulumi preview --expect-no-changes",
    );
    expectOk(
      e.pulumi(["preview", "--refresh", "--expect-no-changes", ...stackArgs]),
      "pulumi preview --refresh --expect-no-changes",
    );
  });

  it("the state holds no secret in plain text, and the outputs show none", (ctx) => {
    const e = need(ctx);
    const exported = e.pulumi(["stack", "export", "--stack", STACK]);
    expectOk(exported, "pulumi stack export");
    expect(exported.stdout).toContain("keycloak:openid/client:Client");
    expect(exported.stdout).not.toContain(KEYSTONE_ADMIN_PASSWORD);
    expect(exported.stdout).not.toContain(CLIENT_SECRET);
    const shown = e.pulumi(["stack", "output", "--json", "--stack", STACK]);
    expectOk(shown, "pulumi stack output");
    expect(shown.stdout).not.toContain(CLIENT_SECRET);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      issuer: e.model.keycloak.issuer,
      clientId: e.model.keycloak.client.clientId,
      idpId: e.model.federation.idpId,
      mappingId: e.model.federation.mappingId,
      protocolId: e.model.federation.protocolId,
      clientSecret: "[secret]",
    });
  });

  it("a reviewed change (a project, an access group, a token lifetime) previews as exactly those steps; after up the new group logs in and the others keep their access", async (ctx) => {
    const e = need(ctx);
    const dir = mkdtempSync(join(tmpdir(), "okf-preview-"));
    copyFileSync(e.stackFile, join(dir, "base.yaml"));
    const tenants = JSON.parse(SYS.config[`${NS}:tenants`]!) as {
      name: string;
      projects: { name: string }[];
    }[];
    tenants[0]!.projects.push({ name: "ops" });
    const access = [
      ...(JSON.parse(SYS.config[`${NS}:access`]!) as unknown[]),
      { tenant: "sys-acme", group: "ops", grants: [{ role: "member", project: "ops" }] },
    ];
    const realm = JSON.parse(SYS.config[`${NS}:realm`]!) as Record<string, unknown>;
    setConfig(e, "tenants", tenants);
    setConfig(e, "access", access);
    setConfig(e, "realm", { ...realm, tokens: { accessToken: 240 } });
    const preview = e.pulumi(["preview", "--json", ...stackArgs]);
    expectOk(preview, "pulumi preview --json");
    expect(previewSteps(e)).toEqual(
      [
        "create keycloak-kcgroup-sys-acme-ops",
        "create keycloak-kcgroup-sys-acme-ops-access",
        "create keycloak-kcrole-sys-acme-ops",
        "create keystone-group-sys-acme-ops",
        "create keystone-grant-sys-acme-ops-member-ops",
        "create keystone-project-sys-acme-ops",
        "update federation-mapping",
        "update keycloak-realm",
      ].sort(),
    );
    writeFileSync(join(dir, "preview.json"), preview.stdout);
    copyFileSync(e.stackFile, join(dir, `Pulumi.${STACK}.yaml`));
    const comment = previewCommentCli([
      "--stack",
      STACK,
      "--stacks-dir",
      dir,
      "--preview",
      join(dir, "preview.json"),
      "--base",
      join(dir, "base.yaml"),
    ]);
    expect(comment.stderr).toBe("");
    expect(comment.stdout).toContain("- sys-acme/ops gains member on sys-acme/ops");
    expect(comment.stdout).toContain('+            "sys-acme-ops"');

    e.up();
    expect(
      (await kcJson<{ accessTokenLifespan: number }>(e, `/${e.model.keycloak.realm.name}`))
        .accessTokenLifespan,
    ).toBe(240);
    const groups = (await e.deployed()).groups;
    await createKeycloakUser(e.keycloak, e.model.keycloak.realm.name, {
      ...users.ops,
      groupIds: [groups.get("/sys-acme/ops")!],
    });
    expect(await reachable(e, users.ops, PROJECTS)).toEqual(["sys-acme/ops"]);
    expect(await reachable(e, users.dev, PROJECTS)).toEqual(["sys-acme/web"]);
    expect(await reachable(e, users.auditor, PROJECTS)).toEqual(["sys-acme/web", "sys-acme/data"]);
    expectOk(
      e.pulumi(["preview", "--expect-no-changes", ...stackArgs]),
      "pulumi preview --expect-no-changes after the change",
    );
  });

  it("drift made out of band in both services shows in preview --refresh; up --refresh restores it and logins work again", async (ctx) => {
    const e = need(ctx);
    const f = e.model.federation;
    const realm = e.model.keycloak.realm.name;
    const { clientUuid } = await e.deployed();
    // Keystone: the mapping opened to anyone. Keycloak: a wildcard redirect URI, brute force off.
    const open = {
      rules: [
        {
          local: [{ user: { name: "{0}" } }, { group: { id: "nobody" } }],
          remote: [{ type: "REMOTE_USER" }],
        },
      ],
    };
    expect(
      (await call(e.admin, "PATCH", `/OS-FEDERATION/mappings/${f.mappingId}`, { mapping: open }))
        .status,
    ).toBe(200);
    const client = await kcJson<Record<string, unknown>>(e, `/${realm}/clients/${clientUuid}`);
    expect(
      (
        await kcCall(e.keycloak, "PUT", `/${realm}/clients/${clientUuid}`, {
          ...client,
          redirectUris: ["*"],
        })
      ).status,
    ).toBe(204);
    const realmRep = await kcJson<Record<string, unknown>>(e, `/${realm}`);
    expect(
      (
        await kcCall(e.keycloak, "PUT", `/${realm}`, {
          ...realmRep,
          bruteForceProtected: false,
        })
      ).status,
    ).toBe(204);
    expect(await reachable(e, users.dev, PROJECTS)).toEqual([]);
    // Keystone: the auditors' group renamed. Keycloak: the auditors' access role taken off their group.
    const acme = await e.domainId("sys-acme");
    const auditors = (
      (await ksJson(e, `/groups?domain_id=${acme}&name=sys-acme-auditors`)).groups as {
        id: string;
      }[]
    )[0]!;
    expect(
      (await call(e.admin, "PATCH", `/groups/${auditors.id}`, { group: { name: "renamed" } }))
        .status,
    ).toBe(200);
    const auditorsGroup = (await e.deployed()).groups.get("/sys-acme/auditors")!;
    const roleMappings = `/${realm}/groups/${auditorsGroup}/role-mappings/clients/${clientUuid}`;
    const held = await kcJson<Record<string, unknown>[]>(e, roleMappings);
    expect((await kcCall(e.keycloak, "DELETE", roleMappings, held)).status).toBe(204);

    const preview = e.pulumi(["preview", "--refresh", "--expect-no-changes", ...stackArgs]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toMatch(
      /~ +pulumi-nodejs:dynamic\/keystone:Mapping +federation-mapping +update/,
    );
    expect(preview.stdout).toMatch(
      /~ +keycloak:openid:Client +keycloak-client +update \[diff: ~validRedirectUris\]/,
    );
    expect(preview.stdout).toMatch(
      /~ +keycloak:index:Realm +keycloak-realm +update \[diff: \+securityDefenses\]/,
    );
    // A group the mapping names is never renamed in place: a new one first, the old one last.
    expect(preview.stdout).toMatch(
      /\+- +openstack:identity:GroupV3 +keystone-group-sys-acme-auditors +replace \[diff: ~name\]/,
    );
    expect(preview.stdout).toMatch(
      /~ +keycloak:index:GroupRoles +keycloak-kcgroup-sys-acme-auditors-access +update \[diff: \+roleIds\]/,
    );

    // The drift workflow's issue, from the same preview as JSON: access first, by meaning.
    const json = e.pulumi(["preview", "--refresh", "--json", ...stackArgs]);
    const report = driftReport(STACK, JSON.parse(json.stdout) as never, e.model);
    const access = report.slice(report.indexOf("### Access"), report.indexOf("### Other"));
    expect(access).toContain("- mapping `federation-mapping` differs");
    expect(access).toContain(
      "- Keystone group `keystone-group-sys-acme-auditors` differs where it can only be made again",
    );
    expect(access).toContain(
      "- access role assignment `keycloak-kcgroup-sys-acme-auditors-access` differs",
    );
    expect(report.slice(report.indexOf("### Other"))).toContain(
      "`keycloak:openid/client:Client` keycloak-client",
    );

    e.up(["--refresh"]);
    const mapping = (await ksJson(e, `/OS-FEDERATION/mappings/${f.mappingId}`)).mapping as {
      rules: unknown[];
    };
    expect(mapping.rules).not.toEqual(open.rules);
    const restored = await kcJson<{ redirectUris: string[] }>(e, `/${realm}/clients/${clientUuid}`);
    expect(restored.redirectUris).not.toContain("*");
    expect(
      (await kcJson<{ bruteForceProtected: boolean }>(e, `/${realm}`)).bruteForceProtected,
    ).toBe(true);
    expect(await reachable(e, users.dev, PROJECTS)).toEqual(["sys-acme/web"]);
    expect(await reachable(e, users.auditor, PROJECTS)).toEqual(["sys-acme/web", "sys-acme/data"]);
    expect((await kcJson<{ name: string }[]>(e, roleMappings)).map((r) => r.name)).toEqual([
      "sys-acme-auditors",
    ]);
    expectOk(
      e.pulumi(["preview", "--refresh", "--expect-no-changes", ...stackArgs]),
      "pulumi preview --refresh --expect-no-changes after restoring",
    );
  });

  it("the federated users' domain renamed: the preview shows the replacement, up converges, users log in again", async (ctx) => {
    const e = need(ctx);
    const f = e.model.federation;
    setConfig(e, "federation", { userDomain: `${STACK}-people` });
    try {
      // The domain's logical name follows its name: a new domain, and the IdP (which Keystone
      // cannot move) and its protocol replaced into it; the old domain goes last.
      expect(previewSteps(e)).toEqual(
        [
          "create keystone-domain-system-people",
          "create keystone-domain-system-people-release",
          "delete keystone-domain-system-users",
          "delete keystone-domain-system-users-release",
          "replace federation-idp",
          "replace federation-protocol",
        ].sort(),
      );
      e.up();
      const idp = (await ksJson(e, `/OS-FEDERATION/identity_providers/${f.idpId}`))
        .identity_provider as { domain_id: string };
      expect(idp.domain_id).toBe(await e.domainId(`${STACK}-people`));
      expect((await call(e.admin, "GET", `/domains?name=${STACK}-users`)).json.domains).toEqual([]);
      expect(await reachable(e, users.dev, PROJECTS)).toEqual(["sys-acme/web"]);
    } finally {
      setConfig(e, "federation", { userDomain: `${STACK}-users` });
      e.up();
    }
    expect(await reachable(e, users.dev, PROJECTS)).toEqual(["sys-acme/web"]);
  });

  for (const service of ["Keycloak", "Keystone"] as const)
    it(`${service} killed during pulumi up: one clear error, then a re-run converges with nothing duplicated or lost`, async (ctx) => {
      const e = need(ctx);
      const before = await keystoneInventory(e);
      const kcGroups = [...(await e.deployed()).groups.keys()].sort();
      // Something to create on both sides: a new tenant with a project and an access group.
      const tenants = [
        ...(JSON.parse(
          e.must(["config", "get", `${NS}:tenants`, "--stack", STACK]).stdout,
        ) as unknown[]),
        { name: "sys-fault", projects: [{ name: "box" }] },
      ];
      const access = [
        ...(JSON.parse(
          e.must(["config", "get", `${NS}:access`, "--stack", STACK]).stdout,
        ) as unknown[]),
        { tenant: "sys-fault", group: "crew", grants: [{ role: "member", project: "box" }] },
      ];
      try {
        setConfig(e, "tenants", tenants);
        setConfig(e, "access", access);
        const run = e.spawnPulumi(["up", "--yes", "--skip-preview", ...stackArgs]);
        if (service === "Keycloak") e.stopKeycloak();
        else e.stopKeystone();
        let failed: PulumiResult;
        try {
          failed = await run.done;
        } finally {
          if (service === "Keycloak") e.startKeycloak();
          else e.startKeystone();
        }
        expect(failed.code).not.toBe(0);
        const port = service === "Keycloak" ? SYS.ports.keycloakHttps : SYS.ports.keystone;
        // The provider's own words: which address refused the connection.
        const said = `${failed.stdout}${failed.stderr}`;
        expect(said).toMatch(/connection refused|ECONNREFUSED/);
        expect(said).toContain(`127.0.0.1:${port}`);
        e.up();
        expect(await keystoneInventory(e)).toEqual({
          ...before,
          domains: [...before.domains, "sys-fault"].sort(),
          projects: [...before.projects, "sys-fault/box"].sort(),
          groups: [...before.groups, "sys-fault/sys-fault-crew"].sort(),
        });
        expect([...(await e.deployed()).groups.keys()].sort()).toEqual(
          [...kcGroups, "/sys-fault", "/sys-fault/crew"].sort(),
        );
        expectOk(
          e.pulumi(["preview", "--expect-no-changes", ...stackArgs]),
          "preview after the re-run",
        );
        expect(await reachable(e, users.dev, PROJECTS)).toEqual(["sys-acme/web"]);
      } finally {
        // Back to the tenants before, for the steps after this one.
        setConfig(e, "tenants", tenants.slice(0, -1));
        setConfig(e, "access", access.slice(0, -1));
        e.up();
      }
      expect(await keystoneInventory(e)).toEqual(before);
    });

  it("a second pulumi up while one runs is refused by the backend's lock, and the state stays intact", async (ctx) => {
    const e = need(ctx);
    const locks = join(e.backend, ".pulumi", "locks");
    const lockFiles = () =>
      existsSync(locks)
        ? readdirSync(locks, { recursive: true, withFileTypes: true })
            // The file backend keeps each blob's attributes in a `.attrs` file beside it.
            .filter((d) => d.isFile() && !d.name.endsWith(".attrs"))
        : [];
    const first = e.pulumiInBackground(["up", "--yes", "--refresh", ...stackArgs]);
    const deadline = Date.now() + 60_000;
    while (lockFiles().length === 0 && Date.now() < deadline) await sleep(100);
    expect(lockFiles().length, "the first up holds the stack's lock").toBe(1);
    const second = e.pulumi(["up", "--yes", ...stackArgs]);
    expect(second.code).not.toBe(0);
    expect(`${second.stdout}${second.stderr}`).toMatch(/the stack is currently locked by 1 lock/);
    expectOk(await first, "the first pulumi up");
    expect(lockFiles()).toEqual([]);
    expectOk(
      e.pulumi(["preview", "--expect-no-changes", ...stackArgs]),
      "pulumi preview --expect-no-changes after the refused run",
    );
  });

  it("a protected stack refuses destroy and changes nothing", async (ctx) => {
    const e = need(ctx);
    const before = await keystoneInventory(e);
    const setProtect = (protect: boolean) => setConfig(e, "protection", { protect });
    setProtect(true);
    e.up();
    const destroy = e.pulumi(["destroy", "--yes", "--skip-preview", ...stackArgs]);
    expect(destroy.code).not.toBe(0);
    expect(`${destroy.stdout}${destroy.stderr}`).toMatch(/protected/);
    expect(await keystoneInventory(e)).toEqual(before);
    expect((await kcCall(e.keycloak, "GET", `/${e.model.keycloak.realm.name}`)).status).toBe(200);
    expect(await reachable(e, users.dev, PROJECTS)).toEqual(["sys-acme/web"]);
    setProtect(false);
    e.up();
  });

  it("pulumi destroy leaves no realm, client, IdP, mapping, protocol, domain, project or group behind; stack rm", async (ctx) => {
    const e = need(ctx);
    expectOk(e.pulumi(["destroy", "--yes", "--skip-preview", ...stackArgs]), "pulumi destroy");
    expect(await keystoneInventory(e)).toEqual({
      domains: [],
      projects: [],
      groups: [],
      idp: 404,
      mapping: 404,
      protocol: 404,
    });
    expect((await kcCall(e.keycloak, "GET", `/${e.model.keycloak.realm.name}`)).status).toBe(404);
    expect((await ksJson(e, "/OS-FEDERATION/identity_providers")).identity_providers).toEqual([]);
    expect((await ksJson(e, "/OS-FEDERATION/mappings")).mappings).toEqual([]);
    // Only the bootstrap admin's own assignments remain.
    const left = (await ksJson(e, "/role_assignments")).role_assignments as { group?: unknown }[];
    expect(left.filter((a) => a.group !== undefined)).toEqual([]);
    expectOk(
      e.pulumi(["stack", "rm", "--yes", "--non-interactive", "--stack", STACK]),
      "pulumi stack rm",
    );
    expect(e.pulumi(["stack", "ls", "--json"]).stdout.trim()).toBe("[]");
  });
});
