/**
 * Keycloak side: the proxy realm, the OIDC client Keystone uses, its protocol mappers and the
 * groups the access rules name. Wiring only: every value comes from the DeploymentModel.
 */
import * as keycloak from "@pulumi/keycloak";
import * as pulumi from "@pulumi/pulumi";
import type { DeploymentModel } from "../model/deployment-model";
import { declareClientMapper } from "./keycloak-client-mappers";
import { KeycloakCustomerRealm } from "./keycloak-customer-realm";
import { declareFirstBrokerLoginFlow } from "./keycloak-first-broker-login";
import { KeycloakHiddFlow } from "./keycloak-hidd-flow";
import { duration, securityDefenses } from "./keycloak-realm-settings";

export interface KeycloakSideArgs {
  /** The derived federation model of this stack (required). */
  model: DeploymentModel;
  /** Fixed secret for the Keystone client; when omitted Keycloak generates one. Never plain text. */
  clientSecret?: pulumi.Input<string>;
  /** Mark the realm and client `protect: true` (from the model's protection policy). Default false. */
  protect?: boolean;
}

export class KeycloakSide extends pulumi.ComponentResource {
  readonly realm: keycloak.Realm;
  readonly client: keycloak.openid.Client;
  /** The public CLI client (device grant, PKCE S256), when the model declares one. */
  readonly cliClient?: keycloak.openid.Client;
  readonly groups: Readonly<Record<string, keycloak.Group>>;
  /** The Keystone client's access roles, by model key: what the mapping matches. */
  readonly accessRoles: Readonly<Record<string, keycloak.Role>>;
  /** Each access group's assignment of its access role. */
  readonly accessGrants: readonly keycloak.GroupRoles[];
  readonly customerRealms: readonly KeycloakCustomerRealm[];
  /** The Keystone client's secret (secret output; empty for a public client). */
  readonly clientSecret: pulumi.Output<string>;

  constructor(name: string, args: KeycloakSideArgs, opts?: pulumi.ComponentResourceOptions) {
    // The type token predates the name (the Keycloak side was once called its "federation"):
    // it is part of every URN in every stack's state, so it stays.
    super("okf:keycloak:Federation", name, {}, opts);
    const kc = args.model.keycloak;
    const child = { parent: this, protect: args.protect ?? false };
    this.realm = declareRealm(name, kc, child);
    const realmId = this.realm.id;
    const clients = declareClients(name, kc, realmId, args.clientSecret, child);
    this.client = clients.client;
    if (clients.cliClient) this.cliClient = clients.cliClient;
    this.clientSecret = pulumi.secret(this.client.clientSecret);
    const groups = declareGroups(name, kc, realmId, this.client.id, child);
    this.groups = groups.groups;
    this.accessRoles = groups.accessRoles;
    this.accessGrants = groups.accessGrants;
    this.customerRealms = this.declareCustomerRealms(name, kc, realmId, args.protect ?? false);
    // The realm and clients only: a reference to each group, role and grant would be copied into
    // the state the engine writes after every step (the fields above are the program's).
    this.registerOutputs({
      realm: this.realm,
      client: this.client,
      cliClient: this.cliClient,
      clientSecret: this.clientSecret,
    });
  }

  /**
   * Step "customer realms": the first-broker-login flow that never links, each brokered realm, and
   * the extension's discovery flow when that is how users find their realm.
   */
  private declareCustomerRealms(
    name: string,
    kc: Kc,
    realmId: pulumi.Output<string>,
    protect: boolean,
  ): KeycloakCustomerRealm[] {
    const child = { parent: this, protect };
    const firstBrokerLogin =
      kc.firstBrokerLoginFlowAlias !== undefined
        ? declareFirstBrokerLoginFlow(name, {
            realmId,
            alias: kc.firstBrokerLoginFlowAlias,
            organizations: kc.organizationsEnabled,
            child,
          })
        : undefined;
    const customerRealms = kc.customerRealms.map(
      (cr) =>
        new KeycloakCustomerRealm(
          `${name}-customer-${cr.name}`,
          {
            spec: cr,
            keycloakUrl: kc.url,
            proxyRealm: this.realm.realm,
            proxyGroupPaths: this.groups,
            protect,
            ...(firstBrokerLogin
              ? { firstBrokerLoginFlowAlias: firstBrokerLogin.parentFlowAlias }
              : {}),
          },
          { parent: this },
        ),
    );
    if (kc.hiddFlowAlias !== undefined) {
      new KeycloakHiddFlow(
        `${name}-hidd`,
        { realmId, realmName: this.realm.realm, alias: kc.hiddFlowAlias },
        {
          parent: this,
          dependsOn: [...customerRealms], // no data edge: the flow only routes to brokers that must exist
        },
      );
    }
    return customerRealms;
  }
}

type Kc = DeploymentModel["keycloak"];
type Child = { parent: pulumi.Resource; protect: boolean };

/** Step "realm": the proxy realm with its lifetimes, protection and, when declared, a signing key. */
function declareRealm(name: string, kc: Kc, child: Child): keycloak.Realm {
  const realm = new keycloak.Realm(
    `${name}-realm`,
    {
      realm: kc.realm.name,
      enabled: true,
      displayName: kc.realm.displayName,
      accessTokenLifespan: duration(kc.realm.tokens.accessToken),
      ssoSessionIdleTimeout: duration(kc.realm.tokens.ssoSessionIdle),
      ssoSessionMaxLifespan: duration(kc.realm.tokens.ssoSessionMax),
      // Offline tokens (only the CLI client may ask for one, when declared) end for sure.
      offlineSessionIdleTimeout: duration(kc.realm.tokens.offlineSessionIdle),
      offlineSessionMaxLifespanEnabled: true,
      offlineSessionMaxLifespan: duration(kc.realm.tokens.offlineSessionMax),
      sslRequired: kc.realm.sslRequired,
      // Only ever set to true: the provider leaves a false value out, so it could not turn it off.
      ...(kc.organizationsEnabled ? { organizationsEnabled: true } : {}),
      securityDefenses: securityDefenses(kc.realm.bruteForce),
    },
    child,
  );
  if (kc.realm.signingKey) {
    const k = kc.realm.signingKey;
    new keycloak.RealmKeystoreRsaGenerated(
      `${name}-signing-key`,
      {
        realmId: realm.id,
        name: k.name,
        algorithm: k.algorithm,
        keySize: k.keySize,
        priority: k.priority,
        active: true,
        enabled: true,
      },
      child,
    );
  }
  return realm;
}

/** Step "clients": the Keystone client, the public CLI client, and their protocol mappers. */
function declareClients(
  name: string,
  kc: Kc,
  realmId: pulumi.Input<string>,
  clientSecret: pulumi.Input<string> | undefined,
  child: Child,
): { client: keycloak.openid.Client; cliClient?: keycloak.openid.Client } {
  const c = kc.client;
  const client = new keycloak.openid.Client(
    `${name}-client`,
    {
      realmId,
      clientId: c.clientId,
      name: "OpenStack Keystone",
      accessType: c.accessType,
      standardFlowEnabled: true,
      pkceCodeChallengeMethod: c.pkceMethod,
      implicitFlowEnabled: c.implicitFlow,
      directAccessGrantsEnabled: c.directAccessGrants,
      serviceAccountsEnabled: false,
      oauth2DeviceAuthorizationGrantEnabled: c.deviceGrant,
      validRedirectUris: [...c.redirectUris],
      validPostLogoutRedirectUris: [...c.postLogoutRedirectUris],
      webOrigins: [...c.webOrigins],
      backchannelLogoutUrl: c.backchannelLogoutUrl,
      backchannelLogoutSessionRequired: true,
      frontchannelLogoutEnabled: false,
      ...(clientSecret !== undefined && c.accessType === "CONFIDENTIAL" ? { clientSecret } : {}),
    },
    { ...child, additionalSecretOutputs: ["clientSecret"] },
  );
  for (const mapper of kc.mappers)
    declareClientMapper(`${name}-mapper`, mapper, realmId, client.id, { parent: child.parent });

  let cliClient: keycloak.openid.Client | undefined;
  if (kc.cliClient) {
    // The OpenStack CLI's client: public (no secret to hand out), device grant with PKCE S256 only.
    // Every flag is set: the provider sends unset flags as false, and Keycloak then rejects nothing
    // but stores whatever it got (docs/keycloak-behaviour.md item 2).
    cliClient = new keycloak.openid.Client(
      `${name}-cli-client`,
      {
        realmId,
        clientId: kc.cliClient.clientId,
        name: "OpenStack CLI",
        accessType: "PUBLIC",
        standardFlowEnabled: false,
        implicitFlowEnabled: false,
        directAccessGrantsEnabled: false,
        serviceAccountsEnabled: false,
        frontchannelLogoutEnabled: false,
        pkceCodeChallengeMethod: kc.cliClient.pkceMethod,
        oauth2DeviceAuthorizationGrantEnabled: true,
        // A client attribute the provider passes through as it is: seconds, not a Go duration
        // ("600s" is stored verbatim, and Keycloak then fails every device request with HTTP 500).
        oauth2DeviceCodeLifespan: String(kc.realm.tokens.deviceCode),
      },
      child,
    );
    // Replaces the realm's default optional scopes: without `offline_access` the CLI cannot mint
    // a token that outlives logout; without `microprofile-jwt` no realm roles land in `groups`.
    new keycloak.openid.ClientOptionalScopes(
      `${name}-cli-optional-scopes`,
      {
        realmId,
        clientId: cliClient.id,
        optionalScopes: [...kc.cliClient.optionalScopes],
      },
      child,
    );
    for (const mapper of kc.mappers)
      declareClientMapper(`${name}-cli-mapper`, mapper, realmId, cliClient.id, {
        parent: child.parent,
      });
  }
  return { client, ...(cliClient ? { cliClient } : {}) };
}

/**
 * Step "groups and access roles": the group tree, and for each access group the Keystone client's
 * role that grants its access, assigned to it.
 */
function declareGroups(
  name: string,
  kc: Kc,
  realmId: pulumi.Input<string>,
  clientId: pulumi.Input<string>,
  child: Child,
): {
  groups: Record<string, keycloak.Group>;
  accessRoles: Record<string, keycloak.Role>;
  accessGrants: keycloak.GroupRoles[];
} {
  const groups: Record<string, keycloak.Group> = {};
  const accessRoles: Record<string, keycloak.Role> = {};
  const grants: keycloak.GroupRoles[] = [];
  for (const g of kc.groups) {
    const parent = g.parentKey !== undefined ? groups[g.parentKey] : undefined;
    const group = new keycloak.Group(
      `${name}-${g.key}`,
      {
        realmId,
        name: g.name,
        ...(parent ? { parentId: parent.id } : {}),
      },
      child,
    );
    groups[g.key] = group;
    if (g.accessRole) {
      // Access rides on this client role, never on the group's name or path: a group creator
      // can choose names, but only the stack declares the Keystone client's roles.
      const role = new keycloak.Role(
        `${name}-${g.accessRole.key}`,
        {
          realmId,
          clientId: clientId,
          name: g.accessRole.name,
          description: g.accessRole.description,
        },
        child,
      );
      accessRoles[g.accessRole.key] = role;
      // Not exhaustive: other roles an admin gives the group stay; this one is restored on drift.
      grants.push(
        new keycloak.GroupRoles(
          `${name}-${g.key}-access`,
          { realmId, groupId: group.id, roleIds: [role.id], exhaustive: false },
          child,
        ),
      );
    }
  }
  return { groups, accessRoles, accessGrants: grants };
}
