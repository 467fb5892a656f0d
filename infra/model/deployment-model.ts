/**
 * The whole deployment as plain data: what the components declare on each side, with every value
 * both sides must agree on derived once. Pure: built from a validated StackConfig, no Pulumi.
 * `buildModel` assembles named steps: tenancy (Keystone), Keycloak groups, mapped groups, customer
 * realms, the client, the mapping input.
 */
import type { StackConfig } from "../config/schema"; // types only: the model stays Pulumi-free
import { customerRealms, clientMappers, keycloakClient, keycloakGroups } from "./keycloak-side";
import { generateMapping, type MappingInput } from "./mapping/generate";
import * as naming from "../base/naming";
import { deliveryTargets, providerSpecs } from "./providers";
import { mappedGroups, tenancy } from "./tenancy";
import type { DeploymentModel, MappedClaims, RealmSpec, SmokeCheckSpec } from "./types";
import * as urls from "./urls";

export type * from "./types";

/** Step "realm": the proxy realm, with the policy that depends on the environment. */
function realmSpec(cfg: StackConfig): RealmSpec {
  const r = cfg.realm;
  const k = r.signingKey;
  return {
    name: r.name,
    displayName: r.displayName ?? r.name,
    tokens: { ...r.tokens },
    bruteForce: { ...r.bruteForce },
    // http is accepted on loopback only, which only a local stack may use (config/url-rules.ts).
    sslRequired: cfg.environment === "local" ? "none" : "external",
    ...(k
      ? {
          signingKey: {
            name: naming.signingKeyName(r.name, k.algorithm, k.keySize),
            algorithm: k.algorithm,
            keySize: k.keySize,
            priority: k.priority,
          },
        }
      : {}),
  };
}

/** Step "claims": which claims the mapping reads. */
function mappedClaims(cfg: StackConfig): MappedClaims {
  const c = cfg.federation.claims;
  return {
    userId: naming.USER_ID_CLAIM,
    username: c.username,
    ...(c.email !== undefined ? { email: c.email } : {}),
    access: c.access,
  };
}

/** Step "mapping input": everything the generated mapping depends on. */
function mappingInput(
  cfg: StackConfig,
  issuer: string,
  remoteIdAttribute: string,
  groups: MappingInput["groups"],
): MappingInput {
  const cliClientId = cfg.client.cliClientId ?? naming.cliClientId(cfg.client.clientId);
  return {
    issuer,
    clientIds: [cfg.client.clientId, ...(cfg.client.deviceGrant ? [cliClientId] : [])],
    remoteIdAttribute,
    claimPrefix: cfg.federation.claimPrefix,
    claims: mappedClaims(cfg),
    brokerClaim: naming.IDENTITY_PROVIDER_NOTE,
    userType: cfg.federation.userType,
    userDomain: cfg.federation.userDomain,
    denyWithoutGroup: cfg.federation.denyWithoutGroup,
    layout: cfg.federation.ruleLayout,
    groups,
  };
}

/** Step "smoke check": the opt-in login, when enabled with a user and a project. */
function smokeCheck(cfg: StackConfig): SmokeCheckSpec | undefined {
  const s = cfg.smokeCheck;
  if (!s.enabled || s.username === undefined || s.project === undefined) return undefined;
  return {
    username: s.username,
    project: s.project.text,
    // `.invalid` (RFC 2606) never routes mail, nor matches an organization's domain.
    profile: { email: `${s.username}@smoke-check.invalid`, firstName: "Smoke", lastName: "Check" },
    ...(s.createUser && s.group !== undefined
      ? { createUserInGroupKey: naming.keycloakGroupKey(s.group.tenant, s.group.name) }
      : {}),
  };
}

/** Builds the model of one stack. The config must come from `parseStackConfig`. */
export function buildModel(cfg: StackConfig, stack: string): DeploymentModel {
  const realm = cfg.realm.name;
  const issuer = urls.issuerUrl(cfg.keycloak.url, realm);
  const idpId = cfg.federation.idpId ?? naming.defaultIdpId(realm);
  const protocolId = cfg.federation.protocolId;
  const ks = urls.keystoneUrls(cfg.keystone.url, idpId, protocolId);
  const remoteIdAttribute =
    cfg.federation.remoteIdAttribute ?? naming.remoteIdAttributes(cfg.federation.claimPrefix)[0];

  const keystone = tenancy(cfg, idpId);
  const realms = customerRealms(cfg, issuer);
  const mapping = generateMapping(
    mappingInput(cfg, issuer, remoteIdAttribute, mappedGroups(cfg, keystone.groups)),
  );
  const usedRoles = new Set(cfg.access.flatMap((a) => a.grants.map((g) => g.role)));
  const horizonUrls = cfg.horizon.urls;
  const protectByDefault = cfg.environment === "staging" || cfg.environment === "production";
  const smoke = smokeCheck(cfg);
  return {
    stack,
    environment: cfg.environment,
    keycloak: {
      url: cfg.keycloak.url,
      issuer,
      endpoints: urls.realmEndpoints(issuer),
      realm: realmSpec(cfg),
      ...keycloakClient(cfg, ks),
      mappers: clientMappers(cfg),
      groups: keycloakGroups(cfg),
      customerRealms: realms,
      discovery: cfg.realm.discovery,
      organizationsEnabled: realms.length > 0 && cfg.realm.discovery === "organizations",
      ...(realms.length > 0
        ? {
            ...(cfg.realm.discovery === "home-idp-discovery-extension"
              ? { hiddFlowAlias: naming.hiddFlowAlias(realm) }
              : {}),
            firstBrokerLoginFlowAlias: naming.firstBrokerLoginAlias(realm),
          }
        : {}),
    },
    keystone: {
      url: cfg.keystone.url,
      release: cfg.keystone.release,
      urls: ks,
      ...keystone,
      roles: {
        lookup: cfg.roles.existing.filter((r) => usedRoles.has(r)),
        create: cfg.roles.create,
      },
    },
    federation: {
      idpId,
      // kolla-ansible's keystone role writes its IdP's `public_name` here: the same text, so the
      // two never undo each other's writes.
      idpDescription: `Keycloak realm ${cfg.realm.name} (${stack})`,
      idpDomainKey: naming.domainKey(cfg.federation.userDomain),
      remoteIds: [issuer],
      protocolId,
      mappingId: naming.mappingId(idpId, protocolId),
      remoteIdAttribute,
      claimPrefix: cfg.federation.claimPrefix,
      claimDelimiter: naming.CLAIM_DELIMITER,
      userType: cfg.federation.userType,
      claims: mappedClaims(cfg),
      mapping,
      adopt: cfg.federation.adopt,
      ...(cfg.federation.authorizationTtlMinutes !== undefined
        ? { authorizationTtlMinutes: cfg.federation.authorizationTtlMinutes }
        : {}),
    },
    horizon: { urls: horizonUrls, trustedDashboards: horizonUrls.map(urls.trustedDashboard) },
    protection: {
      protect: cfg.protection.protect,
      retainIdpOnDelete: cfg.protection.retainIdpOnDelete ?? protectByDefault,
    },
    ...(cfg.delivery.enabled ? { delivery: { targets: deliveryTargets(cfg) } } : {}),
    providers: providerSpecs(cfg),
    ...(smoke ? { smokeCheck: smoke } : {}),
  };
}
