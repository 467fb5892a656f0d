/**
 * Generates the Keystone mapping (`rules.json`, schema 1.0) from the access rules.
 *
 * Shape of every rule (docs/keystone-mapping-engine.md; the invariants are docs/security-invariants.md):
 *   remote: access any_one_of [access role(s)]    -> first: Keystone stops at a rule's first unmet
 *                                                  requirement, so every rule but the user's own
 *                                                  costs one set test (the order changes no result)
 *           [userId, username, (email)]          -> slots {0} {1} ({2}); a missing claim fails the rule
 *           iss  any_one_of [issuer]             -> invariant 1 (mod_auth_openidc does not check iss)
 *           azp  any_one_of [client ids]         -> invariant 1 (nor aud/azp): the Keystone client, and
 *                                                  the public CLI client when declared
 *           azp  not_any_of [^(?!(ids)$)] regex  -> and nothing else: Keystone splits every value on
 *                                                  ';', so `other-app;keystone` would pass any_one_of
 *                                                  alone (invariant 7). The broker alias gets the same.
 *           (identity_provider any_one_of [broker alias]) for tenants bound to a customer realm
 *   (perGroup: the access entry names one exact role; no claim value is ever copied)
 * The access claim carries client roles of the Keystone client, which only the stack declares and
 * assigns to access groups: no group name or path anybody chooses reaches the mapping.
 *   local:  the user (every rule, so Keystone never falls back to REMOTE_USER: invariant 2)
 *           one Keystone group by name in the tenant's own domain (invariant 3), which carries roles.
 * any_one_of entries consume no slot (docs/keystone-mapping-engine.md §4.1), so the user's slots are the first plain entries.
 * `projects` is never emitted: Keystone keeps only the last rule's list (docs/keystone-mapping-engine.md §5).
 * Limit: a tenant NOT bound to a customer realm cannot exclude brokered users in the mapping (a
 * missing claim fails even `not_any_of`, §4.1); there, tenant isolation rests on proxy-realm group
 * membership, which only proxy-realm admins (and our IdP mappers, for their own tenant) grant.
 * Rules are sorted by tenant and group, so a change shows as the smallest diff.
 *
 * Layout `perTenant` (for stacks with hundreds of groups: Keystone evaluates every rule on every
 * login) emits one rule per tenant instead: `any_one_of` on the tenant's exact claim values (so the
 * rule needs at least one), a non-regex `whitelist` of the same values as slot, and
 * `{"groups": "{N}", "domain": <tenant>}`. Keystone group names then equal the access roles; only
 * whitelisted exact values can become group names, and only in their own tenant's domain.
 */
import { escapeFormat } from "../../base/mapping-safety";
import type { LocalUser, MappingDocument, MappingRule, RemoteRequirement } from "./types";

/** One granted Keycloak group and the Keystone group it maps to. */
export interface MappedGroup {
  readonly tenant: string;
  /** Exact access-claim value: the access role's name, which only the stack declares. */
  readonly claimValue: string;
  /** Keystone group name in the tenant's domain. */
  readonly keystoneGroup: string;
  /** Keystone domain (tenant) name of that group. */
  readonly domain: string;
  /** Broker alias the user must have come through, for tenants bound to a customer realm. */
  readonly brokerAlias?: string;
}

export interface MappingInput {
  readonly issuer: string;
  /** Clients accepted as `azp`: the Keystone client, and the public CLI client when declared. */
  readonly clientIds: readonly string[];
  /** Environ key carrying the issuer (the protocol's remote_id_attribute). */
  readonly remoteIdAttribute: string;
  /** mod_auth_openidc OIDCClaimPrefix. */
  readonly claimPrefix: string;
  readonly claims: {
    readonly userId: string;
    readonly username: string;
    readonly email?: string;
    /** Claim carrying the access roles (client roles of the Keystone client). */
    readonly access: string;
  };
  /** Claim carrying the broker alias (a session-note mapper). */
  readonly brokerClaim: string;
  readonly userType: "ephemeral" | "local";
  /** Domain of local users (ignored by Keystone 22 for ephemeral users, which land in the IdP's domain). */
  readonly userDomain: string;
  /** When false, a user with no granted group still gets a (role-less) token. */
  readonly denyWithoutGroup: boolean;
  /** One rule per access group (default) or one per tenant. */
  readonly layout?: "perGroup" | "perTenant";
  readonly groups: readonly MappedGroup[];
}

function userLocal(input: MappingInput): LocalUser {
  if (input.userType === "local") {
    // Local users are looked up by name in their domain; an id would have to be Keystone's own.
    return { name: "{1}", type: "local", domain: { name: escapeFormat(input.userDomain) } };
  }
  const user: LocalUser = { id: "{0}", name: "{1}" };
  if (input.claims.email !== undefined) user.email = "{2}";
  user.type = "ephemeral";
  return user;
}

/** Python regex metacharacters escaped (the values are identifiers; `.` is the one that occurs). */
const reEscape = (s: string) => s.replace(/[.^$*+?()[\]{}|\\]/g, "\\$&");

/**
 * The pair that makes a single-valued claim exact: one of `values`, and no other value beside it
 * (a `not_any_of` regex matching any value that is not exactly one of them).
 */
function exactly(type: string, values: readonly string[]): RemoteRequirement[] {
  return [
    { type, any_one_of: [...values] },
    { type, not_any_of: [`^(?!(?:${values.map(reEscape).join("|")})$)`], regex: true },
  ];
}

function baseRemote(input: MappingInput): RemoteRequirement[] {
  const p = input.claimPrefix;
  const remote: RemoteRequirement[] = [
    { type: p + input.claims.userId },
    { type: p + input.claims.username },
  ];
  if (input.claims.email !== undefined) remote.push({ type: p + input.claims.email });
  remote.push({ type: input.remoteIdAttribute, any_one_of: [input.issuer] });
  remote.push(...exactly(`${p}azp`, input.clientIds));
  return remote;
}

function compareGroups(a: MappedGroup, b: MappedGroup): number {
  return a.domain === b.domain
    ? a.keystoneGroup < b.keystoneGroup
      ? -1
      : a.keystoneGroup > b.keystoneGroup
        ? 1
        : 0
    : a.domain < b.domain
      ? -1
      : 1;
}

function perTenantRules(input: MappingInput, user: LocalUser): MappingRule[] {
  const tenants = new Map<string, MappedGroup[]>();
  for (const g of [...input.groups].sort(compareGroups)) {
    if (!tenants.has(g.domain)) tenants.set(g.domain, []);
    tenants.get(g.domain)!.push(g);
  }
  const groupsClaim = input.claimPrefix + input.claims.access;
  return [...tenants.entries()].map(([domain, groups]) => {
    const remote = baseRemote(input);
    const slot = remote.filter(
      (r) => r.any_one_of === undefined && r.not_any_of === undefined,
    ).length; // any_one_of and not_any_of entries take no slot
    const broker = groups[0]!.brokerAlias;
    if (broker !== undefined)
      remote.push(...exactly(input.claimPrefix + input.brokerClaim, [broker]));
    const values = groups.map((g) => g.claimValue).sort();
    remote.unshift({ type: groupsClaim, any_one_of: values });
    remote.push({ type: groupsClaim, whitelist: values });
    return {
      local: [
        { user: { ...user } },
        { groups: `{${slot}}`, domain: { name: escapeFormat(domain) } },
      ],
      remote,
    };
  });
}

export function generateMapping(input: MappingInput): MappingDocument {
  const user = userLocal(input);
  if (input.layout === "perTenant") {
    const rules = perTenantRules(input, user);
    if (!input.denyWithoutGroup)
      rules.push({ local: [{ user: { ...user } }], remote: baseRemote(input) });
    return { rules };
  }
  const rules: MappingRule[] = [...input.groups].sort(compareGroups).map((g) => {
    const remote: RemoteRequirement[] = [
      { type: input.claimPrefix + input.claims.access, any_one_of: [g.claimValue] },
      ...baseRemote(input),
    ];
    if (g.brokerAlias !== undefined)
      remote.push(...exactly(input.claimPrefix + input.brokerClaim, [g.brokerAlias]));
    return {
      local: [
        { user: { ...user } },
        {
          group: { name: escapeFormat(g.keystoneGroup), domain: { name: escapeFormat(g.domain) } },
        },
      ],
      remote,
    };
  });
  if (!input.denyWithoutGroup)
    rules.push({ local: [{ user: { ...user } }], remote: baseRemote(input) });
  return { rules };
}

/** The committed golden text: two-space JSON with a final newline. */
export function renderMapping(doc: MappingDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
