/**
 * The edge: the only module that touches `pulumi.Config`. It reads the project namespace once,
 * hands plain values to the pure parser, and returns the secrets as Outputs that never enter the
 * pure model.
 */
import * as pulumi from "@pulumi/pulumi";
import { readCaBundle } from "./ca-bundle";
import { exampleSecretIssue } from "./example-secrets";
import { ConfigError } from "./issues";
import { parseStackConfig, type ParsedConfig } from "./parse";
import { SECRET_KEY_NAMES, type SecretKey } from "./secrets";
import { decodeConfigValue as decode } from "./values";

export type StackSecrets = Partial<Record<SecretKey, pulumi.Output<string>>>;

// `isConfigSecret` is exported by the runtime module but missing from its type declarations.
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as {
  isConfigSecret(key: string): boolean;
};

export interface LoadedConfig extends ParsedConfig {
  readonly secretValues: StackSecrets;
  /** The PEM text of `keycloak.caBundle`, read and checked. */
  readonly keycloakCaPem?: string;
}

/** Reads and validates this stack's configuration. Throws ConfigError listing every problem. */
export function loadStackConfig(): LoadedConfig {
  const project = pulumi.getProject();
  const stack = pulumi.getStack();
  const prefix = `${project}:`;
  const raw: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    raw[key] = decode(value);
    if (runtimeConfig.isConfigSecret(fullKey)) secretKeys.add(key);
  }
  const parsed = parseStackConfig(raw, { stack, secretKeys });
  // Before any resource: production secrets under a published passphrase are anyone's.
  const published = exampleSecretIssue(parsed.config.environment, {
    passphrase: process.env.PULUMI_CONFIG_PASSPHRASE,
  });
  if (published) throw new ConfigError(stack, [published]);
  const config = new pulumi.Config(project);
  const secretValues: StackSecrets = {};
  for (const key of SECRET_KEY_NAMES) {
    if (parsed.secrets[key] === "secret") {
      const value = config.getSecret(key);
      if (value !== undefined) secretValues[key] = value;
    }
  }
  let keycloakCaPem: string | undefined;
  if (parsed.config.keycloak.caBundle !== undefined) {
    const ca = readCaBundle(parsed.config.keycloak.caBundle, "keycloak.caBundle");
    if ("issue" in ca) throw new ConfigError(stack, [ca.issue]);
    keycloakCaPem = ca.pem;
  }
  return { ...parsed, secretValues, ...(keycloakCaPem !== undefined ? { keycloakCaPem } : {}) };
}
