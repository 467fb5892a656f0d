/**
 * Home-IdP-discovery browser flow for the proxy realm (needs the keycloak-home-idp-discovery
 * extension on the Keycloak server). Layout:
 *   cookie (ALTERNATIVE)
 *   forms (ALTERNATIVE)
 *     username form (REQUIRED)
 *     idp-or-password (REQUIRED)
 *       home-idp-discovery (ALTERNATIVE)  -> redirects users whose e-mail domain a broker claims
 *       password form (ALTERNATIVE)        -> everyone else signs in to the proxy realm directly
 * Then the realm's browser flow is bound to it.
 */
import * as keycloak from "@pulumi/keycloak";
import * as pulumi from "@pulumi/pulumi";

export interface KeycloakHiddFlowArgs {
  /** Realm id of the proxy realm (required). */
  realmId: pulumi.Input<string>;
  /** Realm name, for the binding (required). */
  realmName: pulumi.Input<string>;
  /** Flow alias, derived in the naming module (required). */
  alias: string;
}

export class KeycloakHiddFlow extends pulumi.ComponentResource {
  readonly flow: keycloak.authentication.Flow;

  constructor(name: string, args: KeycloakHiddFlowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("okf:keycloak:HiddFlow", name, {}, opts);
    const parent = { parent: this };
    const realmId = args.realmId;
    this.flow = new keycloak.authentication.Flow(
      `${name}-flow`,
      { realmId, alias: args.alias, description: "Browser login with home-IdP-discovery" },
      parent,
    );
    const top = this.flow.alias;
    const cookie = new keycloak.authentication.Execution(
      `${name}-cookie`,
      {
        realmId,
        parentFlowAlias: top,
        authenticator: "auth-cookie",
        requirement: "ALTERNATIVE",
        priority: 10,
      },
      parent,
    );
    const forms = new keycloak.authentication.Subflow(
      `${name}-forms`,
      {
        realmId,
        parentFlowAlias: top,
        alias: `${args.alias}-forms`,
        requirement: "ALTERNATIVE",
        priority: 20,
      },
      { parent: this, dependsOn: [cookie] },
    );
    const username = new keycloak.authentication.Execution(
      `${name}-username`,
      {
        realmId,
        parentFlowAlias: forms.alias,
        authenticator: "auth-username-form",
        requirement: "REQUIRED",
        priority: 10,
      },
      parent,
    );
    const choice = new keycloak.authentication.Subflow(
      `${name}-idp-or-password`,
      {
        realmId,
        parentFlowAlias: forms.alias,
        alias: `${args.alias}-idp-or-password`,
        requirement: "REQUIRED",
        priority: 20,
      },
      { parent: this, dependsOn: [username] },
    );
    const hidd = new keycloak.authentication.Execution(
      `${name}-discovery`,
      {
        realmId,
        parentFlowAlias: choice.alias,
        authenticator: "home-idp-discovery",
        requirement: "ALTERNATIVE",
        priority: 10,
      },
      parent,
    );
    const password = new keycloak.authentication.Execution(
      `${name}-password`,
      {
        realmId,
        parentFlowAlias: choice.alias,
        authenticator: "auth-password-form",
        requirement: "ALTERNATIVE",
        priority: 20,
      },
      { parent: this, dependsOn: [hidd] },
    );
    new keycloak.authentication.Bindings(
      `${name}-binding`,
      { realmId, browserFlow: this.flow.alias },
      { parent: this, dependsOn: [password] },
    );
    this.registerOutputs({ flow: this.flow });
  }
}
