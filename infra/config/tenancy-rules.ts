/**
 * Cross-field rules on tenants and access: references between tenants, projects, groups and roles,
 * uniqueness, roles that reach beyond a tenant, and group names Keystone's mapping engine would
 * mis-parse.
 */
import type { Push } from "./issues";
import type { StackConfig } from "./schema";
import { checkGroupValue } from "../base/mapping-safety";
import { duplicates } from "./url-rules";

/** The first Keycloak major with Organizations as a supported feature (a preview in 25). */
const ORGANIZATIONS_SINCE = 26;

/** Keystone refuses to create a domain with this name, case-insensitively (its federated_domain_name default). */
const RESERVED_FEDERATED_DOMAIN = "federated";

export function tenantRules(cfg: StackConfig, push: Push): void {
  if (cfg.federation.userDomain.toLowerCase() === RESERVED_FEDERATED_DOMAIN) {
    push(
      "federation.userDomain",
      `"${cfg.federation.userDomain}" is reserved by Keystone ([federation] federated_domain_name)`,
      "use another name, e.g. federated-users",
    );
  }
  const realmNames = new Set(cfg.realm.customerRealms.map((r) => r.name));
  for (const d of duplicates(cfg.tenants.map((t) => t.name.toLowerCase()))) {
    push(
      "tenants",
      `tenant "${d}" is declared twice (names are case-insensitive in Keystone)`,
      "give each tenant a unique name",
    );
  }
  cfg.tenants.forEach((t, i) => {
    if (cfg.federation.ruleLayout === "perTenant" && t.name.includes("name")) {
      push(
        `tenants[${i}].name`,
        `"${t.name}" contains "name"`,
        'with the perTenant layout the access roles (<tenant>-<group>) feed Keystone\'s groups template, which switches to JSON mode on "name"; rename the tenant or use the perGroup layout',
      );
    }
    if (t.name.toLowerCase() === "default") {
      push(
        `tenants[${i}].name`,
        `"${t.name}" collides with Keystone's built-in Default domain`,
        "choose another tenant name",
      );
    }
    if (t.name.toLowerCase() === RESERVED_FEDERATED_DOMAIN) {
      push(
        `tenants[${i}].name`,
        `"${t.name}" is reserved by Keystone ([federation] federated_domain_name)`,
        "choose another tenant name",
      );
    }
    for (const d of duplicates(t.projects.map((p) => p.name))) {
      push(
        `tenants[${i}].projects`,
        `project "${d}" is declared twice in tenant "${t.name}"`,
        "project names are unique per domain",
      );
    }
    if (t.customerRealm !== undefined && !realmNames.has(t.customerRealm)) {
      push(
        `tenants[${i}].customerRealm`,
        `unknown customer realm "${t.customerRealm}"`,
        `declare it in realm.customerRealms (known: ${[...realmNames].join(", ") || "none"})`,
      );
    }
  });
  if (
    cfg.realm.customerRealms.length > 0 &&
    cfg.realm.discovery === "organizations" &&
    cfg.keycloak.version < ORGANIZATIONS_SINCE
  ) {
    push(
      "realm.discovery",
      `"organizations" needs Keycloak ${ORGANIZATIONS_SINCE} or later, and keycloak.version is ${cfg.keycloak.version}`,
      `upgrade Keycloak and set keycloak.version to ${ORGANIZATIONS_SINCE}, or install the keycloak-home-idp-discovery extension and set realm.discovery to "home-idp-discovery-extension"`,
    );
  }
  const customerNames = cfg.realm.customerRealms.map((r) => r.name);
  for (const d of duplicates(customerNames))
    push(
      "realm.customerRealms",
      `customer realm "${d}" is declared twice`,
      "give each customer realm a unique name",
    );
  const domainOwner = new Map<string, string>();
  cfg.realm.customerRealms.forEach((r, i) => {
    if (r.name === cfg.realm.name) {
      push(
        `realm.customerRealms[${i}].name`,
        `"${r.name}" is the proxy realm itself`,
        "a customer realm must be a separate realm",
      );
    }
    r.emailDomains.forEach((d, j) => {
      if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d)) {
        push(
          `realm.customerRealms[${i}].emailDomains[${j}]`,
          `"${d}" is not a lower-case DNS domain`,
          "write the part after @, e.g. acme.example",
        );
      } else if (domainOwner.has(d)) {
        push(
          `realm.customerRealms[${i}].emailDomains[${j}]`,
          `"${d}" is already routed to customer realm "${domainOwner.get(d)}"`,
          "each e-mail domain can lead to one customer realm only",
        );
      } else {
        domainOwner.set(d, r.name);
      }
    });
  });
}

/**
 * Roles that reach beyond any tenant in Keystone's default policy, whatever the stack says:
 * `admin` (on any target) administers the cloud, `service` may validate any user's token, and
 * `ResellerAdmin` administers every Swift account.
 */
export const ALWAYS_CLOUD_WIDE = ["admin", "service", "ResellerAdmin"] as const;

/** Roles a tenant group must not get unless the stack says so: they reach beyond the tenant. */
export function cloudWideRules(cfg: StackConfig, push: Push): void {
  if (cfg.roles.allowCloudWideGrants) return;
  const cloudWide = new Set(
    [...ALWAYS_CLOUD_WIDE, ...cfg.roles.cloudWide].map((r) => r.toLowerCase()),
  );
  cfg.access.forEach((a, i) =>
    a.grants.forEach((g, j) => {
      if (!cloudWide.has(g.role.toLowerCase())) return;
      push(
        `access[${i}].grants[${j}].role`,
        `"${g.role}" is cloud-wide in Keystone: members of ${a.tenant}/${a.group} would administer every tenant, the mapping and the IdP`,
        "grant member or reader (or a role the stack creates), or set roles.allowCloudWideGrants: true if that is really meant",
      );
    }),
  );
}

/** Roles `keystone-manage bootstrap` creates only from Keystone 24 (2023.2) on. */
const BOOTSTRAP_ROLES_SINCE_24 = ["manager", "service"];

/** A role looked up as existing must exist in the Keystone the stack declares. */
export function releaseRoleRules(cfg: StackConfig, push: Push): void {
  if (cfg.keystone.release >= 24) return;
  cfg.roles.existing.forEach((role, i) => {
    if (!BOOTSTRAP_ROLES_SINCE_24.includes(role.toLowerCase())) return;
    push(
      `roles.existing[${i}]`,
      `"${role}" is not created by Keystone ${cfg.keystone.release}'s bootstrap (only from Keystone 24 on)`,
      `list it in roles.create so the stack creates it, or set keystone.release to the Keystone you deploy to`,
    );
  });
}

export function accessRules(cfg: StackConfig, push: Push): void {
  const tenants = new Map(cfg.tenants.map((t) => [t.name, t]));
  const roles = new Set([...cfg.roles.existing, ...cfg.roles.create]);
  for (const d of duplicates(cfg.roles.create))
    push("roles.create", `role "${d}" is listed twice`, "list each role once");
  for (const r of cfg.roles.create) {
    if (cfg.roles.existing.includes(r))
      push(
        "roles.create",
        `role "${r}" is also in roles.existing`,
        "a role is either looked up or created, not both",
      );
  }
  // A customer realm's groups are named after the access group alone: two tenants bound to one
  // customer realm with the same group would hand its members both tenants' access.
  const realmGroups = new Map<string, string>();
  cfg.access.forEach((a, i) => {
    const realm = tenants.get(a.tenant)?.customerRealm;
    if (realm === undefined) return;
    const key = `${realm}/${a.group}`.toLowerCase();
    const other = realmGroups.get(key);
    if (other !== undefined && other !== a.tenant)
      push(
        `access[${i}].group`,
        `customer realm "${realm}" is bound to tenants "${other}" and "${a.tenant}", which both have group "${a.group}": its members would get both tenants' access`,
        "give the groups different names, or bind each tenant to a customer realm of its own",
      );
    else realmGroups.set(key, a.tenant);
  });
  const seen = new Set<string>();
  cfg.access.forEach((a, i) => {
    const base = `access[${i}]`;
    const tenant = tenants.get(a.tenant);
    if (!tenant) {
      push(
        `${base}.tenant`,
        `unknown tenant "${a.tenant}"`,
        `declare it in tenants (known: ${[...tenants.keys()].join(", ")})`,
      );
    }
    const groupProblem = checkGroupValue(a.group);
    if (groupProblem) push(`${base}.group`, groupProblem.message, groupProblem.hint);
    const key = `${a.tenant}/${a.group}`;
    if (seen.has(key))
      push(
        `${base}.group`,
        `group "${a.group}" of tenant "${a.tenant}" has two access rules`,
        "merge their grants into one rule",
      );
    seen.add(key);
    const grantKeys = new Set<string>();
    a.grants.forEach((g, j) => {
      const gp = `${base}.grants[${j}]`;
      if (!roles.has(g.role)) {
        push(
          `${gp}.role`,
          `unknown role "${g.role}"`,
          `add it to roles.existing or roles.create (known: ${[...roles].join(", ")})`,
        );
      }
      if ((g.project === undefined) === (g.domain === undefined)) {
        push(
          gp,
          "a grant needs exactly one of project or domain",
          "set `project: <name>` or `domain: true`",
        );
      } else if (
        g.project !== undefined &&
        tenant &&
        !tenant.projects.some((p) => p.name === g.project)
      ) {
        push(
          `${gp}.project`,
          `unknown project "${g.project}" in tenant "${a.tenant}"`,
          `declare it in the tenant's projects (known: ${tenant.projects.map((p) => p.name).join(", ") || "none"})`,
        );
      }
      const gk = `${g.role}@${g.project ?? "<domain>"}`;
      if (grantKeys.has(gk))
        push(
          gp,
          `grant of "${g.role}" on ${g.project ? `project "${g.project}"` : "the domain"} is listed twice`,
          "list each grant once",
        );
      grantKeys.add(gk);
    });
  });
}
