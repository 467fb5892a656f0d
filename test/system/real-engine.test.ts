/**
 * The real engine against the real services: `pulumi up`, `preview --expect-no-changes`, drift,
 * `destroy` and `stack rm` with the Pulumi CLI built from its Go modules, the project's dynamic
 * provider creating the Keystone federation objects, and logins with tokens the real Keycloak
 * issues, through Apache + mod_auth_openidc + Keystone. Everything asserted is read back from
 * Keycloak, Keystone or the CLI's own state.
 */
import { KEYSTONE } from "../support/keystone-release";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { decodeJwt } from "jose";
import { federatedLogin, scopeTo } from "../support/e2e-env";
import { createKeycloakUser, kcCall, passwordGrant } from "../support/keycloak-applier";
import { call } from "../support/keystone-applier";
import {
  PROGRAM_DIR,
  removeSystemStackFile,
  startSystem,
  type SystemEnv,
} from "../support/system-env";
import { main as previewCommentCli } from "../../infra/cli/preview-comment";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KEYSTONE_ADMIN_PASSWORD, systemStack } from "./system-stack";

const SYS = systemStack("system", 0);
const STACK = SYS.stack;
const SYSTEM_PORTS = SYS.ports;
let env: SystemEnv | undefined;
const users = {
  dev: { username: "sys-dev", password: "sys-dev-pass-1", email: "dev@acme.example" },
  nobody: { username: "sys-nobody", password: "sys-nobody-pass-1", email: "nobody@acme.example" },
};

function need(ctx: TestContext): SystemEnv {
  if (!env) ctx.skip();
  return env!;
}

function expectOk(r: { code: number; stdout: string; stderr: string }, what: string): void {
  if (r.code !== 0)
    throw new Error(
      `${what} exited ${r.code}:\n${r.stdout.slice(-1500)}\n${r.stderr.slice(-1500)}`,
    );
}

async function accessToken(
  e: SystemEnv,
  user: { username: string; password: string },
): Promise<string> {
  const r = await passwordGrant(
    `http://127.0.0.1:${SYSTEM_PORTS.keycloakHttp}`,
    e.keycloakApplied.realm,
    { id: e.model.keycloak.client.clientId, secret: e.keycloakApplied.clientSecret },
    user.username,
    user.password,
  );
  if (r.status !== 200)
    throw new Error(
      `password grant for ${user.username}: HTTP ${r.status} ${JSON.stringify(r.body)}`,
    );
  return String(r.body.access_token);
}

async function federation(
  e: SystemEnv,
): Promise<{ idp: number; mapping: number; protocol: number }> {
  const f = e.model.federation;
  return {
    idp: (await call(e.admin, "GET", `/OS-FEDERATION/identity_providers/${f.idpId}`)).status,
    mapping: (await call(e.admin, "GET", `/OS-FEDERATION/mappings/${f.mappingId}`)).status,
    protocol: (
      await call(
        e.admin,
        "GET",
        `/OS-FEDERATION/identity_providers/${f.idpId}/protocols/${f.protocolId}`,
      )
    ).status,
  };
}

describe(`the real Pulumi engine with the real Keycloak and Keystone [${KEYSTONE.label}]`, () => {
  beforeAll(async () => {
    env = await startSystem(STACK, SYS.config, SYS.secretKeys, SYSTEM_PORTS);
    if (!env) return;
    const groups = env.keycloakApplied.groups;
    await createKeycloakUser(env.keycloak, env.keycloakApplied.realm, {
      ...users.dev,
      groupIds: [groups.get("/sys-acme/developers")!],
    });
    await createKeycloakUser(env.keycloak, env.keycloakApplied.realm, users.nobody);
  });

  afterAll(() => {
    env?.stop();
    removeSystemStackFile(STACK);
  });

  it("Keycloak stores the realm, the clients and their mappers as the program declares them", async (ctx) => {
    const e = need(ctx);
    const realm = (await kcCall(e.keycloak, "GET", `/${e.keycloakApplied.realm}`)).json as Record<
      string,
      unknown
    >;
    expect(realm).toMatchObject({
      accessTokenLifespan: 300,
      ssoSessionIdleTimeout: 1800,
      ssoSessionMaxLifespan: 36000,
      bruteForceProtected: true,
      permanentLockout: false,
      failureFactor: 10,
    });
    const client = (
      (
        await kcCall(
          e.keycloak,
          "GET",
          `/${e.keycloakApplied.realm}/clients?clientId=${e.model.keycloak.client.clientId}`,
        )
      ).json as Record<string, unknown>[]
    )[0]!;
    expect(client).toMatchObject({
      publicClient: false,
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
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
    const mappers = (
      (
        await kcCall(
          e.keycloak,
          "GET",
          `/${e.keycloakApplied.realm}/clients/${e.keycloakApplied.clientUuid}/protocol-mappers/models`,
        )
      ).json as { name: string; protocolMapper: string }[]
    )
      .map((m) => `${m.name}:${m.protocolMapper}`)
      .sort();
    expect(mappers).toEqual([
      "audience:oidc-audience-mapper",
      "groups:oidc-group-membership-mapper",
      "preferred_username:oidc-usermodel-property-mapper",
      "sub:oidc-sub-mapper",
    ]);
  });

  it("pulumi up creates the IdP, mapping and protocol exactly as the model declares them", async (ctx) => {
    const e = need(ctx);
    const up = e.pulumi(["up", "--yes", "--non-interactive", "--skip-preview", "--stack", STACK]);
    expectOk(up, "pulumi up");
    // The stack, the component and its three dynamic resources.
    expect(up.stdout).toMatch(/\+ 5 created/);
    const f = e.model.federation;
    const discovery = (await (
      await fetch(
        `http://127.0.0.1:${SYSTEM_PORTS.keycloakHttp}/realms/${e.keycloakApplied.realm}/.well-known/openid-configuration`,
      )
    ).json()) as { issuer: string };
    const idp = (await call(e.admin, "GET", `/OS-FEDERATION/identity_providers/${f.idpId}`)).json
      .identity_provider as { remote_ids: string[]; domain_id: string; enabled: boolean };
    expect(idp.remote_ids).toEqual([discovery.issuer]);
    expect(idp.domain_id).toBe(e.userDomainId);
    expect(idp.enabled).toBe(true);
    const mapping = (await call(e.admin, "GET", `/OS-FEDERATION/mappings/${f.mappingId}`)).json
      .mapping as { rules: unknown[] };
    expect(mapping.rules).toEqual(f.mapping.rules);
    const protocols = (
      await call(e.admin, "GET", `/OS-FEDERATION/identity_providers/${f.idpId}/protocols`)
    ).json.protocols as { id: string; mapping_id: string; remote_id_attribute?: string }[];
    expect(
      protocols.map((p) => ({
        id: p.id,
        mapping_id: p.mapping_id,
        remote_id_attribute: p.remote_id_attribute,
      })),
    ).toEqual([
      { id: f.protocolId, mapping_id: f.mappingId, remote_id_attribute: f.remoteIdAttribute },
    ]);
  });

  it("a second pulumi preview shows no changes (no perpetual diff)", (ctx) => {
    const e = need(ctx);
    expectOk(
      e.pulumi(["preview", "--expect-no-changes", "--non-interactive", "--stack", STACK]),
      "pulumi preview --expect-no-changes",
    );
    expectOk(
      e.pulumi([
        "preview",
        "--refresh",
        "--expect-no-changes",
        "--non-interactive",
        "--stack",
        STACK,
      ]),
      "pulumi preview --refresh --expect-no-changes",
    );
  });

  it("a reviewed change (an access group added) previews with the real CLI as exactly the expected pull-request comment", (ctx) => {
    const e = need(ctx);
    const file = join(PROGRAM_DIR, `Pulumi.${STACK}.yaml`);
    const dir = mkdtempSync(join(tmpdir(), "okf-preview-"));
    copyFileSync(file, join(dir, "base.yaml"));
    const ns = "openstack-keycloak-federation";
    const access = [
      ...(JSON.parse(SYS.config[`${ns}:access`]!) as unknown[]),
      { tenant: "sys-acme", group: "ops", grants: [{ role: "member", project: "data" }] },
    ];
    try {
      expectOk(
        e.pulumi(["config", "set", `${ns}:access`, JSON.stringify(access), "--stack", STACK]),
        "pulumi config set access",
      );
      const preview = e.pulumi(["preview", "--json", "--non-interactive", "--stack", STACK]);
      expectOk(preview, "pulumi preview --json");
      writeFileSync(join(dir, "preview.json"), preview.stdout);
      const r = previewCommentCli([
        "--stack",
        STACK,
        "--stacks-dir",
        PROGRAM_DIR,
        "--preview",
        join(dir, "preview.json"),
        "--base",
        join(dir, "base.yaml"),
      ]);
      expect(r.stderr).toBe("");
      expect(r.stdout.slice(0, r.stdout.indexOf("```diff"))).toBe(
        [
          `<!-- okf-preview:${STACK} -->`,
          `### \`pulumi preview\` of ${STACK}`,
          "",
          "**Resources:** 0 to create, 1 to update, 0 to replace, 0 to delete.",
          "",
          "update:",
          "- `pulumi-nodejs:dynamic/keystone:Mapping` federation-mapping",
          "",
          "**Access:**",
          "- sys-acme/ops gains member on sys-acme/data",
          "",
          `**Mapping** (\`mappings/${STACK}.rules.json\`):`,
          "",
          "",
        ].join("\n"),
      );
      expect(r.stdout).toContain('+            "/sys-acme/ops"');
    } finally {
      copyFileSync(join(dir, "base.yaml"), file);
    }
    expectOk(
      e.pulumi(["preview", "--expect-no-changes", "--non-interactive", "--stack", STACK]),
      "pulumi preview --expect-no-changes after restoring the stack file",
    );
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
    const first = e.pulumiInBackground(["up", "--yes", "--non-interactive", "--stack", STACK]);
    const deadline = Date.now() + 60_000;
    while (lockFiles().length === 0 && Date.now() < deadline) await sleep(100);
    expect(lockFiles().length, "the first up holds the stack's lock").toBe(1);
    const second = e.pulumi(["up", "--yes", "--non-interactive", "--stack", STACK]);
    expect(second.code).not.toBe(0);
    expect(`${second.stdout}${second.stderr}`).toMatch(/the stack is currently locked by 1 lock/);
    expectOk(await first, "the first pulumi up");
    expect(lockFiles()).toEqual([]);
    const state = e.pulumi(["stack", "export", "--stack", STACK]);
    expectOk(state, "pulumi stack export");
    const resources = (
      JSON.parse(state.stdout) as { deployment: { resources: { type: string }[] } }
    ).deployment.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/keystone:"));
    expect(resources.map((r) => r.type).sort()).toEqual([
      "pulumi-nodejs:dynamic/keystone:FederationProtocol",
      "pulumi-nodejs:dynamic/keystone:IdentityProvider",
      "pulumi-nodejs:dynamic/keystone:Mapping",
    ]);
    expectOk(
      e.pulumi(["preview", "--expect-no-changes", "--non-interactive", "--stack", STACK]),
      "pulumi preview --expect-no-changes after the refused run",
    );
  });

  it("the state holds no secret in plain text", (ctx) => {
    const e = need(ctx);
    const exported = e.pulumi(["stack", "export", "--stack", STACK]);
    expectOk(exported, "pulumi stack export");
    expect(exported.stdout).toContain("pulumi-nodejs:dynamic/keystone:Mapping");
    expect(exported.stdout).not.toContain(KEYSTONE_ADMIN_PASSWORD);
    expect(exported.stdout).not.toContain(e.keycloakApplied.clientSecret);
    const shown = e.pulumi(["stack", "output", "--json", "--stack", STACK]);
    expect(JSON.parse(shown.stdout)).toEqual({
      idpId: e.model.federation.idpId,
      mappingId: e.model.federation.mappingId,
      protocolId: e.model.federation.protocolId,
    });
  });

  it("a token the real Keycloak issues logs in through Apache and Keystone to exactly the granted project", async (ctx) => {
    const e = need(ctx);
    const token = await accessToken(e, users.dev);
    const claims = decodeJwt(token);
    // Every claim the mapping reads, as Keycloak really emits it.
    expect(claims.iss).toBe(e.model.keycloak.issuer);
    expect(claims.azp).toBe(e.model.keycloak.client.clientId);
    expect(claims.groups).toEqual(["/sys-acme/developers"]);
    expect(claims.preferred_username).toBe(users.dev.username);
    expect(typeof claims.sub).toBe("string");
    const login = await federatedLogin(e.model, token);
    expect(login.status).toBe(201);
    expect(await scopeTo(e.model, login.token!, "sys-acme", "web")).toEqual({
      status: 201,
      roles: ["member", "reader"],
    });
    expect((await scopeTo(e.model, login.token!, "sys-acme", "data")).status).toBe(401);
    expect((await scopeTo(e.model, login.token!, "sys-globex", "research")).status).toBe(401);
    // The shadow user sits in the federated users' domain, named after preferred_username, id from sub.
    const shadow = (
      await call(e.admin, "GET", `/users?domain_id=${e.userDomainId}&name=${users.dev.username}`)
    ).json.users as { id: string }[];
    expect(shadow).toHaveLength(1);
  });

  it("a Keycloak user without a granted group gets no Keystone token", async (ctx) => {
    const e = need(ctx);
    const token = await accessToken(e, users.nobody);
    // Keycloak leaves the groups claim out entirely for a user without groups (not an empty list).
    expect(decodeJwt(token)).not.toHaveProperty("groups");
    expect((await federatedLogin(e.model, token)).status).toBe(401);
  });

  it("a group named to forge another tenant's path (x;/sys-acme/developers) grants nothing: Keycloak escapes '/' in group names", async (ctx) => {
    const e = need(ctx);
    // What a proxy-realm admin allowed to create groups under one tenant could try: Keystone splits
    // claim values on ';', so without the escaping the path would yield "/sys-acme/developers".
    const realm = e.keycloakApplied.realm;
    const parent = e.keycloakApplied.groups.get("/sys-globex/researchers")!;
    const made = await kcCall(e.keycloak, "POST", `/${realm}/groups/${parent}/children`, {
      name: "x;/sys-acme/developers",
    });
    expect(made.status).toBe(201);
    const forgedId = made.location!.split("/").pop()!;
    const forger = {
      username: "sys-forger",
      password: "sys-forger-pass-1",
      email: "forger@globex.example",
    };
    await createKeycloakUser(e.keycloak, realm, { ...forger, groupIds: [forgedId] });
    const claims = decodeJwt(await accessToken(e, forger));
    expect(claims.groups).toEqual(["/sys-globex/researchers/x;~/sys-acme~/developers"]);
    const login = await federatedLogin(e.model, await accessToken(e, forger));
    expect(login.status, "no value of the forged path is a granted group").toBe(401);
  });

  it("drift: a mapping changed out of band shows in preview --refresh, and up --refresh restores it", async (ctx) => {
    const e = need(ctx);
    const f = e.model.federation;
    const open = {
      rules: [
        {
          local: [
            { user: { name: "{0}" } },
            { group: { name: "/sys-acme/developers", domain: { name: "sys-acme" } } },
          ],
          remote: [{ type: "REMOTE_USER" }],
        },
      ],
    };
    expect(
      (await call(e.admin, "PATCH", `/OS-FEDERATION/mappings/${f.mappingId}`, { mapping: open }))
        .status,
    ).toBe(200);
    const preview = e.pulumi([
      "preview",
      "--refresh",
      "--expect-no-changes",
      "--non-interactive",
      "--stack",
      STACK,
    ]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toMatch(
      /~ +pulumi-nodejs:dynamic\/keystone:Mapping +federation-mapping +update/,
    );
    expectOk(
      e.pulumi([
        "up",
        "--refresh",
        "--yes",
        "--non-interactive",
        "--skip-preview",
        "--stack",
        STACK,
      ]),
      "pulumi up --refresh",
    );
    const mapping = (await call(e.admin, "GET", `/OS-FEDERATION/mappings/${f.mappingId}`)).json
      .mapping as { rules: unknown[] };
    expect(mapping.rules).toEqual(f.mapping.rules);
    expect((await federatedLogin(e.model, await accessToken(e, users.dev))).status).toBe(201);
  });

  it("pulumi destroy removes the IdP, mapping and protocol, and the stack is removed", async (ctx) => {
    const e = need(ctx);
    expectOk(
      e.pulumi(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", STACK]),
      "pulumi destroy",
    );
    expect(await federation(e)).toEqual({ idp: 404, mapping: 404, protocol: 404 });
    expectOk(
      e.pulumi(["stack", "rm", "--yes", "--non-interactive", "--stack", STACK]),
      "pulumi stack rm",
    );
    expect(e.pulumi(["stack", "ls", "--json"]).stdout.trim()).toBe("[]");
    // Keycloak is untouched by the destroy of the Keystone side: its realm still answers.
    expect((await kcCall(e.keycloak, "GET", `/${e.keycloakApplied.realm}`)).status).toBe(200);
  });
});
