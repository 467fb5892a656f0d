/**
 * What must hold for every stack in stacks/, whatever it contains (the operator's environments,
 * tenants and access rules): the configuration is valid and keeps its secrets encrypted; every
 * rule of the generated mapping pins the issuer and the authorized party and produces the user;
 * the Keystone client uses the code flow with PKCE S256, no implicit flow and exact redirect URIs;
 * no cloud-wide role is granted without the stack's explicit opt-in; every Keycloak and OpenStack
 * resource uses the stack's explicit provider, whose credentials are secrets. Run with
 * `npm run test:stacks` (also part of `npm test`).
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  parseStackFile,
  readStackFileOffline,
  stackFilePath,
} from "../../../infra/stack-files/stack-file";
import { exampleSecretIssue } from "../../../infra/config/example-secrets";
import { SECRET_KEY_NAMES } from "../../../infra/config/secrets";
import { buildModel, type DeploymentModel } from "../../../infra/model/deployment-model";
import { remoteIdAttributes } from "../../../infra/base/naming";
import { lintMapping } from "../../../infra/verify/mapping-lint";
import { operatorStacks } from "../../support/stack-files";
import { secretValue } from "../stacks/common";
import { type StackGraph, stackGraph, T } from "../stacks/graph";

describe.each(operatorStacks())("stack %s", (stack) => {
  let model: DeploymentModel;
  let cloudWide: { roles: string[]; allowed: boolean };
  let graph: StackGraph;
  beforeAll(async () => {
    const { config } = parseStackFile(stack);
    model = buildModel(config, stack);
    cloudWide = { roles: config.roles.cloudWide, allowed: config.roles.allowCloudWideGrants };
    graph = await stackGraph(stack, true);
  });

  it("has a valid configuration (the error names each key and its fix)", () => {
    expect(() => parseStackFile(stack)).not.toThrow();
  });

  it("keeps every secret key encrypted (secure:) in the stack file", () => {
    const { raw, secretKeys } = readStackFileOffline(stackFilePath(stack));
    const plain = SECRET_KEY_NAMES.filter((k) => k in raw && !secretKeys.has(k));
    expect(plain, "set them with pulumi config set --secret <key> <value>").toEqual([]);
  });

  it("keeps staging and production secrets away from the passphrases this repository publishes", () => {
    const { encryptionsalt } = readStackFileOffline(stackFilePath(stack));
    expect(exampleSecretIssue(model.environment, { encryptionsalt })).toBeUndefined();
  });

  it("pins issuer and azp and produces the user in every rule of the mapping", () => {
    const findings = lintMapping(model.federation.mapping, {
      issuerAttributes: remoteIdAttributes(model.federation.claimPrefix),
      azpAttribute: `${model.federation.claimPrefix}azp`,
    });
    expect(findings).toEqual([]);
    expect(model.federation.mapping.rules.length).toBeGreaterThan(0);
  });

  it("declares the Keystone client with the code flow, PKCE S256, no implicit flow and exact redirect URIs", () => {
    const client = graph.one(T.client, "keycloak-client").inputs;
    expect(client).toMatchObject({
      standardFlowEnabled: true,
      pkceCodeChallengeMethod: "S256",
      implicitFlowEnabled: false,
    });
    const uris = client.validRedirectUris as string[];
    expect(uris).toEqual([...model.keycloak.client.redirectUris]);
    for (const uri of uris) expect(uri, "a wildcard redirect URI").not.toContain("*");
  });

  it("grants no cloud-wide role unless the stack opts in (roles.allowCloudWideGrants)", () => {
    const granted = model.keystone.grants.filter((g) => cloudWide.roles.includes(g.role));
    if (!cloudWide.allowed) expect(granted.map((g) => g.key)).toEqual([]);
  });

  it("gives every Keycloak and OpenStack resource the stack's explicit provider, with secret credentials", () => {
    const custom = graph.registrations.filter(
      (r) => r.custom && (r.type.startsWith("keycloak:") || r.type.startsWith("openstack:")),
    );
    expect(custom.length).toBeGreaterThan(0);
    for (const r of custom) {
      const pkg = r.type.split(":")[0]!;
      expect(r.provider, `${r.type} ${r.name}`).toMatch(
        new RegExp(`^urn:pulumi:.*::pulumi:providers:${pkg}::${pkg}::${pkg}-id$`),
      );
    }
    const providers = graph.registrations.filter((r) => r.type.startsWith("pulumi:providers:"));
    for (const p of providers) {
      for (const key of ["password", "clientSecret", "applicationCredentialSecret", "token"]) {
        const v = p.inputs[key];
        if (v !== undefined)
          expect(secretValue(v), `${p.type}.${key} must be a secret`).toBeDefined();
      }
    }
  });
});
