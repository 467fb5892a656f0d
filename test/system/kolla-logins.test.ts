/**
 * Logins through kolla-ansible's own Keystone site, with the real Keycloak: Keystone runs the way
 * kolla runs it (uWSGI behind the site kolla-ansible's httpd-keystone.conf.j2 renders from the
 * program's globals.d file and metadata files, memcached for mod_auth_openidc; keystone.conf's
 * federation part from kolla's keystone.conf.j2), the Keycloak side and the Keystone objects by
 * `pulumi up` of the program. The browser (Chromium) goes through a real Horizon with the stack's
 * rendered settings: the authorization request is the code flow with PKCE S256, and the user lands
 * with exactly the granted project; a user without a granted group gets nothing; a Keycloak access
 * token on the command line gets exactly the granted project.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { launchChromiumOrSkip } from "../support/browser";
import { listedProjects, loginThroughHorizon } from "../support/horizon-login";
import { federatedLogin, scopeTo } from "../support/e2e-env";
import { createKeycloakUser, passwordGrant } from "../support/keycloak-admin";
import { KEYSTONE } from "../support/keystone-release";
import { REPO } from "../support/keystone-service";
import { startSystem, type SystemEnv } from "../support/system-env";
import { CLIENT_SECRET, systemStack } from "./system-stack";

const SYS = systemStack("kolla", 35);
const HORIZON_SH = join(REPO, "scripts", "horizon.sh");
let env: SystemEnv | undefined;
let browser: Browser | undefined;
const users = {
  dev: { username: "kolla-dev", password: "kolla-dev-pass-1", email: "kolla-dev@acme.example" },
  nobody: {
    username: "kolla-nobody",
    password: "kolla-nobody-pass-1",
    email: "kolla-nobody@acme.example",
  },
};

function need(ctx: TestContext): { e: SystemEnv; b: Browser } {
  if (!env || !browser) ctx.skip();
  return { e: env!, b: browser! };
}

describe(`logins through kolla-ansible's rendered Keystone site, real Keycloak [${KEYSTONE.label}]`, () => {
  beforeAll(async () => {
    env = await startSystem(SYS.stack, SYS.config, SYS.secretKeys, SYS.ports, {
      keystone: "kolla",
    });
    if (!env) return;
    const groups = (await env.deployed()).groups;
    await createKeycloakUser(env.keycloak, env.model.keycloak.realm.name, {
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
    env?.stop();
  });

  it("the browser login goes through kolla's site to Keycloak with PKCE S256 and lands in Horizon with exactly the granted project", async (ctx) => {
    const { e, b } = need(ctx);
    const page = await (await b.newContext({ ignoreHTTPSErrors: true })).newPage();
    const authRequests = await loginThroughHorizon(
      page,
      SYS.horizonUrl,
      e.model.keycloak.issuer,
      users.dev,
    );
    expect(authRequests).toHaveLength(1);
    const q = authRequests[0]!.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe(e.model.keycloak.client.clientId);
    expect(q.get("redirect_uri")).toBe(e.model.keystone.urls.redirectUri);
    expect(q.get("code_challenge_method")).toBe("S256");
    const listed = await listedProjects(page, SYS.horizonUrl);
    expect(listed).toEqual(["web"]);
    await page.context().close();
  });

  it("a Keycloak access token through kolla's auth-openidc location gets exactly the granted project; no granted group, no token", async (ctx) => {
    const { e } = need(ctx);
    const token = async (u: { username: string; password: string }) => {
      const r = await passwordGrant(
        `http://127.0.0.1:${SYS.ports.keycloakHttp}`,
        e.model.keycloak.realm.name,
        { id: e.model.keycloak.client.clientId, secret: CLIENT_SECRET },
        u.username,
        u.password,
      );
      expect(r.status).toBe(200);
      return String(r.body.access_token);
    };
    const login = await federatedLogin(e.model, await token(users.dev));
    expect(login.status).toBe(201);
    expect((await scopeTo(e.model, login.token!, "sys-acme", "web")).status).toBe(201);
    expect((await scopeTo(e.model, login.token!, "sys-acme", "data")).status).toBe(401);
    expect((await federatedLogin(e.model, await token(users.nobody))).status).toBe(401);
  });
});
