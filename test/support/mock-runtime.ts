/**
 * Runs a stack's program under Pulumi's mock runtime and records every registration. Mocked calls
 * throw on anything they do not know, so a new invoke cannot pass unnoticed.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT_NAMESPACE as PROJECT } from "../../infra/stack-files/stack-file";
import { readFixture, readOperatorStack } from "./stack-files";

export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly provider?: string;
  readonly custom: boolean;
  readonly id: string;
}

export interface Invocation {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
  readonly provider?: string;
}

const runtimeSettings = require("@pulumi/pulumi/runtime/settings") as {
  waitForRPCs(): Promise<void>;
  getMonitor(): unknown;
};

/** The two members of the mock monitor that URN recording relies on. */
interface MockMonitorUrns {
  newUrn(parent: string | undefined, type: string, name: string): string;
  getRegisteredResources(): Map<string, unknown>;
}

/** Resolves an Output's value (never call in preview mode for unknowns). */
export function valueOf<T>(output: pulumi.Output<T> | pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) =>
    pulumi.output(output).apply((v) => {
      resolve(v as T);
      return v;
    }),
  );
}

export interface MockRun<T> {
  readonly registrations: Registration[];
  /** Every resource's URN as the real engine forms it (the full chain of parent types). */
  readonly urns: string[];
  readonly invocations: Invocation[];
  readonly result: T;
}

/** Sets mocks and config, then runs `program` (which must `await import` the program modules). */
export async function runWithMocks<T>(
  stack: string,
  program: () => Promise<T>,
  options: {
    config?: Record<string, string>;
    secretKeys?: string[];
    preview?: boolean;
    /** Read the operator's stacks/ (secrets as markers) instead of the fixture of that name. */
    operator?: boolean;
  } = {},
): Promise<MockRun<T>> {
  const registrations: Registration[] = [];
  const invocations: Invocation[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const id = `${args.name}-id`;
        registrations.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
          provider: args.provider,
          custom: args.custom ?? true,
          id,
        });
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === "keycloak:openid/client:Client")
          state.clientSecret = args.inputs.clientSecret ?? "generated-by-keycloak";
        if (args.type === "keycloak:index/realm:Realm")
          state.internalId = `${args.inputs.realm}-internal`;
        return { id, state };
      },
      call(args) {
        invocations.push({
          token: args.token,
          inputs: args.inputs as Record<string, unknown>,
          provider: args.provider,
        });
        if (args.token === "openstack:identity/getRole:getRole") {
          return {
            id: `role-${String(args.inputs.name)}-id`,
            name: args.inputs.name,
            region: "RegionOne",
          };
        }
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    PROJECT,
    stack,
    options.preview ?? false,
  );
  const monitor = runtimeSettings.getMonitor() as unknown as MockMonitorUrns;
  // The mock monitor keeps only the nearest parent's type; the engine keeps the whole chain, and
  // that chain is what a rename or a re-parenting changes.
  monitor.newUrn = (parent, type, name) =>
    `urn:pulumi:${stack}::${PROJECT}::${parent ? `${parent.split("::")[2]}$` : ""}${type}::${name}`;
  const file = options.config
    ? { config: options.config, secretKeys: options.secretKeys ?? [] }
    : options.operator
      ? readOperatorStack(stack)
      : readFixture(stack);
  pulumi.runtime.setAllConfig(file.config, file.secretKeys);
  const result = await program();
  await runtimeSettings.waitForRPCs();
  return {
    registrations,
    invocations,
    result,
    urns: [...monitor.getRegisteredResources().keys()].sort(),
  };
}
