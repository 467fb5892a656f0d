/**
 * What mod_auth_openidc hands Keystone for a validated access token (bearer/CLI path), as the
 * environ keys Keystone's mapping sees. Measured on Debian's mod_auth_openidc 2.4.12
 * (docs/local-services.md): every claim becomes `<prefix><claim>`; arrays are joined with the claim
 * delimiter; objects are JSON text; booleans become "1"/"0"; numbers their decimal text. Header
 * copies (`HTTP_<PREFIX><CLAIM>`) survive only for claim names without `_`. `REMOTE_USER` is `sub`.
 */
import { headerEnvName } from "../base/naming";

export interface ClaimConversion {
  /** OIDCClaimPrefix, e.g. `OIDC-`. */
  readonly claimPrefix: string;
  /** OIDCClaimDelimiter; must be `;` for Keystone. */
  readonly claimDelimiter: string;
}

function claimText(value: unknown, delimiter: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value))
    return value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(delimiter);
  return JSON.stringify(value);
}

/** The environ entries a token's claims produce. */
export function claimsToEnviron(
  claims: Readonly<Record<string, unknown>>,
  conv: ClaimConversion,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    const text = claimText(value, conv.claimDelimiter);
    env[`${conv.claimPrefix}${name}`] = text;
    if (!name.includes("_")) env[headerEnvName(`${conv.claimPrefix}${name}`)] = text;
  }
  if (typeof claims.sub === "string") env.REMOTE_USER = claims.sub;
  return env;
}
