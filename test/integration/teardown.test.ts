/**
 * A destroyed test stack leaves nothing behind in Keystone: the stack's graph is created (tenancy
 * from its mock-runtime capture, federation through our provider), then destroyed the way
 * `pulumi destroy` would (dependents first, through the provider's delete path), and Keystone is
 * searched for anything of that stack.
 */
import { KEYSTONE } from "../support/keystone-release";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { identityProviderProvider } from "../../infra/providers/keystone/identity-provider";
import { mappingProvider } from "../../infra/providers/keystone/mapping";
import { protocolProvider } from "../../infra/providers/keystone/protocol";
import { setConnection } from "../../infra/providers/keystone/runtime";
import {
  type Applied,
  applyOpenstackGraph,
  removeOpenstackGraph,
} from "../support/keystone-applier";
import { call, type KeystoneSession, passwordToken } from "../support/keystone-admin";
import { type KeystoneService, startKeystone } from "../support/keystone-service";
import { type Registration, runWithMocks, valueOf } from "../support/mock-runtime";

const STACK = "test-template";
let ks: KeystoneService | undefined;
let admin: KeystoneSession;
let regs: Registration[] = [];
let applied: Applied;

function need(ctx: TestContext): KeystoneService {
  if (!ks) ctx.skip();
  return ks!;
}

const dyn = (type: string) =>
  regs.find((r) => r.type === `pulumi-nodejs:dynamic/keystone:${type}`)!.inputs;

describe(`teardown of a test stack [${KEYSTONE.label}]`, () => {
  beforeAll(async () => {
    ks = startKeystone("teardown-it", 25130);
    if (!ks) return;
    const run = await runWithMocks(STACK, async () => {
      const { loadStackConfig } = await import("../../infra/config/load");
      const { declareStack } = await import("../../infra/stack");
      await valueOf(declareStack(loadStackConfig(), STACK).outputs.protocolId);
    });
    regs = run.registrations;
    admin = { url: ks.url, token: await passwordToken(ks.url, "admin", ks.adminPassword) };
    setConnection({
      authUrl: `${ks.url}/v3`,
      auth: {
        method: "password",
        username: "admin",
        password: ks.adminPassword,
        userDomainName: "Default",
        projectName: "admin",
        projectDomainName: "Default",
      },
      insecure: false,
      timeoutMs: 10_000,
    });
    applied = await applyOpenstackGraph(admin, regs, run.invocations);
    const idp = dyn("IdentityProvider");
    await identityProviderProvider.create({
      idpId: String(idp.idpId),
      domainId: applied.ids.get(String(idp.domainId))!,
      remoteIds: idp.remoteIds as string[],
      enabled: true,
      description: "",
      adopt: false,
    });
    const m = dyn("Mapping");
    await mappingProvider.create({
      mappingId: String(m.mappingId),
      rules: m.rules as { rules: unknown[] },
      adopt: false,
    });
    const p = dyn("FederationProtocol");
    await protocolProvider.create({
      idpId: String(p.idpId),
      protocolId: String(p.protocolId),
      mappingId: String(p.mappingId),
      remoteIdAttribute: String(p.remoteIdAttribute),
      adopt: false,
    });
  });
  afterAll(() => {
    setConnection(undefined);
    ks?.stop();
  });

  it("creates the whole stack, then destroys it completely", async (ctx) => {
    need(ctx);
    const idpId = String(dyn("IdentityProvider").idpId);
    const mappingId = String(dyn("Mapping").mappingId);
    const protocolId = String(dyn("FederationProtocol").protocolId);
    const names = (kind: string) =>
      regs.filter((r) => r.type === kind).map((r) => String(r.inputs.name));
    const domainNames = regs
      .filter((r) => r.type === "openstack:identity/project:Project" && r.inputs.isDomain === true)
      .map((r) => String(r.inputs.name));
    expect(domainNames.sort()).toEqual(["federated-test", "test-acme", "test-globex"]);
    expect(
      (await call(admin, "GET", `/OS-FEDERATION/identity_providers/${idpId}/protocols`)).json
        .protocols,
    ).toHaveLength(1);

    // pulumi destroy: dependents first; the federation objects through the provider's delete path.
    await protocolProvider.delete!(`${idpId}/${protocolId}`, {
      idpId,
      protocolId,
      mappingId,
      remoteIdAttribute: "HTTP_OIDC_ISS",
      adopt: false,
    });
    await mappingProvider.delete!(mappingId, { mappingId, rules: { rules: [] }, adopt: false });
    await identityProviderProvider.delete!(idpId, {
      idpId,
      domainId: "",
      remoteIds: [],
      enabled: true,
      description: "",
      adopt: false,
    });
    await removeOpenstackGraph(admin, applied);

    expect((await call(admin, "GET", `/OS-FEDERATION/identity_providers/${idpId}`)).status).toBe(
      404,
    );
    expect((await call(admin, "GET", `/OS-FEDERATION/mappings/${mappingId}`)).status).toBe(404);
    const domains = ((await call(admin, "GET", "/domains")).json.domains as { name: string }[]).map(
      (d) => d.name,
    );
    for (const d of domainNames) expect(domains).not.toContain(d);
    const projects = (
      (await call(admin, "GET", "/projects")).json.projects as { name: string }[]
    ).map((p) => p.name);
    for (const p of names("openstack:identity/project:Project"))
      if (!domainNames.includes(p)) expect(projects).not.toContain(p);
    const groups = ((await call(admin, "GET", "/groups")).json.groups as { name: string }[]).map(
      (g) => g.name,
    );
    for (const g of names("openstack:identity/groupV3:GroupV3")) expect(groups).not.toContain(g);
    expect(
      (
        (await call(admin, "GET", "/OS-FEDERATION/identity_providers")).json
          .identity_providers as unknown[]
      ).length,
    ).toBe(0);
  });
});
