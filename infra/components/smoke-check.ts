/**
 * Opt-in smoke check, declared after everything else: a local command that logs a Keycloak test
 * user in for real (password grant), exchanges the token at Keystone and scopes it to a project.
 * `pulumi up` fails with the step that broke. Secrets reach it only as secret environment.
 */
import * as command from "@pulumi/command";
import * as keycloak from "@pulumi/keycloak";
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { contentHash } from "../model/delivery";
import type { DeploymentModel } from "../model/deployment-model";
import type { SmokeCheckSpec } from "../model/types";

export interface SmokeCheckArgs {
  /** The stack's model (required). */
  model: DeploymentModel;
  /** Keycloak test user (required). */
  username: string;
  /** Its password (secret, required). */
  password: pulumi.Input<string>;
  /** The Keystone client's secret (secret; confidential clients). */
  clientSecret?: pulumi.Input<string>;
  /** `<tenant>/<project>` to scope to (required). */
  project: string;
  /** Create the test user in this realm and Keycloak group, with this profile, first (local/test stacks). */
  createUser?: {
    realmId: pulumi.Input<string>;
    groupId: pulumi.Input<string>;
    profile: SmokeCheckSpec["profile"];
  };
}

export class SmokeCheck extends pulumi.ComponentResource {
  readonly check: command.local.Command;

  constructor(name: string, args: SmokeCheckArgs, opts?: pulumi.ComponentResourceOptions) {
    super("okf:check:SmokeCheck", name, {}, opts);
    const m = args.model;
    const environment = pulumi.secret(
      pulumi.all([args.password, args.clientSecret ?? ""]).apply(([password, clientSecret]) => ({
        OKF_TOKEN_URL: m.keycloak.endpoints.token,
        OKF_CLIENT_ID: m.keycloak.client.clientId,
        OKF_USERNAME: args.username,
        OKF_PASSWORD: password,
        OKF_KEYSTONE_AUTH_URL: m.keystone.urls.cliAuth,
        OKF_KEYSTONE_V3: m.keystone.urls.v3,
        OKF_PROJECT: args.project,
        ...(clientSecret ? { OKF_CLIENT_SECRET: clientSecret } : {}),
      })),
    );
    let user: keycloak.UserGroups | undefined;
    if (args.createUser) {
      const u = new keycloak.User(
        `${name}-user`,
        {
          realmId: args.createUser.realmId,
          username: args.username,
          enabled: true,
          ...args.createUser.profile,
          emailVerified: true,
          initialPassword: { value: args.password, temporary: false },
        },
        { parent: this },
      );
      user = new keycloak.UserGroups(
        `${name}-user-groups`,
        {
          realmId: args.createUser.realmId,
          userId: u.id,
          groupIds: [args.createUser.groupId],
          exhaustive: true,
        },
        { parent: this },
      );
    }
    this.check = new command.local.Command(
      `${name}-login`,
      {
        create: `"${process.execPath}" "${join(__dirname, "smoke-login.cjs")}"`,
        environment,
        // Re-run whenever what the login depends on changes: the mapping, the client, the URLs.
        triggers: [
          contentHash(
            JSON.stringify([
              m.federation.mapping,
              m.keycloak.client,
              m.keystone.urls,
              args.username,
              args.project,
            ]),
          ),
        ],
      },
      { parent: this, ...(user ? { dependsOn: [user] } : {}) },
    );
    this.registerOutputs({ check: this.check });
  }
}
