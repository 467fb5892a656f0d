/**
 * A customer realm brokered into the proxy realm and found by Keycloak's own Organizations, with the
 * real Keycloak and a real browser: the customer realm, its broker client, the organization with its
 * e-mail domain, the identity provider linked to it and its group mapper are made by `pulumi up`
 * of the program. The login starts at the proxy realm's identity-first page: the user types an
 * e-mail address, a customer domain sends them to the customer realm, they sign in there, come back
 * brokered, and reach Keystone with exactly the bound tenant's access; an unknown domain stays in
 * the proxy realm. A proxy-realm user put straight into that tenant's group, or into the
 * organization, gets nothing: the mapping requires the broker.
 */
import { KEYSTONE } from "../support/keystone-release";
import { PROJECT_NAMESPACE } from "../../infra/stack-files/stack-file";
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { decodeJwt } from "jose";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { ARTIFACTS, launchChromiumOrSkip } from "../support/browser";
import { federatedLogin, scopeTo } from "../support/e2e-env";
import { createKeycloakUser, kcCall, passwordGrant } from "../support/keycloak-admin";
import { startSystem, type SystemEnv } from "../support/system-env";
import { realmGroups } from "../support/keycloak-admin";
import { systemStack } from "./system-stack";

const ns = PROJECT_NAMESPACE;
const base = systemStack("brokered", 14);
const SYS = {
  ...base,
  config: {
    ...base.config,
    [`${ns}:realm`]: JSON.stringify({
      name: "okf-brokered",
      displayName: "OpenStack (brokered test)",
      // Not the default (10): the setting reaches both realms.
      bruteForce: { maxLoginFailures: 7, maxFailureWaitSeconds: 600 },
      customerRealms: [
        {
          name: "partner",
          displayName: "Partner Inc.",
          emailDomains: ["partner.example", "partner-labs.example"],
        },
      ],
    }),
    [`${ns}:tenants`]: JSON.stringify([
      { name: "sys-acme", projects: [{ name: "web" }] },
      { name: "sys-partner", customerRealm: "partner", projects: [{ name: "lab" }] },
    ]),
    [`${ns}:access`]: JSON.stringify([
      { tenant: "sys-acme", group: "developers", grants: [{ role: "member", project: "web" }] },
      { tenant: "sys-partner", group: "engineers", grants: [{ role: "member", project: "lab" }] },
    ]),
  },
};
const users = {
  customer: {
    username: "pat",
    password: "pat-pass-1",
    email: "pat@partner.example",
    typed: "pat@partner.example",
  },
  proxyInPartnerGroup: {
    username: "mallory",
    password: "mallory-pass-1",
    email: "mallory@acme.example",
  },
  victim: { username: "victim", password: "victim-pass-1", email: "victim@acme.example" },
  // A customer-realm admin's user aimed at the proxy-realm victim: the victim's e-mail.
  impostor: {
    username: "impostor",
    password: "impostor-pass-1",
    email: "victim@acme.example",
    typed: "impostor@partner.example",
  },
};
let env: SystemEnv | undefined;

interface Domain {
  name: string;
  verified?: boolean;
}
const sortDomains = (ds: readonly Domain[]) =>
  [...ds]
    .map((d) => ({ name: d.name, verified: d.verified ?? false }))
    .sort((x, y) => x.name.localeCompare(y.name));

async function partnerOrganization(e: SystemEnv) {
  const orgs = (
    await kcCall(
      e.keycloak,
      "GET",
      `/${e.model.keycloak.realm.name}/organizations?search=partner&exact=true`,
    )
  ).json as (Record<string, unknown> & { id: string; domains: Domain[] })[];
  expect(orgs).toHaveLength(1);
  return orgs[0]!;
}
let browser: Browser | undefined;
let victimId = "";

function need(ctx: TestContext): { e: SystemEnv; b: Browser } {
  if (!env || !browser) ctx.skip();
  return { e: env!, b: browser! };
}

/** The Keystone client's authorization request at the proxy realm (code flow, PKCE S256). */
function authorizationUrl(e: SystemEnv, verifier: string): string {
  const q = new URLSearchParams({
    client_id: e.model.keycloak.client.clientId,
    redirect_uri: e.model.keystone.urls.redirectUri,
    response_type: "code",
    scope: "openid",
    state: "s1",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  });
  return `${e.model.keycloak.issuer}/protocol/openid-connect/auth?${q}`;
}

/** The proxy realm's identity-first page: an e-mail address typed and sent. */
async function typeEmail(page: Page, email: string, shot?: string): Promise<void> {
  await page.waitForSelector("#kc-form-login");
  if (shot) await page.screenshot({ path: join(ARTIFACTS, `${shot}.png`), fullPage: true });
  await page.fill("#username", email);
  await Promise.all([page.waitForLoadState("networkidle"), page.click("#kc-login")]);
}

/**
 * A brokered browser login found by the e-mail domain typed at the proxy realm; the authorization
 * code, or undefined with the page it ended on.
 */
async function brokeredLogin(
  e: SystemEnv,
  b: Browser,
  user: { username: string; password: string; typed: string },
  shot?: string,
): Promise<{ code?: string; verifier: string; text: string }> {
  const page = await (await b.newContext({ ignoreHTTPSErrors: true })).newPage();
  const redirect = e.model.keystone.urls.redirectUri;
  const codes: string[] = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.href.startsWith(`${redirect}?`) && u.searchParams.get("code"))
      codes.push(u.searchParams.get("code")!);
  });
  const verifier = randomBytes(48).toString("base64url");
  await page.goto(authorizationUrl(e, verifier));
  await typeEmail(page, user.typed, shot && `${shot}-identity-first`);
  await page.waitForSelector("#kc-form-login #password");
  // The login page is the customer realm's, reached through the proxy realm's broker.
  expect(new URL(page.url()).pathname.startsWith("/realms/partner/")).toBe(true);
  if (shot) await page.screenshot({ path: join(ARTIFACTS, `${shot}-login.png`), fullPage: true });
  await page.fill("#username", user.username);
  await page.fill("#password", user.password);
  await Promise.all([page.waitForLoadState("networkidle"), page.click("#kc-login")]);
  await page
    .waitForURL((u) => u.href.startsWith(`${redirect}?`), { timeout: 10_000 })
    .catch(() => undefined);
  if (shot) await page.screenshot({ path: join(ARTIFACTS, `${shot}-after.png`), fullPage: true });
  const text = (await page.textContent("body")) ?? "";
  await page.context().close();
  return { ...(codes[0] !== undefined ? { code: codes[0] } : {}), verifier, text };
}

describe(`a customer realm brokered into the proxy realm, found by its organization (real Keycloak, browser) [${KEYSTONE.label}]`, () => {
  beforeAll(async () => {
    env = await startSystem(SYS.stack, SYS.config, SYS.secretKeys, SYS.ports);
    if (!env) return;
    const partnerGroups = await realmGroups(env.keycloak, "partner");
    await createKeycloakUser(env.keycloak, "partner", {
      ...users.customer,
      groupIds: [partnerGroups.get("/engineers")!],
    });
    await createKeycloakUser(env.keycloak, env.model.keycloak.realm.name, {
      ...users.proxyInPartnerGroup,
      groupIds: [(await env.deployed()).groups.get("/sys-partner/engineers")!],
    });
    victimId = await createKeycloakUser(env.keycloak, env.model.keycloak.realm.name, users.victim);
    await createKeycloakUser(env.keycloak, "partner", {
      ...users.impostor,
      groupIds: [partnerGroups.get("/engineers")!],
    });
    browser = await launchChromiumOrSkip();
  });

  afterAll(async () => {
    await browser?.close();
    if (env)
      env.pulumi(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", SYS.stack]);
    env?.stop();
  });

  it("the customer realm has the proxy realm's brute-force protection, as configured, and a second up keeps it", async (ctx) => {
    const { e } = need(ctx);
    const protection = async (realm: string) => {
      const r = (await kcCall(e.keycloak, "GET", `/${realm}`)).json as Record<string, unknown>;
      return {
        bruteForceProtected: r.bruteForceProtected,
        permanentLockout: r.permanentLockout,
        failureFactor: r.failureFactor,
        maxFailureWaitSeconds: r.maxFailureWaitSeconds,
        waitIncrementSeconds: r.waitIncrementSeconds,
      };
    };
    const expected = {
      bruteForceProtected: true,
      permanentLockout: false,
      failureFactor: 7,
      maxFailureWaitSeconds: 600,
      waitIncrementSeconds: 60,
    };
    expect(await protection(e.model.keycloak.realm.name)).toEqual(expected);
    expect(await protection("partner")).toEqual(expected);
    // Every realm update used to write the protection off; a refresh and an up must keep it.
    const again = e.pulumi([
      "up",
      "--yes",
      "--refresh",
      "--non-interactive",
      "--skip-preview",
      "--stack",
      SYS.stack,
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(await protection("partner")).toEqual(expected);
  });

  it("Keycloak stores the organization, its domain and the identity provider's link exactly as declared", async (ctx) => {
    const { e } = need(ctx);
    const realm = e.model.keycloak.realm.name;
    expect(
      ((await kcCall(e.keycloak, "GET", `/${realm}`)).json as Record<string, unknown>)
        .organizationsEnabled,
    ).toBe(true);
    // Read back and compared with the declared inputs: what a refresh would find, so a plan after
    // the update has nothing to change (domains lower-case and as a set, as Keycloak keeps them).
    const declared = e.declared("keycloak:index/organization:Organization")[0]!;
    const org = await partnerOrganization(e);
    expect({ ...org, id: undefined, domains: sortDomains(org.domains) }).toEqual({
      id: undefined,
      name: declared.name,
      alias: declared.alias,
      description: declared.description,
      enabled: declared.enabled,
      domains: sortDomains(declared.domains as Domain[]),
    });
    const idp = (await kcCall(e.keycloak, "GET", `/${realm}/identity-provider/instances/partner`))
      .json as {
      organizationId?: string;
      hideOnLogin?: boolean;
      config: Record<string, string>;
    };
    const declaredIdp = e.declared("keycloak:oidc/identityProvider:IdentityProvider")[0]!;
    expect(idp.organizationId).toBe(org.id);
    expect(idp.hideOnLogin).toBe(declaredIdp.hideOnLoginPage);
    expect(idp.config["kc.org.domain"]).toBe(declaredIdp.orgDomain);
    expect(idp.config["kc.org.broker.redirect.mode.email-matches"]).toBe(
      String(declaredIdp.orgRedirectModeEmailMatches),
    );
    expect(idp.config).not.toHaveProperty("home.idp.discovery.domains");
    // The first-broker-login flow: create if unique (never link), then Keycloak's organization onboarding.
    const steps = (
      await kcCall(
        e.keycloak,
        "GET",
        `/${realm}/authentication/flows/${encodeURIComponent(e.model.keycloak.firstBrokerLoginFlowAlias!)}/executions`,
      )
    ).json as { level: number; requirement: string; providerId?: string; displayName: string }[];
    expect(steps.map((x) => [x.level, x.requirement, x.providerId ?? x.displayName])).toEqual([
      [0, "REQUIRED", "idp-create-user-if-unique"],
      [0, "CONDITIONAL", `${e.model.keycloak.firstBrokerLoginFlowAlias!}-organization`],
      [1, "REQUIRED", "conditional-user-configured"],
      [1, "REQUIRED", "idp-add-organization-member"],
    ]);
  });

  it("every domain of the organization leads to the customer realm, however the address is capitalised", async (ctx) => {
    const { e, b } = need(ctx);
    // Two domains: the identity provider's organization domain is ANY of them.
    const idp = (
      await kcCall(
        e.keycloak,
        "GET",
        `/${e.model.keycloak.realm.name}/identity-provider/instances/partner`,
      )
    ).json as { config: Record<string, string> };
    expect(idp.config["kc.org.domain"]).toBe("ANY");
    for (const typed of ["someone@partner-labs.example", "Someone@PARTNER.Example"]) {
      const page = await (await b.newContext({ ignoreHTTPSErrors: true })).newPage();
      await page.goto(authorizationUrl(e, randomBytes(48).toString("base64url")));
      await typeEmail(page, typed);
      await page.waitForSelector("#kc-form-login #password");
      expect(new URL(page.url()).pathname, typed).toMatch(/^\/realms\/partner\//);
      await page.context().close();
    }
  });

  it("an unknown e-mail domain stays at the proxy realm's own password page", async (ctx) => {
    const { e, b } = need(ctx);
    const page = await (await b.newContext({ ignoreHTTPSErrors: true })).newPage();
    await page.goto(authorizationUrl(e, randomBytes(48).toString("base64url")));
    // Identity-first: the first page asks for the address only.
    await page.waitForSelector("#kc-form-login");
    expect(await page.locator("#password").count()).toBe(0);
    await typeEmail(page, "someone@unknown.example", "9-identity-first");
    await page.waitForSelector("#kc-form-login #password");
    expect(new URL(page.url()).pathname.startsWith(`/realms/${e.model.keycloak.realm.name}/`)).toBe(
      true,
    );
    // The customer's identity provider is not offered on the proxy realm's page.
    expect(await page.textContent("body")).not.toContain("Partner Inc.");
    await page.context().close();
  });

  it("a customer user signs in at the customer realm, comes back brokered, and gets exactly the bound tenant's project", async (ctx) => {
    const { e, b } = need(ctx);
    const { code, verifier } = await brokeredLogin(e, b, users.customer, "7-customer-realm");
    expect(code).toBeDefined();
    const redirect = e.model.keystone.urls.redirectUri;
    const form = new URLSearchParams({
      grant_type: "authorization_code",
      code: code!,
      redirect_uri: redirect,
      client_id: e.model.keycloak.client.clientId,
      client_secret: e.clientSecret,
      code_verifier: verifier,
    });
    const res = await fetch(
      `http://127.0.0.1:${SYS.ports.keycloakHttp}/realms/${e.model.keycloak.realm.name}/protocol/openid-connect/token`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form,
      },
    );
    expect(res.status).toBe(200);
    const token = String(((await res.json()) as { access_token: string }).access_token);
    const claims = decodeJwt(token);
    expect(claims.iss).toBe(e.model.keycloak.issuer);
    expect(claims.identity_provider).toBe("partner");
    expect(claims.openstack_access).toEqual(["sys-partner-engineers"]);
    const login = await federatedLogin(e.model, token);
    expect(login.status).toBe(201);
    expect(await scopeTo(e.model, login.token!, "sys-partner", "lab")).toEqual({
      status: 201,
      roles: ["member", "reader"],
    });
    expect((await scopeTo(e.model, login.token!, "sys-acme", "web")).status).toBe(401);
    // Keycloak's onboarding step made the brokered user a member of the organization.
    const org = await partnerOrganization(e);
    const members = (
      await kcCall(
        e.keycloak,
        "GET",
        `/${e.model.keycloak.realm.name}/organizations/${org.id}/members`,
      )
    ).json as { username: string }[];
    expect(members.map((m) => m.username)).toEqual([users.customer.username]);
  });

  it("a customer-realm user with a proxy-realm user's e-mail is refused, never linked to that account", async (ctx) => {
    const { e, b } = need(ctx);
    const { code, text } = await brokeredLogin(e, b, users.impostor, "8-impostor");
    expect(code).toBeUndefined();
    // An error page, not Keycloak's default "account already exists: add to existing account?" step.
    expect(text).toContain("We are sorry...");
    expect(text).toContain("User with email victim@acme.example already exists.");
    expect(text).not.toContain("Add to existing account");
    const idp = (
      await kcCall(
        e.keycloak,
        "GET",
        `/${e.model.keycloak.realm.name}/identity-provider/instances/partner`,
      )
    ).json as { firstBrokerLoginFlowAlias?: string };
    expect(idp.firstBrokerLoginFlowAlias).toBe(e.model.keycloak.firstBrokerLoginFlowAlias);
    expect(
      (
        await kcCall(
          e.keycloak,
          "GET",
          `/${e.model.keycloak.realm.name}/users/${victimId}/federated-identity`,
        )
      ).json,
    ).toEqual([]);
    expect(
      (
        await kcCall(
          e.keycloak,
          "GET",
          `/${e.model.keycloak.realm.name}/users?username=impostor&exact=true`,
        )
      ).json,
    ).toEqual([]);
  });

  it("a proxy-realm user put into the bound tenant's group and its organization gets nothing: the mapping requires the broker", async (ctx) => {
    const { e } = need(ctx);
    // What a proxy-realm admin who manages groups and organizations can do to a local user.
    const org = await partnerOrganization(e);
    const mallory = (
      (
        await kcCall(
          e.keycloak,
          "GET",
          `/${e.model.keycloak.realm.name}/users?username=mallory&exact=true`,
        )
      ).json as { id: string }[]
    )[0]!;
    expect(
      (
        await kcCall(
          e.keycloak,
          "POST",
          `/${e.model.keycloak.realm.name}/organizations/${org.id}/members`,
          mallory.id,
        )
      ).status,
    ).toBe(201);
    const grant = await passwordGrant(
      `http://127.0.0.1:${SYS.ports.keycloakHttp}`,
      e.model.keycloak.realm.name,
      { id: e.model.keycloak.client.clientId, secret: e.clientSecret },
      users.proxyInPartnerGroup.username,
      users.proxyInPartnerGroup.password,
    );
    expect(grant.status).toBe(200);
    const claims = decodeJwt(String(grant.body.access_token));
    expect(claims.openstack_access).toEqual(["sys-partner-engineers"]);
    expect(claims).not.toHaveProperty("identity_provider");
    expect((await federatedLogin(e.model, String(grant.body.access_token))).status).toBe(401);
  });
});
