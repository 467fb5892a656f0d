/**
 * The one reader of stack files (`stacks/Pulumi.<stack>.yaml`) outside the Pulumi engine. Three
 * views of the same file:
 *   - offline: plain values, secure values counted as present secrets and never decrypted (render,
 *     mapping, generated files, the invariant tests);
 *   - engine-shaped: every key as the CLI hands it to the program (strings, objects as JSON),
 *     secure values decrypted with a passphrase (the mock runtime, the service tests);
 *   - parsed: the offline view through `parseStackConfig`, the validated configuration.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseStackConfig, type ParsedConfig } from "../config/parse";
import { decryptValue, keyFromSalt } from "../config/passphrase";
import { PROJECT_NAMESPACE } from "../config/project";
import { decodeConfigValue } from "../config/values";

export { decodeConfigValue };
import { SECRET_MARKER } from "../config/secrets";

export { SECRET_MARKER };

export { PROJECT_NAMESPACE };

/** The repository's stack files. */
export const STACKS_DIR = join(__dirname, "..", "..", "stacks");

const STACK_FILE = /^Pulumi\.(.+)\.yaml$/;

/** Names of the stacks whose files are in `dir`, sorted. */
export function listStacks(dir: string = STACKS_DIR): string[] {
  return readdirSync(dir)
    .flatMap((f) => STACK_FILE.exec(f)?.[1] ?? [])
    .sort();
}

export function stackFilePath(stack: string, dir: string = STACKS_DIR): string {
  return join(dir, `Pulumi.${stack}.yaml`);
}

interface StackFileDoc {
  encryptionsalt?: string;
  config?: Record<string, unknown>;
}

function readDoc(file: string): StackFileDoc {
  return (parse(readFileSync(file, "utf8")) as StackFileDoc | null) ?? {};
}

function secureString(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  return "secure" in value ? String((value as { secure: unknown }).secure) : undefined;
}

export interface OfflineStackConfig {
  /** Project-namespace keys -> plain values; secure values are replaced by a marker. */
  readonly raw: Record<string, unknown>;
  /** Keys whose value is `secure:` in the file. */
  readonly secretKeys: Set<string>;
  /** The encrypted `secure:` strings by key, for tools that may decrypt them. */
  readonly secure: Record<string, string>;
  readonly encryptionsalt?: string;
}

export function readStackFileOffline(file: string): OfflineStackConfig {
  const doc = readDoc(file);
  const raw: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  const secure: Record<string, string> = {};
  const prefix = `${PROJECT_NAMESPACE}:`;
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (!key.startsWith(prefix)) continue;
    const short = key.slice(prefix.length);
    const encrypted = secureString(value);
    if (encrypted !== undefined) {
      raw[short] = SECRET_MARKER;
      secretKeys.add(short);
      secure[short] = encrypted;
    } else {
      raw[short] = typeof value === "string" ? decodeConfigValue(value) : value;
    }
  }
  return {
    raw,
    secretKeys,
    secure,
    ...(doc.encryptionsalt ? { encryptionsalt: doc.encryptionsalt } : {}),
  };
}

/** A stack file's validated configuration, offline (throws ConfigError naming every key). */
export function parseStackFileAt(file: string, stack: string): ParsedConfig {
  const { raw, secretKeys } = readStackFileOffline(file);
  return parseStackConfig(raw, { stack, secretKeys });
}

/** The same for stack `stack` of a stacks folder. */
export function parseStackFile(stack: string, dir: string = STACKS_DIR): ParsedConfig {
  return parseStackFileAt(stackFilePath(stack, dir), stack);
}

export interface EngineStackConfig {
  /** `namespace:key` -> value as the engine passes it (strings; objects as JSON). */
  readonly config: Record<string, string>;
  /** The `namespace:key`s that are secret. */
  readonly secretKeys: string[];
}

/**
 * Every key of every namespace as the Pulumi CLI hands it to the program: secrets decrypted with
 * the passphrase, or with `secrets: "marker"` replaced by SECRET_MARKER (still listed as secret).
 */
export function readStackFileForEngine(
  file: string,
  passphrase: string | undefined,
  options: { secrets: "decrypt" | "marker" } = { secrets: "decrypt" },
): EngineStackConfig {
  const doc = readDoc(file);
  const key =
    doc.encryptionsalt && passphrase !== undefined
      ? keyFromSalt(passphrase, doc.encryptionsalt)
      : undefined;
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(doc.config ?? {})) {
    const encrypted = secureString(v);
    if (encrypted !== undefined) {
      if (options.secrets === "marker") {
        config[k] = SECRET_MARKER;
        secretKeys.push(k);
        continue;
      }
      if (!key)
        throw new Error(
          `${file}: ${k} is a secure value, but there is no passphrase or encryptionsalt`,
        );
      config[k] = decryptValue(key, encrypted);
      secretKeys.push(k);
    } else {
      config[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
  }
  return { config, secretKeys };
}

/** Engine-shaped configuration (`namespace:key` -> string) from project keys and plain values. */
export function toEngineConfig(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      `${PROJECT_NAMESPACE}:${k}`,
      typeof v === "string" ? v : JSON.stringify(v),
    ]),
  );
}

/** The project's keys of an engine-shaped configuration, structured values parsed back. */
export function fromEngineConfig(engine: EngineStackConfig): {
  raw: Record<string, unknown>;
  secretKeys: Set<string>;
} {
  const prefix = `${PROJECT_NAMESPACE}:`;
  const raw: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [k, v] of Object.entries(engine.config)) {
    if (!k.startsWith(prefix)) continue;
    raw[k.slice(prefix.length)] = decodeConfigValue(v);
    if (engine.secretKeys.includes(k)) secretKeys.add(k.slice(prefix.length));
  }
  return { raw, secretKeys };
}
