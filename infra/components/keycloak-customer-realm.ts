/**
 * One customer realm brokered into the proxy realm (the SCS layout): the customer realm with a
 * broker client, the OIDC identity provider in the proxy realm that logs in through it (PKCE S256,
 * signature validation), how the proxy realm's login finds it from the e-mail domain (an
 * organization with those domains and the provider linked to it, redirecting on an e-mail match; or
 * the home-IdP-discovery extension's domain list), and mappers that put a brokered user into exactly
 * the proxy-realm groups of the tenant bound to this realm.
 */
import * as keycloak from "@pulumi/keycloak";
import * as pulumi from "@pulumi/pulumi";
import type { CustomerRealmSpec } from "../model/deployment-model";
import { securityDefenses } from "./keycloak-realm-settings";

export interface KeycloakCustomerRealmArgs {
  /** The customer realm's derived spec (required). */
  spec: CustomerRealmSpec;
  /** Keycloak base URL (required). */
  keycloakUrl: string;
  /** Name of the proxy realm the broker lives in (required). */
  proxyRealm: pulumi.Input<string>;
  /** Proxy-realm groups by model key, so mappers depend on the groups they target (required). */
  proxyGroupPaths: Readonly<Record<string, keycloak.Group>>;
  /** Mark resources `protect: true`. Default false. */
  protect?: boolean;
  /** Alias of the first-broker-login flow that never links accounts (required with customer realms). */
  firstBrokerLoginFlowAlias?: pulumi.Input<string>;
}

export class KeycloakCustomerRealm extends pulumi.ComponentResource {
  readonly realm: keycloak.Realm;
  readonly brokerClient: keycloak.openid.Client;
  readonly identityProvider: keycloak.oidc.IdentityProvider;
  /** The proxy realm's organization for this customer realm (Organizations discovery only). */
  readonly organization?: keycloak.Organization;

  constructor(
    name: string,
    args: KeycloakCustomerRealmArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("okf:keycloak:CustomerRealm", name, {}, opts);
    const s = args.spec;
    const child = { parent: this, protect: args.protect ?? false };

    this.realm = new keycloak.Realm(
      `${name}-realm`,
      {
        realm: s.name,
        enabled: true,
        displayName: s.displayName,
        securityDefenses: securityDefenses(s.bruteForce),
      },
      child,
    );
    this.brokerClient = new keycloak.openid.Client(
      `${name}-broker-client`,
      {
        realmId: this.realm.id,
        clientId: s.brokerClientId,
        name: "OpenStack proxy realm broker",
        accessType: "CONFIDENTIAL",
        standardFlowEnabled: true,
        pkceCodeChallengeMethod: "S256",
        implicitFlowEnabled: false,
        directAccessGrantsEnabled: false,
        validRedirectUris: [s.brokerRedirectUri],
      },
      { ...child, additionalSecretOutputs: ["clientSecret"] },
    );
    new keycloak.openid.GroupMembershipProtocolMapper(
      `${name}-broker-groups`,
      {
        realmId: this.realm.id,
        clientId: this.brokerClient.id,
        name: "groups",
        claimName: "groups",
        fullPath: true,
        addToIdToken: true,
        addToAccessToken: true,
        addToUserinfo: true,
      },
      { parent: this },
    );
    for (const g of s.groups) {
      new keycloak.Group(
        `${name}-group-${g.name}`,
        { realmId: this.realm.id, name: g.name },
        child,
      );
    }

    const org = s.organization;
    if (org) {
      this.organization = new keycloak.Organization(
        `${name}-organization`,
        {
          realm: args.proxyRealm,
          alias: org.alias,
          name: org.name,
          description: org.description,
          enabled: true,
          // Not verified: Keycloak would then treat every proxy-realm user with such an address as
          // the organization's, and nothing here proves who owns the domain.
          domains: org.domains.map((d) => ({ name: d, verified: false })),
        },
        child,
      );
    }

    this.identityProvider = new keycloak.oidc.IdentityProvider(
      `${name}-idp`,
      {
        realm: args.proxyRealm,
        alias: s.name,
        displayName: s.displayName,
        issuer: s.issuer,
        authorizationUrl: s.endpoints.authorization,
        tokenUrl: s.endpoints.token,
        userInfoUrl: s.endpoints.userinfo,
        jwksUrl: s.endpoints.jwks,
        logoutUrl: s.endpoints.endSession,
        clientId: s.brokerClientId,
        clientSecret: this.brokerClient.clientSecret,
        validateSignature: true,
        backchannelSupported: true,
        syncMode: "FORCE",
        trustEmail: false,
        ...(args.firstBrokerLoginFlowAlias !== undefined
          ? { firstBrokerLoginFlowAlias: args.firstBrokerLoginFlowAlias }
          : {}),
        defaultScopes: "openid profile email",
        ...(this.organization && org
          ? {
              organizationId: this.organization.id,
              orgDomain: org.idpDomain,
              orgRedirectModeEmailMatches: true,
              // Found by e-mail domain only: the proxy realm's login page lists no customer.
              hideOnLoginPage: true,
            }
          : {}),
        extraConfig: {
          pkceEnabled: "true",
          pkceMethod: "S256",
          ...(s.hiddDomains !== undefined ? { "home.idp.discovery.domains": s.hiddDomains } : {}),
        },
      },
      child,
    );

    for (const g of s.groups) {
      const target = args.proxyGroupPaths[g.proxyGroupKey];
      new keycloak.CustomIdentityProviderMapping(
        `${name}-idp-group-${g.name}`,
        {
          realm: args.proxyRealm,
          identityProviderAlias: this.identityProvider.alias,
          identityProviderMapper: "oidc-advanced-group-idp-mapper",
          name: `group ${g.name}`,
          extraConfig: {
            syncMode: "FORCE",
            claims: JSON.stringify([{ key: "groups", value: g.claimValue }]),
            "are.claim.values.regex": "false",
            group: g.proxyGroupPath,
          },
        },
        { parent: this, ...(target ? { dependsOn: [target] } : {}) },
      );
    }
    this.registerOutputs({
      realm: this.realm,
      organization: this.organization,
      brokerClient: this.brokerClient,
      identityProvider: this.identityProvider,
    });
  }
}
