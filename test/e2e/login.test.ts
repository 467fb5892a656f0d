/**
 * End to end on loopback: a Keycloak-shaped access token -> Apache + mod_auth_openidc (the stack's
 * rendered configuration) -> Keystone's mapped auth (the stack's domains, projects, groups, grants,
 * mapping, IdP and protocol created by `pulumi up` of the program) -> an unscoped token -> a
 * project-scoped token carrying exactly the roles of the stack's access table, or no token at all.
 */
import { KEYSTONE } from "../support/keystone-release";
import { fixtureAccessTable } from "../support/stack-files";
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { caseClaims, parseAccessTable } from "../../infra/verify/access-table";
import { call } from "../support/keystone-admin";
import { REPO } from "../support/keystone-service";
import { type E2eEnv, federatedLogin, scopeTo, startE2e } from "../support/e2e-env";

const STACK = "e2e";
let env: E2eEnv | undefined;
const table = parseAccessTable(fixtureAccessTable(STACK));
let implied = new Map<string, string[]>();

/** Roles a token carries for `roles`: Keystone adds implied roles (admin -> member -> reader). */
function withImplied(roles: readonly string[]): string[] {
  const out = new Set<string>();
  const visit = (r: string) => {
    if (out.has(r)) return;
    out.add(r);
    for (const i of implied.get(r) ?? []) visit(i);
  };
  roles.forEach(visit);
  return [...out].sort();
}

function claimsOf(name: string): Record<string, unknown> {
  const c = table.cases.find((x) => x.name === name);
  if (!c) throw new Error(`no access case ${name}`);
  return caseClaims(env!.model, table, c);
}

async function mint(
  claims: Record<string, unknown>,
  options: { expiresIn?: number; key?: "realm" | "foreign" } = {},
): Promise<string> {
  const { iss, ...rest } = claims;
  return env!.keycloak.mint(rest, { ...options, issuer: String(iss) });
}

/** The environment, or skip (startE2e already failed the suite under CI=true). */
function need(ctx: TestContext): E2eEnv {
  if (!env) ctx.skip();
  return env!;
}

describe(`federated login through Apache, mod_auth_openidc and Keystone [${KEYSTONE.label}]`, () => {
  beforeAll(async () => {
    env = await startE2e(STACK, 26980, {
      users: {
        smoke: {
          password: "smoke-pass",
          claims: { sub: "smoke-sub-1", openstack_access: ["e2e-acme-developers"] },
        },
      },
    });
    if (!env) return;
    const e = env;
    const inferences = (await call(e.admin, "GET", "/role_inferences")).json.role_inferences as {
      prior_role: { name: string };
      implies: { name: string }[];
    }[];
    implied = new Map(inferences.map((x) => [x.prior_role.name, x.implies.map((r) => r.name)]));
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("Apache accepts the rendered configuration (apache2 -t ran before start) and Keystone has the stack's graph", async (ctx) => {
    const e = need(ctx);
    const domains = (
      (await call(e.admin, "GET", "/domains")).json.domains as { name: string }[]
    ).map((d) => d.name);
    for (const d of e.model.keystone.domains) expect(domains).toContain(d.name);
    const listed = await call(
      e.admin,
      "GET",
      `/OS-FEDERATION/identity_providers/${e.model.federation.idpId}/protocols`,
    );
    expect(listed.json.protocols).toMatchObject([
      {
        id: "openid",
        mapping_id: e.model.federation.mappingId,
        remote_id_attribute: "HTTP_OIDC_ISS",
      },
    ]);
  });

  it.for(table.cases.map((c) => [c.name, c] as const))("access table: %s", async ([, c], ctx) => {
    const e = need(ctx);
    const login = await federatedLogin(e.model, await mint(caseClaims(e.model, table, c)));
    if (c.expect === "deny") {
      // 401 when no rule matches; 403 when Keystone refuses the issuer itself (not in remote_ids).
      expect(login.token).toBeUndefined();
      expect(c.claims.iss !== undefined ? 403 : 401).toBe(login.status);
      return;
    }
    expect(login.status).toBe(201);
    const granted = c.expect.roles;
    for (const [target, roles] of Object.entries(granted)) {
      const [domain, project] = target.split("/") as [string, string];
      const scoped = await scopeTo(e.model, login.token!, domain, project);
      expect(scoped, target).toEqual({ status: 201, roles: withImplied(roles) });
    }
    // Every other project of the stack is out of reach.
    for (const p of e.model.keystone.projects) {
      const domain = e.model.keystone.domains.find((d) => d.key === p.domainKey)!.name;
      if (`${domain}/${p.name}` in granted) continue;
      expect(
        (await scopeTo(e.model, login.token!, domain, p.name)).status,
        `${domain}/${p.name}`,
      ).toBe(401);
    }
  });

  it("refuses an expired token, a token signed by another key, and no token", async (ctx) => {
    const e = need(ctx);
    const claims = claimsOf("e2e-acme admin works in web and data");
    expect((await federatedLogin(e.model, await mint(claims, { expiresIn: -120 }))).status).toBe(
      401,
    );
    expect((await federatedLogin(e.model, await mint(claims, { key: "foreign" }))).status).toBe(
      401,
    );
    const res = await fetch(e.model.keystone.urls.cliAuth, { method: "POST" });
    expect(res.status).toBe(401);
  });

  it("ignores OIDC-* headers a client sends itself (mod_auth_openidc scrubs them)", async (ctx) => {
    const e = need(ctx);
    const noGroup = await mint(claimsOf("no granted group gets no token"));
    const spoof = {
      "OIDC-openstack_access": "e2e-acme-admins",
      OIDC_openstack_access: "e2e-acme-admins",
      "OIDC-iss": e.model.keycloak.issuer,
      "OIDC-azp": "keystone",
    };
    expect((await federatedLogin(e.model, noGroup, spoof)).status).toBe(401);
    const wrongAzp = await mint(claimsOf("a token for another client gets no token"));
    expect((await federatedLogin(e.model, wrongAzp, { "OIDC-azp": "keystone" })).status).toBe(401);
  });

  it("the stack's smoke check (infra/components/smoke-login.cjs) passes when federation works and names the failing step when not", async (ctx) => {
    const e = need(ctx);
    // Asynchronous: the fake Keycloak answers from this very process.
    const smoke = (project: string, password = "smoke-pass") =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [join(REPO, "infra", "components", "smoke-login.cjs")],
          {
            env: {
              ...process.env,
              NODE_EXTRA_CA_CERTS: e.keycloak.caFile,
              OKF_TOKEN_URL: e.model.keycloak.endpoints.token,
              OKF_CLIENT_ID: "keystone",
              OKF_USERNAME: "smoke",
              OKF_PASSWORD: password,
              OKF_KEYSTONE_AUTH_URL: e.model.keystone.urls.cliAuth,
              OKF_KEYSTONE_V3: e.model.keystone.urls.v3,
              OKF_PROJECT: project,
            },
          },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (status) => resolve({ status: status ?? -1, stdout, stderr }));
      });
    const ok = await smoke("e2e-acme/web");
    expect({ status: ok.status, out: ok.stdout.trim() }).toEqual({
      status: 0,
      out: "smoke check passed: smoke on e2e-acme/web with roles member, reader",
    });
    const noRole = await smoke("e2e-acme/data");
    expect(noRole.status).toBe(1);
    expect(noRole.stderr).toContain(
      "smoke check failed at project scoping: HTTP 401 for e2e-acme/data",
    );
    const badPassword = await smoke("e2e-acme/web", "wrong");
    expect(badPassword.stderr).toContain(
      "smoke check failed at Keycloak token request: HTTP 401 invalid_grant",
    );
  });

  it("the real openstack CLI logs in with the rendered clouds.yaml (v3oidcaccesstoken) and sees its projects", async (ctx) => {
    const e = need(ctx);
    const claims = claimsOf("e2e-acme admin works in web and data");
    const jwt = await mint(claims);
    const out = execFileSync(
      "openstack",
      [
        "--os-cloud",
        `${STACK}-oidc-token`,
        "--os-access-token",
        jwt,
        "federation",
        "project",
        "list",
        "-f",
        "json",
      ],
      {
        env: { ...process.env, OS_CLIENT_CONFIG_FILE: e.cloudsYaml, OS_CLOUD: "" },
        encoding: "utf8",
      },
    );
    const projects = (JSON.parse(out) as { Name: string }[]).map((p) => p.Name).sort();
    expect(projects).toEqual(["data", "web"]);
  });
});
