// Smoke check run by the stack (a @pulumi/command local command after everything else): a real
// login through Keycloak and Keystone. Reads everything from the environment (secrets arrive as
// secret command environment, never on the command line):
//   OKF_TOKEN_URL OKF_CLIENT_ID [OKF_CLIENT_SECRET] OKF_USERNAME OKF_PASSWORD
//   OKF_KEYSTONE_AUTH_URL (the federated auth endpoint) OKF_KEYSTONE_V3 OKF_PROJECT (domain/project)
// Exits non-zero with a message naming the step that failed; prints the scoped roles on success.
// Plain CommonJS, type-checked by tsc through the JSDoc below.
const env = process.env;

/**
 * The request that scopes an unscoped Keystone token to a project (`domain/project`).
 * @param {string} unscoped
 * @param {string | undefined} domain
 * @param {string | undefined} project
 */
function projectScopeRequest(unscoped, domain, project) {
  return {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: { methods: ["token"], token: { id: unscoped } },
        scope: { project: { name: project, domain: { name: domain } } },
      },
    }),
  };
}

/**
 * @param {string} step
 * @param {string} detail
 * @returns {never}
 */
function fail(step, detail) {
  console.error(`smoke check failed at ${step}: ${detail}`);
  process.exit(1);
}

/**
 * A variable the check cannot run without.
 * @param {string} name
 * @returns {string}
 */
function required(name) {
  const value = env[name];
  return value !== undefined && value !== "" ? value : fail("configuration", `${name} is not set`);
}

/** @param {unknown} e */
const messageOf = (e) => (e instanceof Error ? e.message : String(e));

async function main() {
  const form = new URLSearchParams({
    grant_type: "password",
    client_id: required("OKF_CLIENT_ID"),
    username: required("OKF_USERNAME"),
    password: required("OKF_PASSWORD"),
    scope: "openid",
  });
  if (env.OKF_CLIENT_SECRET) form.set("client_secret", env.OKF_CLIENT_SECRET);
  const kc = await fetch(required("OKF_TOKEN_URL"), { method: "POST", body: form }).catch((e) =>
    fail("Keycloak token request", messageOf(e)),
  );
  const kcBody =
    /** @type {{ access_token?: string, error?: string, error_description?: string }} */ (
      await kc.json().catch(() => ({}))
    );
  if (kc.status !== 200 || !kcBody.access_token)
    fail(
      "Keycloak token request",
      `HTTP ${kc.status} ${kcBody.error || ""} ${kcBody.error_description || ""} (is the password grant enabled for this test stack and the test user in a granted group?)`,
    );
  const ks = await fetch(required("OKF_KEYSTONE_AUTH_URL"), {
    method: "POST",
    headers: { authorization: `Bearer ${kcBody.access_token}` },
  }).catch((e) => fail("Keystone federated login", messageOf(e)));
  const unscoped = ks.headers.get("x-subject-token");
  if (ks.status !== 201 || !unscoped)
    fail(
      "Keystone federated login",
      `HTTP ${ks.status}: ${(await ks.text()).slice(0, 300)} (check remote_ids, the mapping and mod_auth_openidc)`,
    );
  const [domain, project] = required("OKF_PROJECT").split("/");
  const scoped = await fetch(
    `${required("OKF_KEYSTONE_V3")}/auth/tokens`,
    projectScopeRequest(unscoped, domain, project),
  ).catch((e) => fail("project scoping", messageOf(e)));
  const body = /** @type {{ token?: { roles?: { name: string }[] } }} */ (
    await scoped.json().catch(() => ({}))
  );
  if (scoped.status !== 201)
    fail(
      "project scoping",
      `HTTP ${scoped.status} for ${env.OKF_PROJECT} (does the user's group grant a role there?)`,
    );
  const roles = (body.token?.roles || []).map((r) => r.name).sort();
  console.log(
    `smoke check passed: ${env.OKF_USERNAME} on ${env.OKF_PROJECT} with roles ${roles.join(", ")}`,
  );
}
module.exports = { projectScopeRequest };
if (require.main === module) {
  main().catch((e) => fail("unexpected error", messageOf(e)));
}
