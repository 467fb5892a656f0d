/**
 * The adoption plan: from the engine's import skeleton, the model's names and what Keystone holds,
 * exactly the domains, projects and groups found are imported (with their live ids), providers and
 * components stay as the parents the engine needs, and nothing else is imported.
 */
import { describe, expect, it } from "vitest";
import {
  adoptionPlan,
  GROUP_TYPE,
  type ImportFile,
  PROJECT_TYPE,
  componentName,
  KEYCLOAK_SIDE_TYPE,
  TENANCY_TYPE,
  wantedObjects,
} from "../../../infra/cli/adopt/plan";
import { fixtureModel } from "../../support/stack-files";

const model = fixtureModel("e2e");

function skeleton(): ImportFile {
  const placeholder = (type: string, name: string, parent: string) => ({
    type,
    name,
    id: "<PLACEHOLDER>",
    parent,
    provider: "openstack",
    version: "3.15.2",
  });
  return {
    resources: [
      { type: "pulumi:providers:openstack", name: "openstack", inputs: { authUrl: "x" } },
      { type: "okf:keystone:Tenancy", name: "keystone", component: true },
      { type: "okf:keycloak:Federation", name: "keycloakFederation", component: true },
      { type: "keycloak:index/realm:Realm", name: "keycloak-realm", id: "<PLACEHOLDER>" },
      ...wantedObjects(model, "keystone").map((w) =>
        placeholder(w.kind === "group" ? GROUP_TYPE : PROJECT_TYPE, w.logicalName, "keystone"),
      ),
      placeholder(
        "openstack:identity/roleAssignment:RoleAssignment",
        "keystone-grant-e2e-acme-developers-member-web",
        "keystone",
      ),
      {
        type: "pulumi-nodejs:dynamic/keystone:Mapping",
        name: "federation-mapping",
        id: "<PLACEHOLDER>",
      },
    ],
  };
}

describe("adoption plan", () => {
  it("derives the logical names the program gives the tenancy's domains, projects and groups", () => {
    const wanted = wantedObjects(model, componentName(skeleton(), TENANCY_TYPE)!);
    expect(
      wanted
        .filter((w) => w.kind === "domain")
        .map((w) => w.logicalName)
        .sort(),
    ).toEqual([
      "keystone-domain-e2e-acme",
      "keystone-domain-e2e-globex",
      "keystone-domain-e2e-users",
    ]);
    const web = wanted.find((w) => w.kind === "project" && w.name === "web")!;
    expect(web).toMatchObject({ logicalName: "keystone-project-e2e-acme-web", domain: "e2e-acme" });
    const dev = wanted.find((w) => w.kind === "group" && w.name === "e2e-acme-developers")!;
    expect(dev).toMatchObject({
      logicalName: "keystone-group-e2e-acme-developers",
      domain: "e2e-acme",
    });
  });

  it("finds a component an earlier up already put in the state through the skeleton's name table", () => {
    // What the engine writes when the components exist: children point at them by name.
    const urn = (type: string, name: string) =>
      `urn:pulumi:dev::openstack-keycloak-federation::${type}::${name}`;
    const partial: ImportFile = {
      nameTable: {
        keystone: urn("okf:keystone:Tenancy", "keystone"),
        kc: urn("okf:stack:Stack$okf:keycloak:Federation", "kc"),
        openstack: urn("pulumi:providers:openstack", "openstack"),
      },
      resources: skeleton().resources.filter((r) => !r.component),
    };
    expect(componentName(partial, TENANCY_TYPE)).toBe("keystone");
    expect(componentName(partial, KEYCLOAK_SIDE_TYPE)).toBe("kc");
    expect(componentName({ resources: partial.resources }, TENANCY_TYPE)).toBeUndefined();
    const plan = adoptionPlan(
      partial,
      wantedObjects(model, componentName(partial, TENANCY_TYPE)!),
      new Map([["keystone-domain-e2e-acme", "d1"]]),
    );
    expect(plan.file.nameTable).toEqual(partial.nameTable);
    expect(plan.adopted.map((a) => `${a.kind} ${a.name} ${a.id}`)).toEqual(["domain e2e-acme d1"]);
  });

  it("imports exactly what Keystone has, with its ids; keeps providers and components; drops every placeholder", () => {
    const found = new Map([
      ["keystone-domain-e2e-acme", "d1"],
      ["keystone-project-e2e-acme-web", "p1"],
      ["keystone-group-e2e-acme-developers", "g1"],
    ]);
    const wanted = wantedObjects(model, "keystone");
    const plan = adoptionPlan(skeleton(), wanted, found);
    const ids = plan.file.resources.filter((r) => r.id !== undefined).map((r) => [r.name, r.id]);
    expect(ids).toEqual([
      ["keystone-domain-e2e-acme", "d1"],
      ["keystone-project-e2e-acme-web", "p1"],
      ["keystone-group-e2e-acme-developers", "g1"],
    ]);
    expect(plan.file.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(["openstack", "keystone", "keycloakFederation"]),
    );
    expect(JSON.stringify(plan.file)).not.toContain("<PLACEHOLDER>");
    expect(plan.adopted.map((a) => `${a.kind} ${a.name} ${a.id}`)).toEqual([
      "domain e2e-acme d1",
      "project web p1",
      "group e2e-acme-developers g1",
    ]);
    expect(plan.missing.map((m) => m.logicalName)).toContain("keystone-domain-e2e-users");
    expect(plan.missing.map((m) => m.logicalName)).not.toContain("keystone-domain-e2e-acme");
  });

  it("imports nothing when Keystone has none of the declared objects", () => {
    const plan = adoptionPlan(skeleton(), wantedObjects(model, "keystone"), new Map());
    expect(plan.file.resources).toEqual([]);
    expect(plan.adopted).toEqual([]);
  });

  it("never imports a found id onto a resource of another type (a grant or a Keycloak object)", () => {
    const found = new Map([
      ["keystone-grant-e2e-acme-developers-member-web", "x"],
      ["keycloak-realm", "y"],
    ]);
    const plan = adoptionPlan(skeleton(), wantedObjects(model, "keystone"), found);
    expect(plan.file.resources).toEqual([]);
  });
});
