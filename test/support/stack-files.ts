/**
 * What the tests know about the committed example stacks beyond their files: the passphrases their
 * secrets are encrypted with (published examples, documented in README.md) and the default
 * providers every stack disables. Reading the files is infra/config/stack-file.ts's job.
 */
import {
  type EngineStackConfig,
  fromEngineConfig,
  listStacks,
  readStackFileForEngine,
  stackFilePath,
} from "../../infra/config/stack-file";

/**
 * What every stack lists under `pulumi:disable-default-providers`: the packages with explicit
 * providers. Never `"*"`, which also disables `pulumi-nodejs`, the dynamic provider's (the real
 * engine then refuses every Keystone federation resource).
 */
export const DISABLED_DEFAULT_PROVIDERS = ["keycloak", "openstack", "command"] as const;

/** Passphrases of the committed example stacks (documented in README.md; examples only). */
export const EXAMPLE_PASSPHRASES: Readonly<Record<string, string>> = {
  dev: "local-dev-passphrase",
  staging: "example-passphrase",
  prod: "example-passphrase",
  "test-template": "example-passphrase",
  e2e: "example-passphrase",
};

/** The committed stacks. */
export const committedStacks = (): string[] => listStacks();

/** A committed stack file as the engine hands it to the program, with its example passphrase. */
export function readStackFile(stack: string): EngineStackConfig {
  return readStackFileForEngine(stackFilePath(stack), EXAMPLE_PASSPHRASES[stack]);
}

/** The project-namespace part of a stack file as plain values (what parseStackConfig receives). */
export function projectValues(stack: string): {
  raw: Record<string, unknown>;
  secretKeys: Set<string>;
} {
  return fromEngineConfig(readStackFile(stack));
}
