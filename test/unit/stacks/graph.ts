/**
 * Runs a committed stack under the mock runtime and returns its registrations, indexed for
 * assertions. Shared by the per-stack test files (one file per stack: Pulumi's runtime state is
 * global to a process, and vitest gives each file its own).
 */
import * as pulumi from "@pulumi/pulumi";
import { type Registration, runWithMocks, valueOf } from "../../support/mock-runtime";

export interface StackGraph {
  readonly registrations: Registration[];
  /** Every resource's URN, sorted. */
  readonly urns: string[];
  readonly outputs: Record<string, unknown>;
  /** The stack outputs Pulumi holds as secrets. */
  readonly secretOutputs: string[];
  byType(type: string): Registration[];
  one(type: string, name: string): Registration;
  /** Resolves a mock id (`<logical name>-id`) back to the registration it belongs to. */
  byId(id: unknown): Registration | undefined;
}

/** The graph of a fixture, or with `operator` of the operator's stack of that name. */
export async function stackGraph(stack: string, operator = false): Promise<StackGraph> {
  const run = await runWithMocks(
    stack,
    async () => {
      const { loadStackConfig } = await import("../../../infra/config/load");
      const { declareStack } = await import("../../../infra/stack");
      const { outputs } = declareStack(loadStackConfig(), stack);
      const resolved: Record<string, unknown> = {};
      const secret: string[] = [];
      for (const [k, v] of Object.entries(outputs)) {
        resolved[k] = await valueOf(v);
        if (await pulumi.isSecret(pulumi.output(v))) secret.push(k);
      }
      return { resolved, secret };
    },
    { operator },
  );
  const regs = run.registrations;
  return {
    registrations: regs,
    urns: run.urns,
    outputs: run.result.resolved,
    secretOutputs: run.result.secret.sort(),
    byType: (type) => regs.filter((r) => r.type === type),
    one(type, name) {
      const found = regs.filter((r) => r.type === type && r.name === name);
      if (found.length !== 1)
        throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
      return found[0]!;
    },
    byId: (id) => regs.find((r) => r.id === id),
  };
}

export const T = {
  realm: "keycloak:index/realm:Realm",
  client: "keycloak:openid/client:Client",
  group: "keycloak:index/group:Group",
  groupsMapper: "keycloak:openid/groupMembershipProtocolMapper:GroupMembershipProtocolMapper",
  accessMapper: "keycloak:openid/userClientRoleProtocolMapper:UserClientRoleProtocolMapper",
  role: "keycloak:index/role:Role",
  groupRoles: "keycloak:index/groupRoles:GroupRoles",
  audienceMapper: "keycloak:openid/audienceProtocolMapper:AudienceProtocolMapper",
  propertyMapper: "keycloak:openid/userPropertyProtocolMapper:UserPropertyProtocolMapper",
  subMapper: "keycloak:openid/subProtocolMapper:SubProtocolMapper",
  noteMapper: "keycloak:openid/userSessionNoteProtocolMapper:UserSessionNoteProtocolMapper",
  kcIdp: "keycloak:oidc/identityProvider:IdentityProvider",
  kcIdpMapper: "keycloak:index/customIdentityProviderMapping:CustomIdentityProviderMapping",
  project: "openstack:identity/project:Project",
  osGroup: "openstack:identity/groupV3:GroupV3",
  roleAssignment: "openstack:identity/roleAssignment:RoleAssignment",
  idp: "pulumi-nodejs:dynamic/keystone:IdentityProvider",
  mapping: "pulumi-nodejs:dynamic/keystone:Mapping",
  protocol: "pulumi-nodejs:dynamic/keystone:FederationProtocol",
  domainRelease: "pulumi-nodejs:dynamic/keystone:DomainRelease",
} as const;
