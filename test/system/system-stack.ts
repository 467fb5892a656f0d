/**
 * The system suites' stacks: the test-template's shape with loopback URLs, in the form the engine
 * hands configuration to a program (`namespace:key` -> string, objects as JSON). Each suite gets
 * its own names and ports (`id`), so suites never share a realm, a Keystone or a state backend.
 */
import { PROJECT_NAMESPACE } from "../../infra/stack-files/stack-file";
import type { ConfigMap, SystemPorts } from "../support/system-env";
import { DISABLED_DEFAULT_PROVIDERS } from "../support/stack-files";

export const KEYSTONE_ADMIN_PASSWORD = "system-admin-password";
/** Fixed, so that Apache is configured with it before `pulumi up` creates the client. */
export const CLIENT_SECRET = "system-client-secret-0123456789abcdef";

export interface SystemStack {
  readonly stack: string;
  readonly ports: SystemPorts;
  /** Horizon's URL in the stack; the login-flow suite serves a stand-in dashboard there. */
  readonly horizonUrl: string;
  readonly config: ConfigMap;
  readonly secretKeys: string[];
}

const ns = PROJECT_NAMESPACE;
const json = (v: unknown) => JSON.stringify(v);

/** `offset` moves every port, so two suites' services never collide. */
export function systemStack(stack: string, offset: number): SystemStack {
  // Below 32768: Linux hands out 32768-60999 as client ports, and a listener there can find its port
  // taken by some connection (seen once: Keycloak failed with "Port already bound").
  const ports = {
    keycloakHttp: 28080 + offset,
    keycloakHttps: 28443 + offset,
    keystone: 28980 + offset,
  };
  const horizonUrl = `http://127.0.0.1:${28800 + offset}`;
  const config: ConfigMap = {
    "pulumi:disable-default-providers": json(DISABLED_DEFAULT_PROVIDERS),
    [`${ns}:environment`]: "local",
    [`${ns}:keycloak`]: json({
      url: `https://127.0.0.1:${ports.keycloakHttps}`,
      admin: { username: "admin" },
    }),
    [`${ns}:keycloakAdminPassword`]: "admin",
    [`${ns}:realm`]: json({ name: `okf-${stack}`, displayName: `OpenStack (${stack} test)` }),
    [`${ns}:client`]: json({ directAccessGrants: true }),
    [`${ns}:keystone`]: json({
      url: `http://127.0.0.1:${ports.keystone}`,
      credentials: { method: "password", username: "admin" },
    }),
    [`${ns}:keystonePassword`]: KEYSTONE_ADMIN_PASSWORD,
    [`${ns}:clientSecret`]: CLIENT_SECRET,
    [`${ns}:horizon`]: json({ urls: [horizonUrl] }),
    [`${ns}:federation`]: json({ userDomain: `${stack}-users` }),
    [`${ns}:tenants`]: json([
      { name: "sys-acme", projects: [{ name: "web" }, { name: "data" }] },
      { name: "sys-globex", projects: [{ name: "research" }] },
    ]),
    [`${ns}:access`]: json([
      { tenant: "sys-acme", group: "developers", grants: [{ role: "member", project: "web" }] },
      {
        tenant: "sys-acme",
        group: "auditors",
        grants: [
          { role: "reader", project: "web" },
          { role: "reader", project: "data" },
        ],
      },
      {
        tenant: "sys-globex",
        group: "researchers",
        grants: [{ role: "member", project: "research" }],
      },
    ]),
  };
  return {
    stack,
    ports,
    horizonUrl,
    config,
    secretKeys: [`${ns}:keycloakAdminPassword`, `${ns}:keystonePassword`, `${ns}:clientSecret`],
  };
}
