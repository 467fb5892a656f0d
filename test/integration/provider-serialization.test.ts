/**
 * The dynamic provider as Pulumi stores it: serialized under plain Node (not vitest), free of any
 * credential, then loaded by a fresh plain Node process that creates, reads and deletes real
 * Keystone objects with credentials from the environment.
 */
import { KEYSTONE } from "../support/keystone-release";
import { PROJECT_NAMESPACE } from "../../infra/stack-files/stack-file";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MARKERS } from "../support/serialize-provider";
import { call, type KeystoneSession, passwordToken } from "../support/keystone-admin";
import { REPO, startKeystone } from "../support/keystone-service";

const ks = startKeystone("serialization-it", 25120);
const OUT = join(REPO, ".work", "serialized-provider");
let admin: KeystoneSession;
let domainId = "";

function runSerialized(name: string, method: string, args: unknown[]): unknown {
  // The stack's configuration reaches the provider through configure(), as under the engine.
  const config = {
    [`${PROJECT_NAMESPACE}:keystone`]: JSON.stringify({
      url: ks!.url,
      credentials: { method: "password", username: "admin" },
    }),
    [`${PROJECT_NAMESPACE}:keystonePassword`]: ks!.adminPassword,
  };
  const env: NodeJS.ProcessEnv = { ...process.env, OKF_STACK_CONFIG: JSON.stringify(config) };
  const out = execFileSync(
    process.execPath,
    [
      join(REPO, "test", "support", "run-serialized-provider.cjs"),
      join(OUT, `${name}.js`),
      method,
      JSON.stringify(args),
    ],
    { env, encoding: "utf8" },
  );
  return JSON.parse(out);
}

describe.skipIf(!ks)(`serialized Keystone provider under plain Node [${KEYSTONE.label}]`, () => {
  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    execFileSync(
      process.execPath,
      ["--import", "tsx", join(REPO, "test", "support", "serialize-provider.ts"), "serialize", OUT],
      { cwd: REPO, stdio: "pipe" },
    );
    admin = { url: ks!.url, token: await passwordToken(ks!.url, "admin", ks!.adminPassword) };
    domainId = (
      (await call(admin, "POST", "/domains", { domain: { name: "ser-users" } })).json.domain as {
        id: string;
      }
    ).id;
  });
  afterAll(() => ks?.stop());

  it.each(["identity-provider", "mapping", "protocol"])(
    "the serialized %s provider contains no credential",
    (name) => {
      const text = readFileSync(join(OUT, `${name}.js`), "utf8");
      expect(text).toMatch(/^exports\.handler = /);
      for (const marker of Object.values(MARKERS)) expect(text).not.toContain(marker);
    },
  );

  it("creates, reads and deletes real objects through the deserialized copies", async () => {
    const idp = {
      idpId: "ser-idp",
      domainId,
      remoteIds: ["https://id.example.com/realms/openstack"],
      enabled: true,
      description: "",
      adopt: false,
    };
    expect(runSerialized("identity-provider", "create", [idp])).toEqual({
      id: "ser-idp",
      outs: idp,
    });
    const rules = {
      rules: [
        { local: [{ user: { name: "{0}" } }], remote: [{ type: "OIDC-preferred_username" }] },
      ],
    };
    const mapping = { mappingId: "ser-mapping", rules, adopt: false, usedBy: "ser-idp/openid" };
    expect(runSerialized("mapping", "create", [mapping])).toEqual({
      id: "ser-mapping",
      outs: mapping,
    });
    const proto = {
      idpId: "ser-idp",
      protocolId: "openid",
      mappingId: "ser-mapping",
      remoteIdAttribute: "HTTP_OIDC_ISS",
      adopt: false,
    };
    expect(runSerialized("protocol", "create", [proto])).toEqual({
      id: "ser-idp/openid",
      outs: proto,
    });
    expect(runSerialized("protocol", "read", ["ser-idp/openid", proto])).toEqual({
      id: "ser-idp/openid",
      props: proto,
    });
    const listed = await call(admin, "GET", "/OS-FEDERATION/identity_providers/ser-idp/protocols");
    expect(listed.json.protocols).toMatchObject([
      { id: "openid", mapping_id: "ser-mapping", remote_id_attribute: "HTTP_OIDC_ISS" },
    ]);
    runSerialized("protocol", "delete", ["ser-idp/openid", proto]);
    runSerialized("mapping", "delete", ["ser-mapping", mapping]);
    runSerialized("identity-provider", "delete", ["ser-idp", idp]);
    expect((await call(admin, "GET", "/OS-FEDERATION/identity_providers/ser-idp")).status).toBe(
      404,
    );
    expect((await call(admin, "GET", "/OS-FEDERATION/mappings/ser-mapping")).status).toBe(404);
  });
});
