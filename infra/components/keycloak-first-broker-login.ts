/**
 * The first-broker-login flow of the customer realms' identity providers: create the brokered user
 * if no user has that username or e-mail, and otherwise refuse; never link to an existing account
 * (Keycloak's default flow offers that link, which a customer-realm admin could aim at any
 * proxy-realm user by choosing the e-mail). With Organizations, Keycloak's own onboarding step then
 * makes the new user a member of the organization its identity provider belongs to.
 * Declared in the Federation component (no component of its own, so the URNs stay as they were).
 */
import * as keycloak from "@pulumi/keycloak";
import type * as pulumi from "@pulumi/pulumi";

export interface FirstBrokerLoginFlowArgs {
  /** Realm id of the proxy realm (required). */
  realmId: pulumi.Input<string>;
  /** Flow alias, derived in the naming module (required). */
  alias: string;
  /** Add the organization-membership step (the proxy realm has Organizations on). */
  organizations: boolean;
  /** Parent and protection of the declared resources (required). */
  child: pulumi.CustomResourceOptions;
}

/** Declares the flow; returns its create-user step, whose `parentFlowAlias` is the flow's alias. */
export function declareFirstBrokerLoginFlow(
  name: string,
  args: FirstBrokerLoginFlowArgs,
): keycloak.authentication.Execution {
  const { realmId, child } = args;
  const flow = new keycloak.authentication.Flow(
    `${name}-first-broker-login`,
    {
      realmId,
      alias: args.alias,
      description: "First broker login: create the user if unique, never link",
    },
    child,
  );
  const create = new keycloak.authentication.Execution(
    `${name}-first-broker-login-create`,
    {
      realmId,
      parentFlowAlias: flow.alias,
      authenticator: "idp-create-user-if-unique",
      requirement: "REQUIRED",
      priority: 10,
    },
    child,
  );
  if (args.organizations) {
    const onboard = new keycloak.authentication.Subflow(
      `${name}-first-broker-login-organization`,
      {
        realmId,
        parentFlowAlias: flow.alias,
        alias: `${args.alias}-organization`,
        requirement: "CONDITIONAL",
        priority: 20,
      },
      { ...child, dependsOn: [create] },
    );
    const configured = new keycloak.authentication.Execution(
      `${name}-first-broker-login-organization-condition`,
      {
        realmId,
        parentFlowAlias: onboard.alias,
        authenticator: "conditional-user-configured",
        requirement: "REQUIRED",
        priority: 10,
      },
      child,
    );
    new keycloak.authentication.Execution(
      `${name}-first-broker-login-organization-member`,
      {
        realmId,
        parentFlowAlias: onboard.alias,
        authenticator: "idp-add-organization-member",
        requirement: "REQUIRED",
        priority: 20,
      },
      { ...child, dependsOn: [configured] },
    );
  }
  return create;
}
