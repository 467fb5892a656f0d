/**
 * The two kinds of stack files the tests read, through infra/stack-files/stack-file.ts:
 *   - fixtures (test/fixtures/stacks/): frozen examples with published passphrases, for the tests
 *     that pin exact content;
 *   - the operator's stacks (stacks/): whatever they hold, for the invariants that hold for any
 *     stack. Their secrets are never decrypted: tests see a marker value, flagged secret.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type EngineStackConfig,
  fromEngineConfig,
  listStacks,
  parseStackFile,
  readStackFileForEngine,
  stackFilePath,
  STACKS_DIR,
} from "../../infra/stack-files/stack-file";
import type { ParsedConfig } from "../../infra/config/parse";
import { buildModel, type DeploymentModel } from "../../infra/model/deployment-model";

export const FIXTURES_DIR = join(__dirname, "..", "fixtures", "stacks");

/**
 * What every stack lists under `pulumi:disable-default-providers`: the packages with explicit
 * providers. Never `"*"`, which also disables `pulumi-nodejs`, the dynamic provider's (the real
 * engine then refuses every Keystone federation resource).
 */
export const DISABLED_DEFAULT_PROVIDERS = ["keycloak", "openstack", "command"] as const;

/** Passphrases of the fixtures' secrets (published examples, documented in README.md). */
export const EXAMPLE_PASSPHRASES: Readonly<Record<string, string>> = {
  dev: "local-dev-passphrase",
  staging: "example-passphrase",
  prod: "example-passphrase",
  "test-template": "example-passphrase",
  e2e: "example-passphrase",
};

/** The operator's stacks (stacks/). */
export const operatorStacks = (): string[] => listStacks(STACKS_DIR);

/** A fixture as the engine hands it to the program, secrets decrypted. */
export function readFixture(name: string): EngineStackConfig {
  return readStackFileForEngine(stackFilePath(name, FIXTURES_DIR), EXAMPLE_PASSPHRASES[name]);
}

/** The project-namespace part of a fixture as plain values (what parseStackConfig receives). */
export function fixtureValues(name: string): {
  raw: Record<string, unknown>;
  secretKeys: Set<string>;
} {
  return fromEngineConfig(readFixture(name));
}

export const parseFixture = (name: string): ParsedConfig => parseStackFile(name, FIXTURES_DIR);
export const fixtureModel = (name: string): DeploymentModel =>
  buildModel(parseFixture(name).config, name);

/** A fixture's access table (who gets what), next to it. */
export const fixtureAccessTable = (name: string): string =>
  readFileSync(join(FIXTURES_DIR, `${name}.access.yaml`), "utf8");

/**
 * An operator's stack as the engine would hand it over, with every secret replaced by a marker
 * (flagged secret): enough to build the graph, never a real value.
 */
export function readOperatorStack(name: string): EngineStackConfig {
  return readStackFileForEngine(stackFilePath(name, STACKS_DIR), undefined, { secrets: "marker" });
}

/**
 * The operator's dev stack, decrypted with the local passphrase that scripts/local-up.sh uses:
 * the local environment (docker-compose.yaml, local-up) must agree with it.
 */
export function readLocalDevStack(): EngineStackConfig {
  return readStackFileForEngine(stackFilePath("dev", STACKS_DIR), EXAMPLE_PASSPHRASES.dev);
}
