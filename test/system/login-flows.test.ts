/**
 * Logins the way users log in, against the real Keycloak and the real Apache + mod_auth_openidc +
 * Keystone with the stack's rendered configuration (federation objects by `pulumi up`):
 * - the browser (Chromium) through a real Horizon (Debian's openstack-dashboard) with the stack's
 *   rendered settings: Keystone's websso, mod_auth_openidc's authorization request with PKCE S256,
 *   Keycloak's real login page, back into Horizon with exactly the granted projects; logout from
 *   Horizon ends the Keycloak session too;
 * - Keycloak refusing an authorization request without PKCE for the Keystone client;
 * - the command line with the rendered clouds.yaml and keystoneauth1 / python-openstackclient from
 *   PyPI: the device authorization grant (the user approves in the browser) and an access token.
 * Screenshots of each step go to .work/screenshots/.
 */
import { KEYSTONE } from "../support/keystone-release";
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { ARTIFACTS, launchChromiumOrSkip } from "../support/browser";
import { listedProjects, loginThroughHorizon } from "../support/horizon-login";
import { call } from "../support/keystone-admin";
import { federatedLogin } from "../support/e2e-env";
import { createKeycloakUser, kcCall, passwordGrant } from "../support/keycloak-admin";
import { REPO } from "../support/keystone-service";
import { startSystem, type SystemEnv } from "../support/system-env";
import { systemStack } from "./system-stack";

const SYS = systemStack("logins", 7);
const HORIZON_SH = join(REPO, "scripts", "horizon.sh");
let env: SystemEnv | undefined;
let browser: Browser | undefined;
let devId = "";
const users = {
  dev: { username: "web-dev", password: "web-dev-pass-1", email: "web-dev@acme.example" },
  nobody: {
    username: "web-nobody",
    password: "web-nobody-pass-1",
    email: "web-nobody@acme.example",
  },
};

function need(ctx: TestContext): { e: SystemEnv; b: Browser } {
  if (!env || !browser) ctx.skip();
  return { e: env!, b: browser! };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The openstack CLI from scripts/clients.sh, with the stack's clouds.yaml and Keycloak's CA. */
function openstackCli(e: SystemEnv): { bin: string; env: NodeJS.ProcessEnv } {
  const bin = execFileSync("bash", [join(REPO, "scripts", "clients.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 600_000,
  })
    .trim()
    .split("\n")
    .pop()!;
  return {
    bin: join(bin, "openstack"),
    env: { ...process.env, OS_CLIENT_CONFIG_FILE: e.cloudsYaml, REQUESTS_CA_BUNDLE: e.keycloakCa },
  };
}

/** The id of a project, looked up in Keystone by domain and name. */
async function projectId(e: SystemEnv, domain: string, name: string): Promise<string> {
  const domains = (await call(e.admin, "GET", `/domains?name=${domain}`)).json.domains as {
    id: string;
  }[];
  const projects = (
    await call(e.admin, "GET", `/projects?domain_id=${domains[0]!.id}&name=${name}`)
  ).json.projects as { id: string }[];
  return projects[0]!.id;
}

describe(`real logins: browser WebSSO with PKCE through Keycloak, mod_auth_openidc and Keystone [${KEYSTONE.label}]`, () => {
  beforeAll(async () => {
    env = await startSystem(SYS.stack, SYS.config, SYS.secretKeys, SYS.ports);
    if (!env) return;
    const groups = (await env.deployed()).groups;
    devId = await createKeycloakUser(env.keycloak, env.model.keycloak.realm.name, {
      ...users.dev,
      groupIds: [groups.get("/sys-acme/developers")!],
    });
    await createKeycloakUser(env.keycloak, env.model.keycloak.realm.name, users.nobody);
    execFileSync(
      "bash",
      [
        HORIZON_SH,
        "start",
        join(env.dir, "horizon"),
        new URL(SYS.horizonUrl).port,
        env.horizonSettings,
      ],
      { stdio: ["ignore", "pipe", "pipe"], timeout: 600_000 },
    );
    browser = await launchChromiumOrSkip();
  });

  afterAll(async () => {
    await browser?.close();
    if (env)
      execFileSync("bash", [HORIZON_SH, "stop", join(env.dir, "horizon")], { stdio: "ignore" });
    if (env)
      env.pulumi(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", SYS.stack]);
    env?.stop();
  });

  it("Horizon: the login goes to Keycloak with PKCE S256, and the user lands in Horizon with exactly the granted project", async (ctx) => {
    const { e, b } = need(ctx);
    const page = await (await b.newContext({ ignoreHTTPSErrors: true })).newPage();
    const authRequests = await loginThroughHorizon(
      page,
      SYS.horizonUrl,
      e.model.keycloak.issuer,
      users.dev,
      (p) => shot(p, "1-keycloak-login"),
    );

    // mod_auth_openidc asked for the code flow with PKCE S256, for the Keystone client, back to its redirect URI.
    expect(authRequests).toHaveLength(1);
    const q = authRequests[0]!.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe(e.model.keycloak.client.clientId);
    expect(q.get("redirect_uri")).toBe(e.model.keystone.urls.redirectUri);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Horizon's own view of the user: the federated user, and only the granted project.
    const text = (await page.textContent("body")) ?? "";
    expect(text).toContain(users.dev.username);
    const projects = await page.$$eval("[data-project-name], .dropdown-menu a", (els) =>
      els
        .map((el) => (el.getAttribute("data-project-name") ?? el.textContent ?? "").trim())
        .filter((t) => t.length > 0),
    );
    expect(projects).toContain("web");
    expect(projects).not.toContain("data");
    expect(projects).not.toContain("research");

    // The page a user checks: Identity > Projects lists exactly the granted project.
    const listed = await listedProjects(page, SYS.horizonUrl);
    await shot(page, "2-horizon-logged-in");
    expect(listed).toEqual(["web"]);
    await page.context().close();
  });

  it("a user without a granted group gets a clear refusal page and never reaches Horizon", async (ctx) => {
    const { e, b } = need(ctx);
    const page = await (await b.newContext({ ignoreHTTPSErrors: true })).newPage();
    const horizonPosts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().startsWith(SYS.horizonUrl)) horizonPosts.push(r.url());
    });
    await page.goto(`${SYS.horizonUrl}/`);
    await page.waitForSelector("#kc-form-login");
    await page.fill("#username", users.nobody.username);
    await page.fill("#password", users.nobody.password);
    await Promise.all([
      page.waitForResponse(
        (r) => r.url().startsWith(e.model.keystone.urls.websso) && r.status() === 401,
      ),
      page.click("#kc-login"),
    ]);
    await page.waitForLoadState();
    await shot(page, "3-no-group-refused");
    expect(new URL(page.url()).origin).not.toBe(SYS.horizonUrl);
    // The rendered page Apache serves for Keystone's 401 on the websso path: no token, no JSON, no stack trace.
    expect(await page.title()).toBe("No access");
    expect(await page.textContent("h1")).toBe("No access to this cloud");
    expect((await page.content()).replace(/\s+/g, " ")).toContain(
      "Ask your cloud administrator for access.",
    );
    expect(horizonPosts).toEqual([]);
    await page.context().close();
  });

  it("logout from Horizon ends the Horizon and the Keycloak session: the next login asks for the password again", async (ctx) => {
    const { e, b } = need(ctx);
    const page = await (await b.newContext({ ignoreHTTPSErrors: true })).newPage();
    await page.goto(`${SYS.horizonUrl}/`);
    await page.waitForSelector("#kc-form-login");
    await page.fill("#username", users.dev.username);
    await page.fill("#password", users.dev.password);
    await Promise.all([
      page.waitForURL((u) => u.origin === SYS.horizonUrl && !u.pathname.startsWith("/auth/")),
      page.click("#kc-login"),
    ]);
    // As a person would: the page has finished loading before they click Sign Out.
    await page.waitForLoadState("networkidle");
    // Horizon's Sign Out link is its own logout view. It clears the Horizon session and sends the
    // browser to mod_auth_openidc's logout on Keystone, which clears its own session and ends the
    // Keycloak session with the ID token as hint (so Keycloak asks no confirmation), back to Horizon.
    const visited: string[] = [];
    page.on("request", (r) => {
      if (r.isNavigationRequest()) visited.push(r.url());
    });
    await page.goto(`${SYS.horizonUrl}/auth/logout/`);
    await page.waitForSelector("#kc-form-login", { timeout: 20_000 }).catch(async (x: unknown) => {
      await shot(page, "6-logout-failed");
      throw new Error(
        `no Keycloak login after logout; pages:\n${visited.join("\n")}\n${String(x)}`,
      );
    });
    await shot(page, "6-after-logout-login-again");
    const endSession = visited.find((u) =>
      u.startsWith(`${e.model.keycloak.issuer}/protocol/openid-connect/logout`),
    );
    expect(endSession, visited.join("\n")).toBeDefined();
    expect(new URL(endSession!).searchParams.get("id_token_hint")).toMatch(/^eyJ/);
    expect(new URL(endSession!).searchParams.get("post_logout_redirect_uri")).toBe(
      `${SYS.horizonUrl}/`,
    );
    // Back through Horizon's login, Keycloak wants the password again: both sessions are gone.
    expect(page.url().startsWith(`${e.model.keycloak.issuer}/protocol/openid-connect/auth`)).toBe(
      true,
    );
    await page.context().close();
  });

  it("Keycloak refuses the Keystone client's authorization request without PKCE", async (ctx) => {
    const { e } = need(ctx);
    const q = new URLSearchParams({
      client_id: e.model.keycloak.client.clientId,
      redirect_uri: e.model.keystone.urls.redirectUri,
      response_type: "code",
      scope: "openid",
      state: "s1",
    });
    const res = await fetch(
      `http://127.0.0.1:${SYS.ports.keycloakHttp}/realms/${e.model.keycloak.realm.name}/protocol/openid-connect/auth?${q}`,
      { redirect: "manual" },
    );
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get("location") ?? "");
    expect(`${back.origin}${back.pathname}`).toBe(e.model.keystone.urls.redirectUri);
    expect(back.searchParams.get("error")).toBe("invalid_request");
    expect(back.searchParams.get("error_description")).toBe(
      "Missing parameter: code_challenge_method",
    );
    expect(back.searchParams.get("code")).toBeNull();
  });

  it("Keycloak refuses a code exchange without the PKCE verifier, and accepts it with the verifier", async (ctx) => {
    const { e, b } = need(ctx);
    const page = await (await b.newContext({ ignoreHTTPSErrors: true })).newPage();
    const redirect = e.model.keystone.urls.redirectUri;
    const codes: string[] = [];
    // The test plays the client itself: it reads the code off the redirect. mod_auth_openidc, which
    // receives that redirect, refuses it (the state is not one of its own) and redeems nothing.
    const atRedirect = (u: URL) => u.href.startsWith(`${redirect}?`);
    page.on("request", (r) => {
      const u = new URL(r.url());
      const code = u.searchParams.get("code");
      if (atRedirect(u) && code) codes.push(code);
    });
    const verifier = randomBytes(48).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const authorize = () =>
      page.goto(
        `${e.model.keycloak.issuer}/protocol/openid-connect/auth?${new URLSearchParams({ client_id: e.model.keycloak.client.clientId, redirect_uri: redirect, response_type: "code", scope: "openid", state: randomBytes(8).toString("hex"), code_challenge: challenge, code_challenge_method: "S256" })}`,
      );
    await authorize();
    await page.waitForSelector("#kc-form-login");
    await page.fill("#username", users.dev.username);
    await page.fill("#password", users.dev.password);
    await Promise.all([page.waitForURL(atRedirect), page.click("#kc-login")]);
    expect(codes).toHaveLength(1);
    const exchange = async (code: string, withVerifier: boolean) => {
      const form = new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: redirect,
        client_id: e.model.keycloak.client.clientId,
        client_secret: e.clientSecret,
      });
      if (withVerifier) form.set("code_verifier", verifier);
      const res = await fetch(
        `http://127.0.0.1:${SYS.ports.keycloakHttp}/realms/${e.model.keycloak.realm.name}/protocol/openid-connect/token`,
        {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: form,
        },
      );
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await exchange(codes[0]!, false)).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: "PKCE code verifier not specified" },
    });
    // A second authorization in the same browser session (no password asked: SSO), with the verifier.
    await Promise.all([page.waitForURL(atRedirect), authorize()]);
    expect(codes).toHaveLength(2);
    const ok = await exchange(codes[1]!, true);
    expect(ok.status).toBe(200);
    expect(typeof ok.body.access_token).toBe("string");
    await page.context().close();
  });

  it("CLI device grant with the public CLI client: no secret anywhere, the user approves in the browser, a project-scoped token follows", async (ctx) => {
    const { e, b } = need(ctx);
    // What Keycloak stores: the CLI client is public with the device grant and PKCE S256 only; the
    // Keystone client (whose secret the CLI never gets) has no device grant.
    const stored = async (clientId: string) =>
      (
        (
          await kcCall(
            e.keycloak,
            "GET",
            `/${e.model.keycloak.realm.name}/clients?clientId=${clientId}`,
          )
        ).json as Record<string, unknown>[]
      )[0]!;
    const cliClient = await stored(e.model.keycloak.cliClient!.clientId);
    expect(cliClient).toMatchObject({
      publicClient: true,
      standardFlowEnabled: false,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
      serviceAccountsEnabled: false,
    });
    expect(cliClient.attributes).toMatchObject({
      "pkce.code.challenge.method": "S256",
      "oauth2.device.authorization.grant.enabled": "true",
      "oauth2.device.code.lifespan": "600",
    });
    expect((await stored(e.model.keycloak.client.clientId)).attributes).toMatchObject({
      "oauth2.device.authorization.grant.enabled": "false",
    });
    expect(readFileSync(e.cloudsYaml, "utf8")).not.toMatch(/client_secret|secret/i);
    const cli = openstackCli(e);
    const child = spawn(
      cli.bin,
      ["--os-cloud", `${SYS.stack}-oidc-device`, "token", "issue", "-f", "json"],
      { env: cli.env },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
    const exited = new Promise<number>((resolve) =>
      child.on("exit", (code) => resolve(code ?? -1)),
    );
    const deadline = Date.now() + 60_000;
    while (!/go to: (\S+)/.test(err) && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 200));
    const verification = /go to: (\S+)/.exec(err)?.[1];
    if (!verification) {
      child.kill();
      throw new Error(`the CLI printed no verification URL:\n${err.slice(-1500)}`);
    }
    expect(verification.startsWith(`${e.model.keycloak.issuer}/device?user_code=`)).toBe(true);

    const page = await (await b.newContext({ ignoreHTTPSErrors: true })).newPage();
    await page.goto(verification);
    await page.waitForSelector("#kc-form-login");
    await page.fill("#username", users.dev.username);
    await page.fill("#password", users.dev.password);
    await page.click("#kc-login");
    // Keycloak always asks the user to grant the device access (consent) before it issues tokens.
    const grant = page.getByRole("button", { name: "Yes" });
    await grant.waitFor();
    await shot(page, "4-device-consent");
    await grant.click();
    await page.waitForLoadState();
    await shot(page, "5-device-approved");
    const code = await exited;
    expect(code, err.slice(-1500)).toBe(0);
    const issued = JSON.parse(out) as { id: string; project_id: string; user_id: string };
    expect(issued.project_id).toBe(await projectId(e, "sys-acme", "web"));
    const check = await fetch(`${e.model.keystone.urls.v3}/auth/tokens`, {
      headers: { "x-auth-token": e.admin.token, "x-subject-token": issued.id },
    });
    const body = (await check.json()) as {
      token: { roles: { name: string }[]; user: { name: string } };
    };
    expect(body.token.user.name).toBe(users.dev.username);
    expect(body.token.roles.map((r) => r.name).sort()).toEqual(["member", "reader"]);
    await page.context().close();
  });

  it("CLI access token: v3oidcaccesstoken with a Keycloak token gives a project-scoped token; a token with a broken signature does not", async (ctx) => {
    const { e } = need(ctx);
    const cli = openstackCli(e);
    const grant = await passwordGrant(
      `http://127.0.0.1:${SYS.ports.keycloakHttp}`,
      e.model.keycloak.realm.name,
      { id: e.model.keycloak.client.clientId, secret: e.clientSecret },
      users.dev.username,
      users.dev.password,
    );
    expect(grant.status).toBe(200);
    const run = (token: string) => {
      try {
        return {
          code: 0,
          out: execFileSync(
            cli.bin,
            [
              "--os-cloud",
              `${SYS.stack}-oidc-token`,
              "--os-access-token",
              token,
              "token",
              "issue",
              "-f",
              "json",
            ],
            { env: cli.env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
          ),
        };
      } catch (x) {
        return {
          code: (x as { status?: number }).status ?? -1,
          out: String((x as { stderr?: string }).stderr ?? ""),
        };
      }
    };
    const ok = run(String(grant.body.access_token));
    expect(ok.code, ok.out).toBe(0);
    expect((JSON.parse(ok.out) as { project_id: string }).project_id).toBe(
      await projectId(e, "sys-acme", "web"),
    );
    const tampered = String(grant.body.access_token).replace(/\.([A-Za-z0-9_-]+)$/, ".AAAA$1");
    const refused = run(tampered);
    expect(refused.code).not.toBe(0);
    // mod_auth_openidc refuses the bad signature before Keystone sees the request.
    expect(refused.out).toBe("Unauthorized (HTTP 401)\n");
  });

  it("the CLI client mints no offline token unless the stack declares it; declared, offline sessions are bounded", async (ctx) => {
    const { e, b } = need(ctx);
    const realm = e.model.keycloak.realm.name;
    const oidc = `http://127.0.0.1:${SYS.ports.keycloakHttp}/realms/${realm}/protocol/openid-connect`;
    const clientId = e.model.keycloak.cliClient!.clientId;
    /** A device-grant login as the CLI would make it, asking for `scope`; the user approves. */
    const deviceLogin = async (scope: string) => {
      const verifier = randomBytes(32).toString("base64url");
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      const start = await fetch(`${oidc}/auth/device`, {
        method: "POST",
        body: new URLSearchParams({
          client_id: clientId,
          scope,
          code_challenge: challenge,
          code_challenge_method: "S256",
        }),
      });
      const started = (await start.json()) as Record<string, string>;
      if (start.status !== 200) return { started: start.status, body: started };
      const page = await (await b.newContext({ ignoreHTTPSErrors: true })).newPage();
      await page.goto(started.verification_uri_complete!);
      await page.waitForSelector("#kc-form-login");
      await page.fill("#username", users.nobody.username);
      await page.fill("#password", users.nobody.password);
      await page.click("#kc-login");
      await page.getByRole("button", { name: "Yes" }).click();
      await page.waitForLoadState();
      await page.context().close();
      const token = await fetch(`${oidc}/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "urn:ietf:params:oauth:grant-type:device_code",
          device_code: started.device_code!,
          client_id: clientId,
          code_verifier: verifier,
        }),
      });
      return {
        started: 200,
        status: token.status,
        body: (await token.json()) as Record<string, string>,
      };
    };
    const refreshType = (r: { body: Record<string, string> }) =>
      JSON.parse(Buffer.from(r.body.refresh_token!.split(".")[1]!, "base64url").toString("utf8"))
        .typ as string;

    // Not declared: the CLI client offers no such scope, so Keycloak drops it from the request
    // and issues an ordinary refresh token, which ends with the session.
    const asked = await deviceLogin("openid offline_access");
    expect(asked.status).toBe(200);
    expect(refreshType(asked)).toBe("Refresh");
    expect(asked.body.scope!.split(" ")).not.toContain("offline_access");

    // Declared: the CLI may ask for it, and the realm ends every offline session at its maximum.
    const current = e.pulumi([
      "config",
      "get",
      "openstack-keycloak-federation:client",
      "--stack",
      SYS.stack,
    ]);
    expect(current.code, current.stderr).toBe(0);
    const client = { ...(JSON.parse(current.stdout) as object), cliOfflineAccess: true };
    const set = e.pulumi([
      "config",
      "set",
      "openstack-keycloak-federation:client",
      JSON.stringify(client),
      "--stack",
      SYS.stack,
    ]);
    expect(set.code, set.stderr).toBe(0);
    e.up();
    const stored = (await kcCall(e.keycloak, "GET", `/${realm}`)).json as Record<string, unknown>;
    expect(stored).toMatchObject({
      offlineSessionMaxLifespanEnabled: true,
      offlineSessionMaxLifespan: e.model.keycloak.realm.tokens.offlineSessionMax,
      offlineSessionIdleTimeout: e.model.keycloak.realm.tokens.offlineSessionIdle,
    });
    const offline = await deviceLogin("openid offline_access");
    expect(offline.status).toBe(200);
    expect(refreshType(offline)).toBe("Offline");
  });

  it("ephemeral users: Keystone keeps the shadow user but no group membership; a group removed in Keycloak is gone at the next login", async (ctx) => {
    const { e } = need(ctx);
    const users_ = e.model.keystone.domains.find((d) => d.key === e.model.federation.idpDomainKey)!;
    const userDomainId = await e.domainId(users_.name);
    const shadow = (
      await call(e.admin, "GET", `/users?domain_id=${userDomainId}&name=${users.dev.username}`)
    ).json.users as { id: string; domain_id: string }[];
    expect(shadow).toHaveLength(1);
    expect((await call(e.admin, "GET", `/users/${shadow[0]!.id}/groups`)).json.groups).toEqual([]);
    const kc = { id: e.model.keycloak.client.clientId, secret: e.clientSecret };
    const base = `http://127.0.0.1:${SYS.ports.keycloakHttp}`;
    const before = await passwordGrant(
      base,
      e.model.keycloak.realm.name,
      kc,
      users.dev.username,
      users.dev.password,
    );
    expect((await federatedLogin(e.model, String(before.body.access_token))).status).toBe(201);
    const group = (await e.deployed()).groups.get("/sys-acme/developers")!;
    expect(
      (
        await kcCall(
          e.keycloak,
          "DELETE",
          `/${e.model.keycloak.realm.name}/users/${devId}/groups/${group}`,
        )
      ).status,
    ).toBe(204);
    const after = await passwordGrant(
      base,
      e.model.keycloak.realm.name,
      kc,
      users.dev.username,
      users.dev.password,
    );
    expect((await federatedLogin(e.model, String(after.body.access_token))).status).toBe(401);
    // The shadow user stays, and still holds no group: access came from the token alone.
    expect((await call(e.admin, "GET", `/users/${shadow[0]!.id}/groups`)).json.groups).toEqual([]);
  });
});
