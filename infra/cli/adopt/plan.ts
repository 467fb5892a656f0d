/**
 * What `npm run adopt` brings under a stack, decided from plain data: the import skeleton the engine
 * wrote (`pulumi preview --import-file`: every resource the stack would create, with its type,
 * logical name, parent and provider), the deployment model (the names the program derives) and what
 * Keystone holds under those names. Pure: the CLI fetches, this decides.
 *
 * Imported (kept in state with their live values, then converged in place by the next `up`): the
 * Keystone domains, projects and groups the stack declares and Keystone already has. Left to `up`:
 * everything else (created, or for the identity provider, mapping and protocol taken over by the
 * dynamic provider with `federation.adopt`). Role assignments need no import: granting an existing
 * assignment again changes nothing.
 */
import type { DeploymentModel } from "../../model/deployment-model";

/** One entry of Pulumi's import file. */
export interface ImportEntry {
  readonly type: string;
  readonly name: string;
  readonly id?: string;
  readonly parent?: string;
  readonly provider?: string;
  readonly version?: string;
  readonly component?: boolean;
  readonly logicalName?: string;
  readonly inputs?: Record<string, unknown>;
}

export interface ImportFile {
  readonly nameTable?: Record<string, string>;
  readonly resources: readonly ImportEntry[];
}

/** A Keystone object the stack declares, looked up by the name the model derives. */
export interface Wanted {
  /** Logical name of its resource: `<tenancy component>-<model key>`. */
  readonly logicalName: string;
  readonly kind:
    "domain" | "project" | "group" | "realm" | "client" | "mapper" | "keycloak group" | "role";
  readonly name: string;
  /** The domain it lives in (projects and groups), by name. */
  readonly domain?: string;
  /** The model key of that domain. */
  readonly domainKey?: string;
  readonly key: string;
}

export const PROJECT_TYPE = "openstack:identity/project:Project";
export const GROUP_TYPE = "openstack:identity/groupV3:GroupV3";
export const TENANCY_TYPE = "okf:keystone:Tenancy";
export const KEYCLOAK_SIDE_TYPE = "okf:keycloak:Federation";

/**
 * The types an adoption imports: Keystone's tenancy and the proxy realm's objects. Grants, group
 * role assignments and optional scopes are made again in place by `up` (idempotent); the identity
 * provider, mapping and protocol are dynamic resources, taken over with `federation.adopt`.
 */
const IMPORTABLE = new Set([
  PROJECT_TYPE,
  GROUP_TYPE,
  "keycloak:index/realm:Realm",
  "keycloak:openid/client:Client",
  "keycloak:index/group:Group",
  "keycloak:index/role:Role",
  "keycloak:openid/audienceProtocolMapper:AudienceProtocolMapper",
  "keycloak:openid/userPropertyProtocolMapper:UserPropertyProtocolMapper",
  "keycloak:openid/subProtocolMapper:SubProtocolMapper",
  "keycloak:openid/userClientRoleProtocolMapper:UserClientRoleProtocolMapper",
  "keycloak:openid/userSessionNoteProtocolMapper:UserSessionNoteProtocolMapper",
]);
const PLACEHOLDER = "<PLACEHOLDER>";

/** The Keystone objects the stack declares, with the logical names the program gives them. */
export function wantedObjects(model: DeploymentModel, tenancyName: string): Wanted[] {
  const t = model.keystone;
  const domainName = new Map(t.domains.map((d) => [d.key, d.name]));
  const inDomain = (key: string) => ({ domain: domainName.get(key) ?? key, domainKey: key });
  return [
    ...t.domains.map((d) => ({
      logicalName: `${tenancyName}-${d.key}`,
      kind: "domain" as const,
      name: d.name,
      key: d.key,
    })),
    ...t.projects.map((p) => ({
      logicalName: `${tenancyName}-${p.key}`,
      kind: "project" as const,
      name: p.name,
      key: p.key,
      ...inDomain(p.domainKey),
    })),
    ...t.groups.map((g) => ({
      logicalName: `${tenancyName}-${g.key}`,
      kind: "group" as const,
      name: g.name,
      key: g.key,
      ...inDomain(g.domainKey),
    })),
  ];
}

/**
 * The logical name of a component in the skeleton (its children's logical names start with it):
 * the import file names it by `name`, or by `logicalName` when the two differ. A component already
 * in the state (an earlier `up` got that far, then failed or was killed) is not in the file's
 * resources but in its name table, as the URN its children's `parent` points to.
 */
export function componentName(skeleton: ImportFile, type: string): string | undefined {
  const c = skeleton.resources.find((r) => r.type === type && r.component);
  if (c) return c.logicalName ?? c.name;
  for (const urn of Object.values(skeleton.nameTable ?? {})) {
    // urn:pulumi:<stack>::<project>::<parent types joined by $>$<type>::<name>
    const [types, name] = urn.split("::").slice(-2);
    if (types?.split("$").pop() === type) return name;
  }
  return undefined;
}

/** Logical name -> type of every resource the skeleton would import (no provider, no component). */
export function skeletonTypes(skeleton: ImportFile): Map<string, string> {
  return new Map(
    skeleton.resources
      .filter((r) => !r.component && !r.type.startsWith("pulumi:providers:"))
      .map((r) => [r.name, r.type]),
  );
}

export interface AdoptionPlan {
  /** The import file for `pulumi import --file`; no resource when there is nothing to adopt. */
  readonly file: ImportFile;
  /** Adopted objects: kind, name and the id Keystone gave it (unchanged by the adoption). */
  readonly adopted: readonly (Wanted & { readonly id: string })[];
  /** Declared objects Keystone lacks: the next `up` creates them. */
  readonly missing: readonly Wanted[];
}

/**
 * The import file: the skeleton's providers and components (parents of what is imported), and the
 * domains, projects and groups found live (`found`: logical name -> id). Placeholders are dropped.
 */
export function adoptionPlan(
  skeleton: ImportFile,
  wanted: readonly Wanted[],
  found: ReadonlyMap<string, string>,
): AdoptionPlan {
  const byName = new Map(wanted.map((w) => [w.logicalName, w]));
  const adopted: (Wanted & { id: string })[] = [];
  const resources: ImportEntry[] = [];
  for (const r of skeleton.resources) {
    if (r.component || r.type.startsWith("pulumi:providers:")) {
      resources.push(r);
      continue;
    }
    const w = byName.get(r.name);
    const id = found.get(r.name);
    if (!w || id === undefined || !IMPORTABLE.has(r.type)) continue;
    resources.push({ ...r, id });
    adopted.push({ ...w, id });
  }
  const imported = resources.some((r) => r.id !== undefined && r.id !== PLACEHOLDER);
  return {
    file: { ...skeleton, resources: imported ? resources : [] },
    adopted,
    missing: wanted.filter((w) => !found.has(w.logicalName)),
  };
}
