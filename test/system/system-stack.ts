/**
 * The system suite's stack: the test-template's shape with loopback URLs, in the form the engine
 * hands configuration to a program (`namespace:key` -> string, objects as JSON).
 */
import type { ConfigMap, SystemPorts } from "../support/system-env";
import { DISABLED_DEFAULT_PROVIDERS } from "../support/stack-files";

export const SYSTEM_PORTS: SystemPorts = { keycloakHttp: 36080, keycloakHttps: 36443, keystone: 36980 };

const ns = "openstack-keycloak-federation";
const json = (v: unknown) => JSON.stringify(v);

export const KEYSTONE_ADMIN_PASSWORD = "system-admin-password";

export function systemStackConfig(ports: SystemPorts = SYSTEM_PORTS): { config: ConfigMap; secretKeys: string[] } {
  const config: ConfigMap = {
    "pulumi:disable-default-providers": json(DISABLED_DEFAULT_PROVIDERS),
    [`${ns}:environment`]: "local",
    [`${ns}:keycloak`]: json({ url: `https://127.0.0.1:${ports.keycloakHttps}`, admin: { username: "admin" } }),
    [`${ns}:keycloakAdminPassword`]: "admin",
    [`${ns}:realm`]: json({ name: "okf-system", displayName: "OpenStack (system test)" }),
    [`${ns}:client`]: json({ directAccessGrants: true }),
    [`${ns}:keystone`]: json({ url: `http://127.0.0.1:${ports.keystone}`, credentials: { method: "password", username: "admin" } }),
    [`${ns}:keystonePassword`]: KEYSTONE_ADMIN_PASSWORD,
    [`${ns}:horizon`]: json({ urls: ["http://127.0.0.1:36800"] }),
    [`${ns}:federation`]: json({ userDomain: "system-users" }),
    [`${ns}:tenants`]: json([
      { name: "sys-acme", projects: [{ name: "web" }, { name: "data" }] },
      { name: "sys-globex", projects: [{ name: "research" }] },
    ]),
    [`${ns}:access`]: json([
      { tenant: "sys-acme", group: "developers", grants: [{ role: "member", project: "web" }] },
      { tenant: "sys-acme", group: "auditors", grants: [{ role: "reader", project: "web" }, { role: "reader", project: "data" }] },
      { tenant: "sys-globex", group: "researchers", grants: [{ role: "member", project: "research" }] },
    ]),
  };
  return { config, secretKeys: [`${ns}:keycloakAdminPassword`, `${ns}:keystonePassword`] };
}
