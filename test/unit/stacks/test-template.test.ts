import { beforeAll, describe, expect, it } from "vitest";
import { commonStackTests } from "./common";
import { type StackGraph, stackGraph, T } from "./graph";

let g: StackGraph;
beforeAll(async () => {
  g = await stackGraph("test-template");
});

describe("test-template stack graph", () => {
  commonStackTests(() => g, {
    issuer: "https://id.test.example.com/realms/openstack-test",
    clientId: "keystone",
    idpId: "keycloak-openstack-test",
    stack: "test-template",
    explicitResources: 29,
  });

  it("lands federated users in its own domain", () => {
    const idp = g.one(T.idp, "federation-idp").inputs;
    expect(g.byId(idp.domainId)?.inputs).toMatchObject({ name: "federated-test", isDomain: true });
  });
});
