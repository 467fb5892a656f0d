/**
 * Reads a committed stack file without the Pulumi engine (for offline tools: mappings, render,
 * explain). Secure values are never decrypted here: they count as present secrets, which is all the
 * parser needs to validate the configuration.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const PROJECT_NAMESPACE = "openstack-keycloak-federation";

export interface OfflineStackConfig {
  /** Project-namespace keys -> plain values; secure values are replaced by a marker. */
  readonly raw: Record<string, unknown>;
  /** Keys whose value is `secure:` in the file. */
  readonly secretKeys: Set<string>;
  /** The encrypted `secure:` strings by key, for tools that may decrypt them. */
  readonly secure: Record<string, string>;
  readonly encryptionsalt?: string;
}

/** Marker standing for a secret value the offline tools do not decrypt. */
export const SECRET_MARKER = "<secret: not decrypted>";

export function stackFilePath(stacksDir: string, stack: string): string {
  return join(stacksDir, `Pulumi.${stack}.yaml`);
}

export function readStackFileOffline(file: string): OfflineStackConfig {
  const doc = parse(readFileSync(file, "utf8")) as { encryptionsalt?: string; config?: Record<string, unknown> } | null;
  const raw: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  const secure: Record<string, string> = {};
  const prefix = `${PROJECT_NAMESPACE}:`;
  for (const [key, value] of Object.entries(doc?.config ?? {})) {
    if (!key.startsWith(prefix)) continue;
    const short = key.slice(prefix.length);
    if (value !== null && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
      raw[short] = SECRET_MARKER;
      secretKeys.add(short);
      secure[short] = String((value as { secure: unknown }).secure);
    } else {
      raw[short] = value;
    }
  }
  return { raw, secretKeys, secure, ...(doc?.encryptionsalt ? { encryptionsalt: doc.encryptionsalt } : {}) };
}
