/**
 * What makes a protected stack's `pulumi destroy` delete nothing. Protection on the long-lived
 * objects (realm, client, groups, domains, projects, IdP, mapping, protocol) stops the engine when
 * it reaches them, but it deletes dependents first: the grants and protocol mappers, which stay
 * unprotected so that reviewed changes can remove them, would be gone by then. This protected
 * component depends on every federation component, so a destroy must delete it before anything
 * else, and it refuses: nothing is deleted. Every stack declares it (protected or not), so updates
 * never delete it, and turning protection off is an update of its flag.
 */
import * as pulumi from "@pulumi/pulumi";

export interface StackProtectionArgs {
  /** The components whose every child a destroy must not reach (required). */
  guards: pulumi.Resource[];
  /** The stack's protection policy: when false this component guards nothing. */
  protect: boolean;
}

export class StackProtection extends pulumi.ComponentResource {
  constructor(name: string, args: StackProtectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "okf:stack:Protection",
      name,
      {},
      { ...opts, protect: args.protect, dependsOn: args.guards },
    );
    this.registerOutputs({});
  }
}
