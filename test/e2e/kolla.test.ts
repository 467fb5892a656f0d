/**
 * kolla-ansible's own keystone templates consume what the program emits: the globals.d file, the
 * mapping and the metadata files are rendered by kolla-ansible 22.2's httpd-keystone.conf.j2 and
 * keystone.conf.j2 (Ansible's template engine, kolla's variables and filters), and Keystone then
 * runs as kolla runs it (uWSGI behind kolla's Apache site, memcached for mod_auth_openidc), with
 * the Keystone side from `pulumi up` of the program. A bearer token through kolla's auth-openidc
 * location gets exactly the granted project; a token without a granted group gets nothing.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { caseClaims, parseAccessTable } from "../../infra/verify/access-table";
import { federatedLogin, scopeTo } from "../support/e2e-env";
import { type KollaEnv, startKolla } from "../support/kolla-env";
import { call } from "../support/keystone-admin";
import { fixtureAccessTable } from "../support/stack-files";

const STACK = "e2e";
const table = parseAccessTable(fixtureAccessTable(STACK));
let env: KollaEnv | undefined;

function need(ctx: TestContext): KollaEnv {
  if (!env) ctx.skip();
  return env!;
}

async function tokenFor(e: KollaEnv, caseName: string): Promise<string> {
  const c = table.cases.find((x) => x.name === caseName);
  if (!c) throw new Error(`no access case ${caseName}`);
  const { iss, ...claims } = caseClaims(e.model, table, c);
  return e.keycloak.mint(claims, { issuer: String(iss) });
}

/** Every line of the site that sets `directive` (trimmed). */
const lines = (text: string, directive: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith(`${directive} `));

describe("kolla-ansible's keystone role renders and serves the program's kolla inputs", () => {
  beforeAll(async () => {
    env = await startKolla(STACK, { keystone: 26980, uwsgi: 26981, memcached: 26982 });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("the site kolla renders holds each mod_auth_openidc directive once: code flow with PKCE S256, the realm's JWKS, kolla's claim prefix, the crypto passphrase from passwords.yml", (ctx) => {
    const e = need(ctx);
    const site = e.rendered.site;
    for (const d of [
      "OIDCClaimDelimiter",
      "OIDCResponseType",
      "OIDCScope",
      "OIDCPKCEMethod",
      "OIDCOAuthVerifyJwksUri",
      "OIDCCryptoPassphrase",
      "OIDCClaimPrefix",
      "OIDCRedirectURI",
    ])
      expect(lines(site, d), d).toHaveLength(1);
    expect(lines(site, "OIDCResponseType")).toEqual(['OIDCResponseType "code"']);
    expect(lines(site, "OIDCPKCEMethod")).toEqual(["OIDCPKCEMethod S256"]);
    expect(lines(site, "OIDCClaimPrefix")).toEqual([
      `OIDCClaimPrefix "${e.model.federation.claimPrefix}"`,
    ]);
    expect(lines(site, "OIDCOAuthVerifyJwksUri")).toEqual([
      `OIDCOAuthVerifyJwksUri ${e.model.keycloak.endpoints.jwks}`,
    ]);
    expect(lines(site, "OIDCRedirectURI")).toEqual([
      `OIDCRedirectURI ${e.model.keycloak.client.redirectUris[0]}`,
    ]);
    expect(site).toContain(
      `<LocationMatch /v3/OS-FEDERATION/identity_providers/${e.model.federation.idpId}/protocols/${e.model.federation.protocolId}/auth>`,
    );
  });

  it("keystone.conf's federation part trusts exactly the stack's dashboards and reads the issuer from the program's remote_id_attribute", (ctx) => {
    const e = need(ctx);
    const conf = e.rendered.keystoneConf;
    const dashboards = conf
      .split("\n")
      .filter((l) => l.startsWith("trusted_dashboard = "))
      .map((l) => l.slice("trusted_dashboard = ".length));
    expect(dashboards).toEqual([...e.model.horizon.trustedDashboards]);
    expect(conf).toContain(`remote_id_attribute = ${e.model.federation.remoteIdAttribute}`);
  });

  it("the metadata files keep the names mod_auth_openidc looks up for the issuer (with its port and path) and their content through Ansible's template module", (ctx) => {
    const e = need(ctx);
    const stem = encodeURIComponent(e.model.keycloak.issuer.replace(/^https?:\/\//, ""));
    expect(Object.keys(e.rendered.metadata).sort()).toEqual(
      [`${stem}.client`, `${stem}.conf`, `${stem}.provider`].sort(),
    );
    expect(JSON.parse(e.rendered.metadata[`${stem}.provider`]!).issuer).toBe(
      e.model.keycloak.issuer,
    );
    expect(JSON.parse(e.rendered.metadata[`${stem}.conf`]!)).toMatchObject({
      response_type: "code",
      pkce_method: "S256",
    });
  });

  it("kolla would register the identity provider exactly as the program made it (domain, remote id, description), so neither undoes the other", async (ctx) => {
    const e = need(ctx);
    const idp = (e.rendered.globals.keystone_identity_providers as Record<string, string>[])[0]!;
    const live = (await call(e.admin, "GET", `/OS-FEDERATION/identity_providers/${idp.name}`)).json
      .identity_provider as { description: string; remote_ids: string[]; domain_id: string };
    expect(live.description).toBe(idp.public_name);
    expect(live.remote_ids).toEqual([idp.identifier]);
    const domain = (await call(e.admin, "GET", `/domains/${live.domain_id}`)).json.domain as {
      name: string;
    };
    expect(domain.name).toBe(idp.openstack_domain);
    const protocol = (
      await call(
        e.admin,
        "GET",
        `/OS-FEDERATION/identity_providers/${idp.name}/protocols/${idp.protocol}`,
      )
    ).json.protocol as { mapping_id: string };
    expect(protocol.mapping_id).toBe(idp.attribute_mapping);
  });

  it("a CLI bearer token through kolla's auth-openidc location gets a token scoped to exactly the granted project", async (ctx) => {
    const e = need(ctx);
    const login = await federatedLogin(
      e.model,
      await tokenFor(e, "e2e-acme developer works in web only"),
    );
    expect(login.status).toBe(201);
    expect((await scopeTo(e.model, login.token!, "e2e-acme", "web")).status).toBe(201);
    expect((await scopeTo(e.model, login.token!, "e2e-acme", "data")).status).toBe(401);
    expect((await scopeTo(e.model, login.token!, "e2e-globex", "research")).status).toBe(401);
  });

  it("a token without a granted group, and one from another issuer, get no token", async (ctx) => {
    const e = need(ctx);
    expect(
      (await federatedLogin(e.model, await tokenFor(e, "no granted group gets no token"))).status,
    ).toBe(401);
    expect(
      (await federatedLogin(e.model, await tokenFor(e, "a foreign issuer gets no token"))).status,
    ).not.toBe(201);
  });
});
