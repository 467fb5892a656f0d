/**
 * A small Keystone REST client for the dynamic provider: authenticates (application credential,
 * password or token), caches the token per process and renews it once on 401, applies a timeout to
 * every request, retries connection errors, 429 and 5xx with bounded exponential backoff, and
 * raises errors that carry method, path, status and Keystone's message, never a credential.
 * Self-contained for Pulumi's closure serialization: built-ins and `require` inside functions; the
 * token cache and the call log live on globalThis, not in captured variables.
 */
import type { KeystoneConnection } from "./connection";
import { hintFor, messageOf, scrub } from "./messages";

export { hintFor, messageOf, scrub };

export interface KeystoneResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** One HTTP attempt, for tests and the call-count report. */
export interface CallRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number | "error";
}

interface ClientGlobals {
  tokens: Map<string, { token: string; expires: number }>;
  calls: CallRecord[];
  /** Every credential and token this process has used: no error may carry one. */
  secrets: Set<string>;
}

export function clientGlobals(): ClientGlobals {
  const g = globalThis as typeof globalThis & { __okfKeystone?: ClientGlobals };
  if (!g.__okfKeystone) g.__okfKeystone = { tokens: new Map(), calls: [], secrets: new Set() };
  return g.__okfKeystone;
}

/** Notes values that must never appear in an error. */
function remember(values: readonly string[]): void {
  for (const v of values) if (v.length >= 4) clientGlobals().secrets.add(v);
}

function secretsOf(conn: KeystoneConnection): string[] {
  const a = conn.auth;
  return a.method === "password"
    ? [a.password]
    : a.method === "applicationCredential"
      ? [a.secret]
      : [a.token];
}

/** An error of a Keystone call: the verb, the path, the HTTP status and the server's message. */
export interface KeystoneError extends Error {
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly keystoneMessage: string;
}

/**
 * Makes a KeystoneError. A factory, not a subclass of Error: the engine runs this provider from its
 * serialized text, where a class becomes a function calling `Error.call(this, message)`, which sets
 * no message, and every failure then reached the operator as "Unknown Error".
 */
export function keystoneError(
  method: string,
  path: string,
  status: number | undefined,
  keystoneMessage: string,
): KeystoneError {
  // Scrubbed here, whatever the caller passed: a server or proxy may echo the request, with the
  // session token in its headers or the credentials in its body.
  const message = scrub(keystoneMessage, [...clientGlobals().secrets]);
  const e = new Error(
    `Keystone ${method} ${path} failed${status !== undefined ? ` with HTTP ${status}` : ""}: ${message}`,
  );
  e.name = "KeystoneError";
  return Object.assign(e, { method, path, status, keystoneMessage: message });
}

/** One HTTP exchange with node's http/https (global fetch cannot take a CA bundle without undici). */
/** TLS of one HTTP exchange: a CA file to trust, or no verification at all (local and test only). */
export interface TlsOptions {
  readonly caFile?: string;
  readonly insecure?: boolean;
  readonly timeoutMs: number;
}

/** One HTTP request with a JSON answer (the body is sent as it is; JSON unless headers say otherwise). */
export function exchange(
  conn: TlsOptions,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<KeystoneResponse> {
  const http = require("node:http") as typeof import("node:http");
  const https = require("node:https") as typeof import("node:https");
  const fs = require("node:fs") as typeof import("node:fs");
  const u = new URL(url);
  const lib = u.protocol === "https:" ? https : http;
  const options: import("node:https").RequestOptions = {
    method,
    headers: {
      accept: "application/json",
      ...(body !== undefined
        ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }
        : {}),
      ...headers,
    },
  };
  if (u.protocol === "https:") {
    if (conn.caFile) options.ca = fs.readFileSync(conn.caFile);
    if (conn.insecure) options.rejectUnauthorized = false;
  }
  return new Promise((resolve, reject) => {
    const req = lib.request(u, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: Record<string, unknown> = {};
        try {
          parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          parsed = { raw: text.slice(0, 200) };
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
      });
    });
    req.setTimeout(conn.timeoutMs, () =>
      req.destroy(new Error(`timed out after ${conn.timeoutMs} ms`)),
    );
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const RETRY_DELAYS_MS = [250, 500, 1000, 2000];

/** Sends with retries on connection errors, 429 and 5xx (all our calls are idempotent). */
async function send(
  conn: KeystoneConnection,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<KeystoneResponse> {
  const url = `${conn.authUrl}${path}`;
  const text = body === undefined ? undefined : JSON.stringify(body);
  const calls = clientGlobals().calls;
  const attempts = RETRY_DELAYS_MS.length + 1;
  let lastError = "";
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt - 1]));
    try {
      const res = await exchange(conn, method, url, headers, text);
      calls.push({ method, path, status: res.status });
      if (res.status === 429 || res.status >= 500) {
        lastError = `HTTP ${res.status}: ${messageOf(res)}`;
        continue;
      }
      return res;
    } catch (e) {
      calls.push({ method, path, status: "error" });
      lastError = e instanceof Error ? e.message : String(e);
    }
  }
  throw keystoneError(
    method,
    path,
    undefined,
    `no usable answer after ${attempts} attempts (last: ${lastError}); is Keystone at ${conn.authUrl} up?`,
  );
}

/** Cache key: who authenticates plus a digest of the secret, so changed credentials never reuse a token. */
function cacheKey(conn: KeystoneConnection): string {
  const crypto = require("node:crypto") as typeof import("node:crypto");
  const a = conn.auth;
  const who =
    a.method === "password"
      ? `${a.userDomainName}/${a.username}/${a.projectDomainName ?? ""}/${a.projectName ?? ""}`
      : a.method === "applicationCredential"
        ? a.id
        : "token";
  const digest = crypto
    .createHash("sha256")
    .update(secretsOf(conn).join("\u0000"))
    .digest("hex")
    .slice(0, 16);
  return `${conn.authUrl}|${a.method}|${who}|${digest}`;
}

async function authenticate(conn: KeystoneConnection): Promise<string> {
  const a = conn.auth;
  remember(secretsOf(conn));
  if (a.method === "token") return a.token;
  const key = cacheKey(conn);
  const cached = clientGlobals().tokens.get(key);
  if (cached && cached.expires > Date.now() + 60_000) return cached.token;
  const identity =
    a.method === "applicationCredential"
      ? {
          methods: ["application_credential"],
          application_credential: { id: a.id, secret: a.secret },
        }
      : {
          methods: ["password"],
          password: {
            user: { name: a.username, domain: { name: a.userDomainName }, password: a.password },
          },
        };
  const scope =
    a.method === "password"
      ? a.projectName
        ? { project: { name: a.projectName, domain: { name: a.projectDomainName ?? "Default" } } }
        : { system: { all: true } }
      : undefined;
  const res = await send(
    conn,
    "POST",
    "/auth/tokens",
    {},
    { auth: { identity, ...(scope ? { scope } : {}) } },
  );
  const token = res.headers["x-subject-token"];
  if (res.status !== 201 || typeof token !== "string") {
    throw keystoneError(
      "POST",
      "/auth/tokens",
      res.status,
      `${messageOf(res)} (check the Keystone credentials of this stack: keystone.credentials and its --secret key, or the keystone.cloud entry in clouds.yaml)`,
    );
  }
  const expiresAt =
    Date.parse(
      String((res.body.token as { expires_at?: unknown } | undefined)?.expires_at ?? ""),
    ) || Date.now() + 3_600_000;
  remember([token]);
  clientGlobals().tokens.set(key, { token, expires: expiresAt });
  return token;
}

/** An authenticated call; renews the token once on 401. Returns the response for any status < 500. */
export async function keystoneCall(
  conn: KeystoneConnection,
  method: string,
  path: string,
  body?: unknown,
): Promise<KeystoneResponse> {
  for (let round = 0; round < 2; round++) {
    const token = await authenticate(conn);
    const res = await send(conn, method, path, { "x-auth-token": token }, body);
    if (res.status === 401 && round === 0 && conn.auth.method !== "token") {
      clientGlobals().tokens.delete(cacheKey(conn));
      continue;
    }
    return res;
  }
  throw keystoneError(method, path, 401, "token renewal did not help");
}

/** Like keystoneCall, but any status outside `ok` becomes a KeystoneError. */
export async function keystoneExpect(
  conn: KeystoneConnection,
  method: string,
  path: string,
  ok: readonly number[],
  body?: unknown,
): Promise<KeystoneResponse> {
  const res = await keystoneCall(conn, method, path, body);
  if (!ok.includes(res.status))
    throw keystoneError(method, path, res.status, messageOf(res) + hintFor(res.status));
  return res;
}
