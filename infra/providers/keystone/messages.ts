/**
 * What the Keystone client says when a call fails: Keystone's message, a hint where the fix lies
 * outside the stack, and the scrubbing no error text escapes. Pure; serialized with the provider.
 */
import type { KeystoneResponse } from "./client";

/**
 * Removes anything that looks like a token or secret from a message: the connection's own
 * secrets, Fernet tokens (Keystone's), JWS/JWT (an OIDC token echoed by a proxy or in a
 * mapping-debug message) and credentials embedded in a URL.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join("***");
  return out
    .replace(/gAAAAA[A-Za-z0-9_-]{20,}/g, "***")
    .replace(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(\.[A-Za-z0-9_-]*)?/g, "***")
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+(:[^\s/@]*)?@/gi, "$1***@");
}

/** Operator hints for statuses whose fix lies outside the stack. */
export function hintFor(status: number): string {
  if (status === 413)
    return " (raise [oslo_middleware] max_request_body_size in keystone.conf: the rendered keystone-federation.conf overlay sets it for this mapping)";
  if (status === 403)
    return " (the Keystone credentials lack the admin role needed for OS-FEDERATION)";
  return "";
}

export function messageOf(res: KeystoneResponse): string {
  const err = res.body.error as { message?: unknown } | undefined;
  if (err && typeof err.message === "string") return err.message;
  return typeof res.body.raw === "string" ? res.body.raw : JSON.stringify(res.body).slice(0, 200);
}
