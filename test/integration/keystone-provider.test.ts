/**
 * The Keystone OS-FEDERATION dynamic provider against a real Keystone 22 (Debian), every path:
 * lifecycle per object, adopt, already-exists, drift, credentials, an outage mid-sequence, and the
 * HTTP calls each operation costs.
 */
import { KEYSTONE } from "../support/keystone-release";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientGlobals, type CallRecord } from "../../infra/providers/keystone/client";
import type { KeystoneConnection } from "../../infra/providers/keystone/connection";
import {
  identityProviderProvider as idpP,
  type IdentityProviderState,
} from "../../infra/providers/keystone/identity-provider";
import { mappingProvider as mapP, type MappingState } from "../../infra/providers/keystone/mapping";
import {
  protocolProvider as protoP,
  type ProtocolState,
} from "../../infra/providers/keystone/protocol";
import { setConnection } from "../../infra/providers/keystone/runtime";
import { call, type KeystoneSession, passwordToken } from "../support/keystone-admin";
import { startKeystone } from "../support/keystone-service";

const ks = startKeystone("provider-it", 25110);
const ISSUER = "https://id.example.com/realms/openstack";
let admin: KeystoneSession;
let domainA = "";
let domainB = "";
const counts: Record<string, { reads: number; writes: number }> = {};

function adminConn(): KeystoneConnection {
  return {
    authUrl: `${ks!.url}/v3`,
    auth: {
      method: "password",
      username: "admin",
      password: ks!.adminPassword,
      userDomainName: "Default",
      projectName: "admin",
      projectDomainName: "Default",
    },
    insecure: false,
    timeoutMs: 10_000,
  };
}

/** Runs `fn` and records the Keystone HTTP calls it made (authentication excluded). */
async function counted<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const calls = clientGlobals().calls;
  const before = calls.length;
  const result = await fn();
  const made = calls.slice(before).filter((c: CallRecord) => c.path !== "/auth/tokens");
  counts[label] = {
    reads: made.filter((c) => c.method === "GET").length,
    writes: made.filter((c) => c.method !== "GET").length,
  };
  return result;
}

const rulesV1 = {
  rules: [
    {
      local: [{ user: { name: "{0}" } }],
      remote: [
        { type: "OIDC-preferred_username" },
        { type: "HTTP_OIDC_ISS", any_one_of: [ISSUER] },
      ],
    },
  ],
};

describe.skipIf(!ks)(
  `Keystone dynamic provider against a real Keystone [${KEYSTONE.label}]`,
  () => {
    beforeAll(async () => {
      admin = { url: ks!.url, token: await passwordToken(ks!.url, "admin", ks!.adminPassword) };
      const mk = async (name: string) =>
        (
          (await call(admin, "POST", "/domains", { domain: { name } })).json.domain as {
            id: string;
          }
        ).id;
      domainA = await mk("it-users-a");
      domainB = await mk("it-users-b");
      setConnection(adminConn());
    });

    afterAll(() => {
      setConnection(undefined);
      console.log("HTTP calls per operation (authentication excluded):");
      for (const [op, c] of Object.entries(counts))
        console.log(`  ${op.padEnd(34)} reads ${c.reads}  writes ${c.writes}`);
      ks?.stop();
    });

    it("identity provider: create -> read -> no-op diff -> update -> replace on domain change -> delete -> gone", async () => {
      const want: IdentityProviderState = {
        idpId: "it-idp",
        domainId: domainA,
        remoteIds: [ISSUER],
        enabled: true,
        description: "first",
        adopt: false,
      };
      const created = await counted("idp create", () => idpP.create(want));
      const createdOuts = created.outs as IdentityProviderState;
      expect(created).toEqual({ id: "it-idp", outs: want });
      const read = await counted("idp read", () => idpP.read!("it-idp", created.outs));
      expect(read).toEqual({ id: "it-idp", props: want });
      const noop = await counted("idp diff (no change)", () =>
        idpP.diff!("it-idp", createdOuts, { ...want, remoteIds: [ISSUER] }),
      );
      expect(noop).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
      expect(counts["idp diff (no change)"]).toEqual({ reads: 0, writes: 0 });

      const changed = {
        ...want,
        description: "second",
        remoteIds: [ISSUER, "https://id2.example.com/realms/openstack"],
      };
      expect(await idpP.diff!("it-idp", createdOuts, changed)).toEqual({
        changes: true,
        replaces: [],
        deleteBeforeReplace: true,
      });
      const updated = await counted("idp update", () =>
        idpP.update!("it-idp", createdOuts, changed),
      );
      expect(updated.outs).toEqual(changed);
      expect(counts["idp update"]).toEqual({ reads: 0, writes: 1 });

      const moved = { ...changed, domainId: domainB };
      expect(await idpP.diff!("it-idp", updated.outs as IdentityProviderState, moved)).toEqual({
        changes: true,
        replaces: ["domainId"],
        deleteBeforeReplace: true,
      });
      // What the engine does for a delete-before-replace:
      await idpP.delete!("it-idp", updated.outs as IdentityProviderState);
      expect((await idpP.create(moved)).outs?.domainId).toBe(domainB);
      const server = await call(admin, "GET", "/OS-FEDERATION/identity_providers/it-idp");
      expect((server.json.identity_provider as { domain_id: string }).domain_id).toBe(domainB);

      await counted("idp delete", () => idpP.delete!("it-idp", moved));
      expect((await call(admin, "GET", "/OS-FEDERATION/identity_providers/it-idp")).status).toBe(
        404,
      );
      expect(await idpP.read!("it-idp", moved)).toEqual({});
      await idpP.delete!("it-idp", moved); // 404 counts as done
    });

    it("mapping: create -> read -> key order never diffs -> update -> delete -> gone", async () => {
      const want: MappingState = {
        mappingId: "it-mapping",
        rules: rulesV1,
        adopt: false,
        usedBy: "",
      };
      const created = await counted("mapping create", () => mapP.create(want));
      expect(created.outs).toEqual(want);
      const read = await counted("mapping read", () => mapP.read!("it-mapping", created.outs));
      expect(read).toEqual({ id: "it-mapping", props: want });
      const reordered = {
        mappingId: "it-mapping",
        adopt: false,
        usedBy: "",
        rules: {
          rules: [
            {
              remote: [
                { type: "OIDC-preferred_username" },
                { any_one_of: [ISSUER], type: "HTTP_OIDC_ISS" },
              ],
              local: [{ user: { name: "{0}" } }],
            },
          ],
        },
      };
      expect(
        await counted("mapping diff (no change)", () =>
          mapP.diff!("it-mapping", read.props!, reordered),
        ),
      ).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
      const v2 = {
        ...want,
        rules: {
          rules: [
            ...rulesV1.rules,
            { local: [{ user: { name: "{0}" } }], remote: [{ type: "OIDC-email" }] },
          ],
        },
      };
      expect((await mapP.diff!("it-mapping", read.props!, v2)).changes).toBe(true);
      const updated = await counted("mapping update", () =>
        mapP.update!("it-mapping", read.props!, v2),
      );
      expect(updated.outs).toEqual(v2);
      expect(counts["mapping update"]).toEqual({ reads: 0, writes: 1 });
      await counted("mapping delete", () => mapP.delete!("it-mapping", v2));
      expect((await call(admin, "GET", "/OS-FEDERATION/mappings/it-mapping")).status).toBe(404);
    });

    it("protocol: create -> read (remote_id_attribute from the list call) -> update -> deleted before mapping and IdP", async () => {
      await idpP.create({
        idpId: "it-proto-idp",
        domainId: domainA,
        remoteIds: [ISSUER],
        enabled: true,
        description: "",
        adopt: false,
      });
      await mapP.create({ mappingId: "it-proto-m1", rules: rulesV1, adopt: false });
      await mapP.create({ mappingId: "it-proto-m2", rules: rulesV1, adopt: false });
      const want: ProtocolState = {
        idpId: "it-proto-idp",
        protocolId: "openid",
        mappingId: "it-proto-m1",
        remoteIdAttribute: "HTTP_OIDC_ISS",
        adopt: false,
      };
      const created = await counted("protocol create", () => protoP.create(want));
      expect(created).toEqual({ id: "it-proto-idp/openid", outs: want });
      const read = await counted("protocol read", () =>
        protoP.read!("it-proto-idp/openid", created.outs),
      );
      expect(read).toEqual({ id: "it-proto-idp/openid", props: want });
      const next = { ...want, mappingId: "it-proto-m2", remoteIdAttribute: "OIDC-iss" };
      expect(await protoP.diff!("it-proto-idp/openid", want, next)).toEqual({
        changes: true,
        replaces: [],
        deleteBeforeReplace: true,
      });
      await counted("protocol update", () => protoP.update!("it-proto-idp/openid", want, next));
      expect((await protoP.read!("it-proto-idp/openid", next)).props).toEqual(next);
      expect(counts["protocol update"]).toEqual({ reads: 0, writes: 1 });
      // Destroy order: protocol, then mapping and IdP.
      await counted("protocol delete", () => protoP.delete!("it-proto-idp/openid", next));
      expect(await protoP.read!("it-proto-idp/openid", next)).toEqual({});
      await mapP.delete!("it-proto-m1", { mappingId: "it-proto-m1", rules: rulesV1, adopt: false });
      await mapP.delete!("it-proto-m2", { mappingId: "it-proto-m2", rules: rulesV1, adopt: false });
      await idpP.delete!("it-proto-idp", {
        idpId: "it-proto-idp",
        domainId: domainA,
        remoteIds: [ISSUER],
        enabled: true,
        description: "",
        adopt: false,
      });
    });

    it("a mapping another stack's protocol uses is neither taken over nor deleted; the stack's own protocol does not count", async () => {
      // As kolla-ansible or another stack leaves it: IdP "other" whose protocol uses "it-shared".
      const rules = { rules: rulesV1.rules };
      expect(
        (await call(admin, "PUT", "/OS-FEDERATION/mappings/it-shared", { mapping: rules })).status,
      ).toBe(201);
      expect(
        (
          await call(admin, "PUT", "/OS-FEDERATION/identity_providers/it-other", {
            identity_provider: {
              remote_ids: ["https://other.example/realms/x"],
              domain_id: domainA,
            },
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await call(admin, "PUT", "/OS-FEDERATION/identity_providers/it-other/protocols/openid", {
            protocol: { mapping_id: "it-shared", remote_id_attribute: "HTTP_OIDC_ISS" },
          })
        ).status,
      ).toBe(201);
      const ours: MappingState = {
        mappingId: "it-shared",
        rules,
        adopt: true,
        usedBy: "it-mine/openid",
      };
      const refusal =
        /mapping "it-shared" is used by protocol it-other\/openid, which is not this stack's; taking it over would change their logins\. Nothing was changed/;
      await expect(mapP.create(ours)).rejects.toThrow(refusal); // adopt
      await expect(mapP.create({ ...ours, adopt: false })).rejects.toThrow(refusal); // exact match
      await expect(mapP.delete!("it-shared", ours)).rejects.toThrow(
        /deleting it would break their logins\. Nothing was changed/,
      );
      expect((await call(admin, "GET", "/OS-FEDERATION/mappings/it-shared")).status).toBe(200);
      // The other protocol moves away; the one that uses it now is the stack's own.
      expect(
        (await call(admin, "DELETE", "/OS-FEDERATION/identity_providers/it-other")).status,
      ).toBe(204);
      await call(admin, "PUT", "/OS-FEDERATION/identity_providers/it-mine", {
        identity_provider: { remote_ids: ["https://mine.example/realms/x"], domain_id: domainA },
      });
      await call(admin, "PUT", "/OS-FEDERATION/identity_providers/it-mine/protocols/openid", {
        protocol: { mapping_id: "it-shared", remote_id_attribute: "HTTP_OIDC_ISS" },
      });
      expect((await mapP.create(ours)).outs).toEqual(ours);
      await mapP.delete!("it-shared", ours);
      expect((await call(admin, "GET", "/OS-FEDERATION/mappings/it-shared")).status).toBe(404);
      await call(admin, "DELETE", "/OS-FEDERATION/identity_providers/it-mine");
    });

    it("an object that already exists: a clear error without adopt (nothing changed), convergence with adopt", async () => {
      // Out of band, as kolla-ansible would have left it.
      await call(admin, "PUT", "/OS-FEDERATION/identity_providers/it-kolla", {
        identity_provider: {
          domain_id: domainA,
          remote_ids: ["https://old.example.com/realms/x"],
          enabled: true,
        },
      });
      await call(admin, "PUT", "/OS-FEDERATION/mappings/it-kolla-mapping", {
        mapping: {
          rules: [{ local: [{ user: { name: "{0}" } }], remote: [{ type: "REMOTE_USER" }] }],
        },
      });
      await call(admin, "PUT", "/OS-FEDERATION/identity_providers/it-kolla/protocols/openid", {
        protocol: { mapping_id: "it-kolla-mapping" },
      });

      const idp: IdentityProviderState = {
        idpId: "it-kolla",
        domainId: domainA,
        remoteIds: [ISSUER],
        enabled: true,
        description: "adopted",
        adopt: false,
      };
      await expect(idpP.create(idp)).rejects.toThrow(
        /identity provider "it-kolla" already exists .*nothing was changed\. To take it over, set adopt: true/,
      );
      await expect(
        mapP.create({
          mappingId: "it-kolla-mapping",
          usedBy: "it-kolla/openid",
          rules: rulesV1,
          adopt: false,
        }),
      ).rejects.toThrow(/mapping "it-kolla-mapping" already exists; nothing was changed/);
      await expect(
        protoP.create({
          idpId: "it-kolla",
          protocolId: "openid",
          mappingId: "it-kolla-mapping",
          remoteIdAttribute: "HTTP_OIDC_ISS",
          adopt: false,
        }),
      ).rejects.toThrow(/protocol "openid" of identity provider "it-kolla" already exists/);
      const untouched = await call(admin, "GET", "/OS-FEDERATION/identity_providers/it-kolla");
      expect((untouched.json.identity_provider as { remote_ids: string[] }).remote_ids).toEqual([
        "https://old.example.com/realms/x",
      ]);

      const adopted = await counted("idp create (adopt)", () =>
        idpP.create({ ...idp, adopt: true }),
      );
      expect(adopted.outs).toEqual({ ...idp, adopt: true });
      expect(counts["idp create (adopt)"]).toEqual({ reads: 1, writes: 1 });
      expect(
        (
          await mapP.create({
            mappingId: "it-kolla-mapping",
            usedBy: "it-kolla/openid",
            rules: rulesV1,
            adopt: true,
          })
        ).outs?.rules,
      ).toEqual(rulesV1);
      await protoP.create({
        idpId: "it-kolla",
        protocolId: "openid",
        mappingId: "it-kolla-mapping",
        remoteIdAttribute: "HTTP_OIDC_ISS",
        adopt: true,
      });
      const listed = await call(
        admin,
        "GET",
        "/OS-FEDERATION/identity_providers/it-kolla/protocols",
      );
      expect(listed.json.protocols).toMatchObject([
        { id: "openid", mapping_id: "it-kolla-mapping", remote_id_attribute: "HTTP_OIDC_ISS" },
      ]);
      // An IdP bound to another domain cannot be adopted silently: Keystone cannot move it.
      await expect(idpP.create({ ...idp, domainId: domainB, adopt: true })).rejects.toThrow(
        /is bound to domain .* Keystone cannot move it/,
      );
      await idpP.delete!("it-kolla", idp); // also removes its protocols
      await mapP.delete!("it-kolla-mapping", {
        mappingId: "it-kolla-mapping",
        usedBy: "it-kolla/openid",
        rules: rulesV1,
        adopt: true,
      });
    });

    it("an interrupted create: an object exactly as desired is taken as created without adopt; one that differs in any field is refused", async () => {
      const idp: IdentityProviderState = {
        idpId: "it-interrupted",
        domainId: domainA,
        remoteIds: [ISSUER],
        enabled: true,
        description: "ours",
        adopt: false,
      };
      // As a create whose answer was lost would have left them.
      await call(admin, "PUT", "/OS-FEDERATION/identity_providers/it-interrupted", {
        identity_provider: {
          domain_id: domainA,
          remote_ids: [ISSUER],
          enabled: true,
          description: "ours",
        },
      });
      await call(admin, "PUT", "/OS-FEDERATION/mappings/it-interrupted-m", {
        mapping: { rules: rulesV1.rules },
      });
      await call(
        admin,
        "PUT",
        "/OS-FEDERATION/identity_providers/it-interrupted/protocols/openid",
        {
          protocol: { mapping_id: "it-interrupted-m", remote_id_attribute: "HTTP_OIDC_ISS" },
        },
      );
      expect((await idpP.create(idp)).outs).toEqual(idp);
      expect(
        (
          await mapP.create({
            mappingId: "it-interrupted-m",
            usedBy: "it-interrupted/openid",
            rules: rulesV1,
            adopt: false,
          })
        ).outs?.rules,
      ).toEqual(rulesV1);
      expect(
        (
          await protoP.create({
            idpId: "it-interrupted",
            protocolId: "openid",
            mappingId: "it-interrupted-m",
            remoteIdAttribute: "HTTP_OIDC_ISS",
            adopt: false,
          })
        ).id,
      ).toBe("it-interrupted/openid");
      // Any difference (here the description, or the protocol's remote_id_attribute) is not ours to take.
      await expect(idpP.create({ ...idp, description: "someone else's" })).rejects.toThrow(
        /identity provider "it-interrupted" already exists .*nothing was changed/,
      );
      await expect(
        protoP.create({
          idpId: "it-interrupted",
          protocolId: "openid",
          mappingId: "it-interrupted-m",
          remoteIdAttribute: "OIDC-iss",
          adopt: false,
        }),
      ).rejects.toThrow(/protocol "openid" of identity provider "it-interrupted" already exists/);
      const idpNow = (await call(admin, "GET", "/OS-FEDERATION/identity_providers/it-interrupted"))
        .json.identity_provider as { description: string };
      expect(idpNow.description).toBe("ours");
      await idpP.delete!("it-interrupted", idp);
      await mapP.delete!("it-interrupted-m", {
        mappingId: "it-interrupted-m",
        usedBy: "it-interrupted/openid",
        rules: rulesV1,
        adopt: false,
      });
    });

    it("drift: an object deleted out of band is gone on refresh; rules changed out of band show in the next diff", async () => {
      const want: MappingState = { mappingId: "it-drift", rules: rulesV1, adopt: false };
      await mapP.create(want);
      const edited = {
        rules: [{ local: [{ user: { name: "{0}" } }], remote: [{ type: "REMOTE_USER" }] }],
      };
      await call(admin, "PATCH", "/OS-FEDERATION/mappings/it-drift", { mapping: edited });
      const refreshed = await mapP.read!("it-drift", want);
      expect(refreshed.props?.rules).toEqual(edited);
      expect((await mapP.diff!("it-drift", refreshed.props!, want)).changes).toBe(true);
      await call(admin, "DELETE", "/OS-FEDERATION/mappings/it-drift");
      expect(await mapP.read!("it-drift", want)).toEqual({});

      const idp: IdentityProviderState = {
        idpId: "it-drift-idp",
        domainId: domainA,
        remoteIds: [ISSUER],
        enabled: true,
        description: "",
        adopt: false,
      };
      await idpP.create(idp);
      await call(admin, "PATCH", "/OS-FEDERATION/identity_providers/it-drift-idp", {
        identity_provider: { remote_ids: ["https://evil.example.com/realms/x"] },
      });
      const r = await idpP.read!("it-drift-idp", idp);
      expect(r.props?.remoteIds).toEqual(["https://evil.example.com/realms/x"]);
      expect((await idpP.diff!("it-drift-idp", r.props!, idp)).changes).toBe(true);
      await idpP.delete!("it-drift-idp", idp);
    });

    it("authenticates with an application credential and with a token; wrong credentials give a clear error without the secret", async () => {
      const userId = (
        (await call(admin, "GET", "/users?name=admin")).json.users as { id: string }[]
      )[0]!.id;
      const scoped = await passwordToken(ks!.url, "admin", ks!.adminPassword, { project: "admin" });
      const cred = await call(
        { url: ks!.url, token: scoped },
        "POST",
        `/users/${userId}/application_credentials`,
        { application_credential: { name: "it-pulumi", secret: "it-app-secret-0123456789" } },
      );
      expect(cred.status).toBe(201);
      const credId = (cred.json.application_credential as { id: string }).id;
      setConnection({
        authUrl: `${ks!.url}/v3`,
        auth: { method: "applicationCredential", id: credId, secret: "it-app-secret-0123456789" },
        insecure: false,
        timeoutMs: 10_000,
      });
      expect(
        await mapP.read!("does-not-exist", {
          mappingId: "does-not-exist",
          rules: rulesV1,
          adopt: false,
        }),
      ).toEqual({});
      setConnection({
        authUrl: `${ks!.url}/v3`,
        auth: { method: "token", token: admin.token },
        insecure: false,
        timeoutMs: 10_000,
      });
      expect(
        await mapP.read!("does-not-exist", {
          mappingId: "does-not-exist",
          rules: rulesV1,
          adopt: false,
        }),
      ).toEqual({});

      const wrong = "wrong-password-4711-do-not-print";
      setConnection({
        ...adminConn(),
        auth: {
          method: "password",
          username: "admin",
          password: wrong,
          userDomainName: "Default",
          projectName: "admin",
          projectDomainName: "Default",
        },
      });
      const error = await mapP
        .create({ mappingId: "it-denied", rules: rulesV1, adopt: false })
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(error?.message).toMatch(
        /^Keystone POST \/auth\/tokens failed with HTTP 401: .*check the Keystone credentials of this stack/,
      );
      expect(error?.message).not.toContain(wrong);
      setConnection(adminConn());
      expect((await call(admin, "GET", "/OS-FEDERATION/mappings/it-denied")).status).toBe(404);
    });

    it("Keystone stopped mid-sequence: bounded retries, a clear error, and a re-run converges with nothing lost or duplicated", async () => {
      const idp: IdentityProviderState = {
        idpId: "it-outage",
        domainId: domainA,
        remoteIds: [ISSUER],
        enabled: true,
        description: "",
        adopt: false,
      };
      await idpP.create(idp);
      ks!.stop();
      const started = Date.now();
      const error = await mapP
        .create({ mappingId: "it-outage-m", rules: rulesV1, adopt: false })
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      const seconds = (Date.now() - started) / 1000;
      expect(error?.message).toMatch(
        /no usable answer after 5 attempts .*is Keystone at http:\/\/127\.0\.0\.1:25110\/v3 up\?/,
      );
      expect(seconds).toBeLessThan(30);
      ks!.start();
      // The engine would re-run the same plan: the IdP exists (created before the outage), the mapping does not.
      const m = await mapP.create({ mappingId: "it-outage-m", rules: rulesV1, adopt: false });
      expect(m.outs?.rules).toEqual(rulesV1);
      expect((await idpP.read!("it-outage", idp)).props).toEqual(idp);
      const idps = (await call(admin, "GET", "/OS-FEDERATION/identity_providers")).json
        .identity_providers as { id: string }[];
      expect(idps.filter((x) => x.id === "it-outage")).toHaveLength(1);
      await mapP.delete!("it-outage-m", m.outs as MappingState);
      await idpP.delete!("it-outage", idp);
    });
  },
);
