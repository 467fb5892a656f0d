/**
 * The shape of the federation model: plain data the components declare on each side. Built by
 * `buildModel` (deployment-model.ts) from a validated configuration.
 */
import type { Environment } from "../config/schema"; // types only: the model stays Pulumi-free
import type { MappingDocument } from "./mapping/types";
import type { DeliveryTargetSpec, ProviderSpecs } from "./provider-types";

export type * from "./provider-types";
import type * as urls from "./urls";

/** A protocol mapper on the Keystone client; every one targets ID token, access token and userinfo. */
export type ClientMapper =
  | { kind: "accessRoles"; name: string; claimName: string; roleClientId: string }
  | { kind: "audience"; name: string; includedClientAudience: string }
  | { kind: "userProperty"; name: string; claimName: string; userProperty: string }
  | { kind: "sub"; name: string }
  | { kind: "sessionNote"; name: string; claimName: string; sessionNote: string };

/** The claims the mapping reads (mod_auth_openidc hands each over with the claim prefix). */
export interface MappedClaims {
  /** Becomes the Keystone user id: always `sub`. */
  readonly userId: string;
  readonly username: string;
  readonly email?: string;
  /** Carries the access roles. */
  readonly access: string;
}

export interface KeycloakGroupSpec {
  /** Stable key, also the Pulumi logical-name suffix. */
  readonly key: string;
  readonly name: string;
  readonly path: string;
  readonly parentKey?: string;
  /** For an access group: the client role of the Keystone client its members get (and the token carries). */
  readonly accessRole?: {
    readonly key: string;
    readonly name: string;
    readonly description: string;
  };
}

/** Login-failure protection of a realm (temporary lockouts only). */
export interface BruteForcePolicy {
  readonly maxLoginFailures: number;
  readonly waitIncrementSeconds: number;
  readonly maxFailureWaitSeconds: number;
  readonly failureResetTimeSeconds: number;
  readonly quickLoginCheckMilliSeconds: number;
  readonly minimumQuickLoginWaitSeconds: number;
}

/** The proxy realm as declared: names, lifetimes (seconds), protection and transport policy. */
export interface RealmSpec {
  readonly name: string;
  readonly displayName: string;
  readonly tokens: {
    readonly accessToken: number;
    readonly ssoSessionIdle: number;
    readonly ssoSessionMax: number;
    readonly deviceCode: number;
    readonly offlineSessionIdle: number;
    readonly offlineSessionMax: number;
  };
  readonly bruteForce: BruteForcePolicy;
  /** Keycloak's `sslRequired`: `none` only on a local stack (http on loopback), else `external`. */
  readonly sslRequired: "none" | "external";
  /** A dedicated generated signing key, when declared. */
  readonly signingKey?: {
    readonly name: string;
    readonly algorithm: string;
    readonly keySize: number;
    readonly priority: number;
  };
}

export interface CustomerRealmSpec {
  readonly name: string;
  /** The same protection as the proxy realm's. */
  readonly bruteForce: BruteForcePolicy;
  readonly displayName: string;
  readonly issuer: string;
  readonly endpoints: ReturnType<typeof urls.realmEndpoints>;
  readonly emailDomains: readonly string[];
  /** Broker client in the customer realm that the proxy realm logs in with. */
  readonly brokerClientId: string;
  readonly brokerRedirectUri: string;
  /**
   * With Organizations discovery: the proxy realm's organization for this customer realm, whose
   * domains send a user typing such an e-mail address to this realm's identity provider. Domains
   * as Keycloak stores them (lower case, sorted), so a plan after an update shows no change.
   */
  readonly organization?: {
    readonly alias: string;
    readonly name: string;
    readonly description: string;
    readonly domains: readonly string[];
    /** The identity provider's organization domain: the one domain, or `ANY` of the organization's. */
    readonly idpDomain: string;
  };
  /** With the extension: the `##`-joined domains of its `home.idp.discovery.domains` setting. */
  readonly hiddDomains?: string;
  /** Groups in the customer realm (bare names) and the proxy-realm group path each maps to. */
  readonly groups: readonly {
    readonly name: string;
    readonly claimValue: string;
    readonly proxyGroupPath: string;
    readonly proxyGroupKey: string;
  }[];
}

export interface KeystoneDomainSpec {
  readonly key: string;
  readonly name: string;
  readonly description: string;
}

export interface KeystoneProjectSpec {
  readonly key: string;
  readonly domainKey: string;
  readonly name: string;
  readonly description: string;
}

export interface KeystoneGroupSpec {
  readonly key: string;
  readonly domainKey: string;
  readonly name: string;
  readonly description: string;
  /** The access role (a value of the access claim) that puts a user in this group. */
  readonly claimValue: string;
  /** The access rule as reviewers read it: `<tenant>/<group>`. */
  readonly accessGroup: string;
}

export interface GrantSpec {
  readonly key: string;
  readonly groupKey: string;
  readonly role: string;
  readonly target: { readonly projectKey: string } | { readonly domainKey: string };
}

export interface DeploymentModel {
  readonly stack: string;
  readonly environment: Environment;
  readonly keycloak: {
    readonly url: string;
    readonly issuer: string;
    readonly endpoints: ReturnType<typeof urls.realmEndpoints>;
    readonly realm: RealmSpec;
    readonly client: {
      readonly clientId: string;
      readonly accessType: "CONFIDENTIAL" | "PUBLIC";
      readonly implicitFlow: boolean;
      readonly directAccessGrants: boolean;
      readonly deviceGrant: boolean;
      readonly pkceMethod: "S256";
      readonly redirectUris: readonly string[];
      readonly postLogoutRedirectUris: readonly string[];
      readonly webOrigins: readonly string[];
      readonly backchannelLogoutUrl: string;
    };
    /**
     * The public client the OpenStack CLI uses for the device authorization grant (PKCE S256, no
     * secret, no browser flows), when `client.deviceGrant` is on. The mapping accepts it as `azp`.
     */
    readonly cliClient?: {
      readonly clientId: string;
      readonly pkceMethod: "S256";
      /** Optional scopes the CLI may ask for: `offline_access` only when declared, else none. */
      readonly optionalScopes: readonly string[];
    };
    readonly mappers: readonly ClientMapper[];
    readonly groups: readonly KeycloakGroupSpec[];
    readonly customerRealms: readonly CustomerRealmSpec[];
    /** How the proxy realm's login finds a user's customer realm (`realm.discovery`). */
    readonly discovery: "organizations" | "home-idp-discovery-extension";
    /** The proxy realm's Organizations switch: on when customer realms are found by organization. */
    readonly organizationsEnabled: boolean;
    /** The extension's browser flow, only with `home-idp-discovery-extension`. */
    readonly hiddFlowAlias?: string;
    /**
     * First-broker-login flow of the customer realms' identity providers: it creates the brokered
     * user if no user has that username or e-mail, and otherwise refuses. Keycloak's default flow
     * offers to link the brokered identity to the existing proxy-realm account instead, which a
     * customer-realm admin could aim at any proxy-realm user by choosing the e-mail.
     */
    readonly firstBrokerLoginFlowAlias?: string;
  };
  readonly keystone: {
    readonly url: string;
    /** Major version of the deployed Keystone (`keystone.release`). */
    readonly release: number;
    readonly urls: urls.KeystoneUrls;
    readonly domains: readonly KeystoneDomainSpec[];
    readonly projects: readonly KeystoneProjectSpec[];
    readonly groups: readonly KeystoneGroupSpec[];
    readonly roles: { readonly lookup: readonly string[]; readonly create: readonly string[] };
    readonly grants: readonly GrantSpec[];
  };
  readonly federation: {
    readonly idpId: string;
    /** The identity provider's description (also kolla-ansible's `public_name`). */
    readonly idpDescription: string;
    readonly idpDomainKey: string;
    readonly remoteIds: readonly string[];
    readonly protocolId: string;
    readonly mappingId: string;
    readonly remoteIdAttribute: string;
    readonly claimPrefix: string;
    readonly claimDelimiter: string;
    readonly userType: "ephemeral" | "local";
    readonly claims: MappedClaims;
    readonly mapping: MappingDocument;
    /** Take over existing Keystone objects (migration). */
    readonly adopt: boolean;
    /** `[federation] default_authorization_ttl` in minutes, when configured. */
    readonly authorizationTtlMinutes?: number;
  };
  readonly horizon: {
    readonly urls: readonly string[];
    readonly trustedDashboards: readonly string[];
  };
  readonly protection: { readonly protect: boolean; readonly retainIdpOnDelete: boolean };
  /** Delivery of the rendered host files, when enabled: where each file goes is `filesFor(target)`. */
  readonly delivery?: { readonly targets: readonly DeliveryTargetSpec[] };
  /** How Pulumi reaches Keycloak and Keystone; the secret parts are named, never held. */
  readonly providers: ProviderSpecs;
  /** The opt-in login after each update, when enabled and complete. */
  readonly smokeCheck?: SmokeCheckSpec;
}

export interface SmokeCheckSpec {
  /** Keycloak test user; its password is the `smokeCheckPassword` secret. */
  readonly username: string;
  /** `<tenant>/<project>` the token is scoped to. */
  readonly project: string;
  /** Create the test user first, in the Keycloak group with this model key. */
  readonly createUserInGroupKey?: string;
  /**
   * The created user's profile. Keycloak 26's default user profile requires e-mail, first and last
   * name; a user without them is refused a token ("Account is not fully set up").
   */
  readonly profile: {
    readonly email: string;
    readonly firstName: string;
    readonly lastName: string;
  };
}
