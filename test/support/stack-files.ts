/**
 * Reads a committed stack file the way the Pulumi CLI hands it to the program: every key of every
 * namespace as a string (structured values as JSON), secrets decrypted with the stack's passphrase
 * and listed as secret keys.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { decryptValue, keyFromSalt } from "../../infra/config/passphrase";

export const PROJECT = "openstack-keycloak-federation";
export const STACKS_DIR = join(__dirname, "..", "..", "stacks");

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

export function committedStacks(): string[] {
  return readdirSync(STACKS_DIR)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export interface StackFileConfig {
  /** `namespace:key` -> value as the engine passes it (strings; objects as JSON). */
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

export function readStackFile(stack: string): StackFileConfig {
  const doc = parse(readFileSync(join(STACKS_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { encryptionsalt?: string; config?: Record<string, unknown> };
  const passphrase = EXAMPLE_PASSPHRASES[stack];
  const key = doc.encryptionsalt && passphrase ? keyFromSalt(passphrase, doc.encryptionsalt) : undefined;
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(doc.config ?? {})) {
    if (v !== null && typeof v === "object" && "secure" in v) {
      if (!key) throw new Error(`stack ${stack}: secure value ${k} but no passphrase/encryptionsalt`);
      config[k] = decryptValue(key, String((v as { secure: unknown }).secure));
      secretKeys.push(k);
    } else {
      config[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
  }
  return { config, secretKeys };
}

/** The project-namespace part of a stack file as plain values (what parseStackConfig receives). */
export function projectValues(stack: string): { raw: Record<string, unknown>; secretKeys: Set<string> } {
  const { config, secretKeys } = readStackFile(stack);
  const raw: Record<string, unknown> = {};
  const secrets = new Set<string>();
  for (const [k, v] of Object.entries(config)) {
    if (!k.startsWith(`${PROJECT}:`)) continue;
    const short = k.slice(PROJECT.length + 1);
    raw[short] = v.startsWith("{") || v.startsWith("[") ? JSON.parse(v) : v;
    if (secretKeys.includes(k)) secrets.add(short);
  }
  return { raw, secretKeys: secrets };
}
