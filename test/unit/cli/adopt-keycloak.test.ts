/**
 * What adoption reads from Keycloak, against a Keycloak admin API answering from a table: the
 * import ids of the proxy realm's objects the stack declares, the mappers it leaves alone, and the
 * refusals that name the key to change (a client for this Keystone under another id, a mapper of
 * another kind under a declared name, a customer realm that exists).
 */
import { describe, expect, it } from "vitest";
import { findKeycloak, type KeycloakAdminApi } from "../../../infra/cli/adopt/keycloak-live";
import { fixtureModel } from "../../support/stack-files";

const model = fixtureModel("staging");
const REALM = model.keycloak.realm.name;

/** An admin API that answers GETs from `table` (path -> body) and 404 otherwise. */
const api = (table: Record<string, unknown>) =>
  ({ get: async (path: string) => table[path] }) as unknown as KeycloakAdminApi;

/** Every Keycloak resource the stack would create, as the engine's skeleton names them. */
const skeleton = new Map<string, string>([
  ["keycloak-realm", "keycloak:index/realm:Realm"],
  ["keycloak-client", "keycloak:openid/client:Client"],
  ["keycloak-mapper-audience", "keycloak:openid/audienceProtocolMapper:AudienceProtocolMapper"],
  ["keycloak-mapper-sub", "keycloak:openid/subProtocolMapper:SubProtocolMapper"],
  ["keycloak-kcgroup-acme", "keycloak:index/group:Group"],
  ["keycloak-kcgroup-acme-admins", "keycloak:index/group:Group"],
  ["keycloak-kcrole-acme-admins", "keycloak:index/role:Role"],
]);

describe("adoption: what Keycloak holds", () => {
  it("imports the realm, the client, its declared mappers, groups and access roles with their ids; leaves other mappers alone", async () => {
    const found = await findKeycloak(
      api({
        [`/${REALM}`]: { id: "realm-uuid", realm: REALM },
        [`/${REALM}/clients`]: [
          {
            id: "client-uuid",
            clientId: model.keycloak.client.clientId,
            protocolMappers: [
              { id: "m1", name: "audience", protocolMapper: "oidc-audience-mapper" },
              { id: "m2", name: "groups", protocolMapper: "oidc-group-membership-mapper" },
            ],
          },
        ],
        [`/${REALM}/group-by-path/acme`]: { id: "g-acme" },
        [`/${REALM}/group-by-path/acme/admins`]: { id: "g-admins" },
        [`/${REALM}/clients/client-uuid/roles/acme-admins`]: { id: "r-admins" },
      }),
      model,
      "keycloak",
      skeleton,
    );
    expect(Object.fromEntries(found.ids)).toEqual({
      "keycloak-realm": REALM,
      "keycloak-client": `${REALM}/client-uuid`,
      "keycloak-mapper-audience": `${REALM}/client/client-uuid/m1`,
      "keycloak-kcgroup-acme": `${REALM}/g-acme`,
      "keycloak-kcgroup-acme-admins": `${REALM}/g-admins`,
      "keycloak-kcrole-acme-admins": `${REALM}/r-admins`,
    });
    expect(found.unmanaged).toEqual([
      `mapper groups (oidc-group-membership-mapper) of client ${model.keycloak.client.clientId}`,
    ]);
    expect(found.refusals).toEqual([]);
  });

  it("refuses a client for this Keystone under another client id, naming client.clientId", async () => {
    const found = await findKeycloak(
      api({
        [`/${REALM}`]: { id: "realm-uuid" },
        [`/${REALM}/clients`]: [
          {
            id: "c",
            clientId: "legacy-keystone",
            redirectUris: [`${model.keystone.url}/redirect_uri`],
          },
        ],
      }),
      model,
      "keycloak",
      skeleton,
    );
    expect(found.refusals).toEqual([
      expect.stringMatching(
        /^client\.clientId: realm openstack has client "legacy-keystone" for this Keystone .*set client\.clientId: legacy-keystone/,
      ),
    ]);
  });

  it("refuses a mapper of another kind under a declared name; it would clash with the stack's", async () => {
    const found = await findKeycloak(
      api({
        [`/${REALM}`]: { id: "realm-uuid" },
        [`/${REALM}/clients`]: [
          {
            id: "client-uuid",
            clientId: model.keycloak.client.clientId,
            protocolMappers: [
              { id: "m", name: "sub", protocolMapper: "oidc-usermodel-attribute-mapper" },
            ],
          },
        ],
      }),
      model,
      "keycloak",
      skeleton,
    );
    expect(found.refusals).toEqual([
      expect.stringContaining(
        'has a mapper named "sub" of kind oidc-usermodel-attribute-mapper, the stack declares one of kind oidc-sub-mapper',
      ),
    ]);
    expect(found.ids.has("keycloak-mapper-sub")).toBe(false);
  });

  it("refuses a customer realm that already exists, naming tenants[].customerRealm", async () => {
    const customer = model.keycloak.customerRealms[0]!.name;
    const found = await findKeycloak(
      api({ [`/${customer}`]: { id: "x" } }),
      model,
      "keycloak",
      skeleton,
    );
    expect(found.refusals).toEqual([
      expect.stringMatching(
        new RegExp(`^tenants\\[\\]\\.customerRealm: realm "${customer}" already exists`),
      ),
    ]);
    expect(found.ids.size).toBe(0);
  });

  it("imports nothing already in the state (absent from the skeleton)", async () => {
    const found = await findKeycloak(
      api({ [`/${REALM}`]: { id: "realm-uuid" }, [`/${REALM}/clients`]: [] }),
      model,
      "keycloak",
      new Map(),
    );
    expect(found.ids.size).toBe(0);
  });

  it("refuses an authentication flow the stack declares that already exists, naming realm.discovery", async () => {
    const hidd = {
      ...model,
      keycloak: { ...model.keycloak, hiddFlowAlias: `${REALM}-browser-hidd` },
    };
    const found = await findKeycloak(
      api({
        [`/${REALM}`]: { id: "realm-uuid" },
        [`/${REALM}/clients`]: [],
        [`/${REALM}/authentication/flows`]: [{ id: "f", alias: `${REALM}-browser-hidd` }],
      }),
      hidd,
      "keycloak",
      skeleton,
    );
    expect(found.refusals).toEqual([
      expect.stringMatching(
        /^realm\.discovery: realm openstack already has the authentication flow "openstack-browser-hidd"/,
      ),
    ]);
  });
});
