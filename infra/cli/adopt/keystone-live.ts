/**
 * What Keystone holds under the names a stack derives, read with the stack's own Keystone
 * credentials (the connection the dynamic provider uses): the domains, projects and groups to
 * import, and the identity provider, mapping and protocol `federation.adopt` would take over,
 * compared with the declaration so the operator sees each difference before anything changes.
 */
import type { DeploymentModel } from "../../model/deployment-model";
import { keystoneExpect } from "../../providers/keystone/client";
import { readOne } from "../../providers/keystone/crud";
import { canonicalJson, sameSet } from "../../providers/keystone/compare";
import type { KeystoneConnection } from "../../providers/keystone/connection";
import type { Wanted } from "./plan";

type Body = Record<string, unknown>;

async function list(conn: KeystoneConnection, path: string, key: string): Promise<Body[]> {
  const res = await keystoneExpect(conn, "GET", path, [200]);
  return (res.body[key] as Body[] | undefined) ?? [];
}

/** One object under `key`, or undefined on 404 (the provider's own read, on the connection set
 * by the caller with `setConnection`). */
async function one(path: string, key: string): Promise<Body | undefined> {
  return (await readOne(path))?.[key] as Body | undefined;
}

/** A declared object found twice under one name: the import would be a guess. */
export class AmbiguousObject extends Error {}

/** Logical name -> id of every wanted object Keystone has; domains first, their contents inside them. */
export async function findLive(
  conn: KeystoneConnection,
  wanted: readonly Wanted[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const domainIds = new Map<string, string>();
  const q = encodeURIComponent;
  const pick = (w: Wanted, hits: Body[]): void => {
    if (hits.length > 1)
      throw new AmbiguousObject(
        `Keystone has ${hits.length} ${w.kind}s named "${w.name}"${w.domain ? ` in domain "${w.domain}"` : ""}: adopt one by hand (pulumi import) or remove the others`,
      );
    const id = hits[0]?.id;
    if (typeof id === "string") found.set(w.logicalName, id);
  };
  for (const w of wanted.filter((x) => x.kind === "domain")) {
    pick(w, await list(conn, `/domains?name=${q(w.name)}`, "domains"));
    const id = found.get(w.logicalName);
    if (id) domainIds.set(w.key, id);
  }
  for (const w of wanted.filter((x) => x.kind !== "domain")) {
    const domainId = w.domainKey ? domainIds.get(w.domainKey) : undefined;
    if (!domainId) continue; // its domain is new: so is everything in it
    const collection = w.kind === "project" ? "projects" : "groups";
    pick(
      w,
      await list(conn, `/${collection}?name=${q(w.name)}&domain_id=${q(domainId)}`, collection),
    );
  }
  return found;
}

/** One difference between what Keystone holds and what the stack declares. */
export interface Difference {
  readonly object: string;
  readonly field: string;
  readonly live: string;
  readonly declared: string;
}

export interface FederationLive {
  /** Objects that exist (the identity provider, mapping and protocol, by their path). */
  readonly existing: readonly string[];
  /** What `up` will change in place, with `federation.adopt`. */
  readonly differences: readonly Difference[];
  /** Why the adoption cannot go ahead as declared: each names the key that fixes it. */
  readonly refusals: readonly string[];
  /** Objects Keystone keeps that the stack will no longer use (e.g. another mapping). */
  readonly leftBehind: readonly string[];
}

/**
 * The identity provider, its protocol and the mapping the stack declares, against Keystone.
 * `usersDomainId` is the id of the federated users' domain when Keystone already has it.
 */
export async function federationLive(
  conn: KeystoneConnection,
  model: DeploymentModel,
  usersDomainId: string | undefined,
): Promise<FederationLive> {
  const f = model.federation;
  const q = encodeURIComponent;
  const idpPath = `/OS-FEDERATION/identity_providers/${q(f.idpId)}`;
  const mappingPath = `/OS-FEDERATION/mappings/${q(f.mappingId)}`;
  const protocolPath = `${idpPath}/protocols/${q(f.protocolId)}`;
  const existing: string[] = [];
  const differences: Difference[] = [];
  const refusals: string[] = [];
  const leftBehind: string[] = [];
  const differ = (object: string, field: string, live: unknown, declared: unknown) => {
    if (canonicalJson(live) !== canonicalJson(declared))
      differences.push({
        object,
        field,
        live: JSON.stringify(live),
        declared: JSON.stringify(declared),
      });
  };

  const idp = await one(idpPath, "identity_provider");
  if (idp) {
    existing.push(`identity provider ${f.idpId}`);
    const remoteIds = (idp.remote_ids as string[] | undefined) ?? [];
    if (!sameSet(remoteIds, f.remoteIds))
      differ(`identity provider ${f.idpId}`, "remote_ids", remoteIds, f.remoteIds);
    differ(`identity provider ${f.idpId}`, "enabled", idp.enabled ?? true, true);
    const usersDomain = model.keystone.domains.find((d) => d.key === f.idpDomainKey)?.name;
    if (usersDomainId === undefined || idp.domain_id !== usersDomainId) {
      const where = await one(`/domains/${q(String(idp.domain_id))}`, "domain");
      refusals.push(
        `federation.userDomain: identity provider ${f.idpId} lives in domain "${String(where?.name ?? idp.domain_id)}", but the stack declares "${usersDomain ?? f.idpDomainKey}"; Keystone cannot move an identity provider (a new one would lose its federated users): set federation.userDomain to "${String(where?.name ?? idp.domain_id)}"`,
      );
    }
  }
  if (!idp) {
    // An identity provider for this realm under another id: the stack would add a second one.
    for (const other of await list(
      conn,
      "/OS-FEDERATION/identity_providers",
      "identity_providers",
    )) {
      const remote = (other.remote_ids as string[] | undefined) ?? [];
      if (remote.some((r) => f.remoteIds.includes(r)))
        refusals.push(
          `federation.idpId: Keystone's identity provider "${String(other.id)}" trusts this realm (${remote.join(", ")}), the stack declares "${f.idpId}": set federation.idpId: ${String(other.id)} to take it over`,
        );
    }
  } else {
    const remote = (idp.remote_ids as string[] | undefined) ?? [];
    const realmsOf = `${model.keycloak.url}/realms/`;
    const otherRealm = remote.find((r) => r.startsWith(realmsOf) && !f.remoteIds.includes(r));
    if (otherRealm !== undefined && !remote.some((r) => f.remoteIds.includes(r)))
      refusals.push(
        `realm.name: identity provider ${f.idpId} trusts realm "${otherRealm.slice(realmsOf.length)}" of this Keycloak, the stack declares "${model.keycloak.realm.name}": set realm.name: ${otherRealm.slice(realmsOf.length)} to take that realm over`,
      );
    const protocols = await list(conn, `${idpPath}/protocols`, "protocols");
    if (protocols.length > 0 && !protocols.some((p) => p.id === f.protocolId))
      refusals.push(
        `federation.protocolId: identity provider ${f.idpId} has protocol ${protocols.map((p) => `"${String(p.id)}"`).join(", ")}, the stack declares "${f.protocolId}": set federation.protocolId to it`,
      );
  }
  const mapping = await one(mappingPath, "mapping");
  if (mapping) {
    existing.push(`mapping ${f.mappingId}`);
    const rules = (mapping.rules as unknown[] | undefined) ?? [];
    if (canonicalJson(rules) !== canonicalJson(f.mapping.rules))
      differences.push({
        object: `mapping ${f.mappingId}`,
        field: "rules",
        live: `${rules.length} rules`,
        declared: `the stack's ${f.mapping.rules.length} (mappings/<stack>.rules.json; \`npm run mapping\` explains them)`,
      });
  }
  const protocol = idp ? await one(protocolPath, "protocol") : undefined;
  if (protocol) {
    existing.push(`protocol ${f.idpId}/${f.protocolId}`);
    const used = String(protocol.mapping_id);
    differ(`protocol ${f.idpId}/${f.protocolId}`, "mapping_id", used, f.mappingId);
    if (used !== f.mappingId)
      leftBehind.push(
        `mapping ${used} (the protocol's mapping before the adoption; unused once \`up\` has run: delete it then, or keep it to roll back)`,
      );
  }
  return { existing, differences, refusals, leftBehind };
}
