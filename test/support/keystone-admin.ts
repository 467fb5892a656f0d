/**
 * The real Keystone's API for the tests: an admin token and single calls, to read back what the
 * program's `pulumi up` made (and to make drift out of band).
 */
export interface KeystoneSession {
  readonly url: string; // base URL, e.g. http://127.0.0.1:26980
  readonly token: string;
}

/** A token for a Default-domain user: system-scoped, or scoped to a Default-domain project. */
export async function passwordToken(
  url: string,
  user: string,
  password: string,
  scope: { project?: string } = {},
): Promise<string> {
  const scopeBody = scope.project
    ? { project: { name: scope.project, domain: { id: "default" } } }
    : { system: { all: true } };
  const res = await fetch(`${url}/v3/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: user, domain: { id: "default" }, password } },
        },
        scope: scopeBody,
      },
    }),
  });
  const token = res.headers.get("x-subject-token");
  if (res.status !== 201 || !token) throw new Error(`admin login failed: HTTP ${res.status}`);
  return token;
}

export async function call(
  s: KeystoneSession,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${s.url}/v3${path}`, {
    method,
    headers: { "x-auth-token": s.token, "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
