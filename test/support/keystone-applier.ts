/**
 * Test-only applier: creates in a real Keystone what @pulumi/openstack would, from the resource
 * inputs a mock-runtime run of a stack captured (the OpenStack plugin cannot run here). It resolves
 * the mock ids (`<logical name>-id`) to the real ids it creates, so the graph is exactly the
 * stack's, with no hand-written copy. Also removes what it created, for teardown checks.
 */
import { call, type KeystoneSession } from "./keystone-admin";
import type { Invocation, Registration } from "./mock-runtime";

async function ok(
  s: KeystoneSession,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const r = await call(s, method, path, body);
  if (r.status >= 300)
    throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

const PROJECT = "openstack:identity/project:Project";
const GROUP = "openstack:identity/groupV3:GroupV3";
const ROLE = "openstack:identity/role:Role";
const ASSIGNMENT = "openstack:identity/roleAssignment:RoleAssignment";
const GET_ROLE = "openstack:identity/getRole:getRole";

export interface Applied {
  /** mock id -> real Keystone id */
  readonly ids: Map<string, string>;
  /** What was created, in creation order, for teardown. */
  readonly created: {
    kind: "domain" | "project" | "group" | "role" | "assignment";
    path: string;
  }[];
}

/** Creates every @pulumi/openstack object of a captured graph; returns the id map. */
export async function applyOpenstackGraph(
  s: KeystoneSession,
  regs: readonly Registration[],
  calls: readonly Invocation[],
): Promise<Applied> {
  const ids = new Map<string, string>();
  const created: Applied["created"] = [];
  const real = (mockId: unknown): string => {
    const id = ids.get(String(mockId));
    if (!id) throw new Error(`applier: ${String(mockId)} was not created first`);
    return id;
  };
  for (const c of calls.filter((x) => x.token === GET_ROLE)) {
    const name = String(c.inputs.name);
    const found = (await ok(s, "GET", `/roles?name=${encodeURIComponent(name)}`)).roles as {
      id: string;
    }[];
    if (!found[0]) throw new Error(`applier: role ${name} does not exist`);
    ids.set(`role-${name}-id`, found[0].id);
  }
  const ordered = [
    ...regs.filter((r) => r.type === PROJECT && r.inputs.isDomain === true),
    ...regs.filter((r) => r.type === PROJECT && r.inputs.isDomain !== true),
    ...regs.filter((r) => r.type === GROUP),
    ...regs.filter((r) => r.type === ROLE),
    ...regs.filter((r) => r.type === ASSIGNMENT),
  ];
  for (const r of ordered) {
    const i = r.inputs;
    if (r.type === PROJECT && i.isDomain === true) {
      const body = (
        await ok(s, "POST", "/domains", {
          domain: { name: i.name, description: i.description ?? "", enabled: i.enabled ?? true },
        })
      ).domain as { id: string };
      ids.set(r.id, body.id);
      created.push({ kind: "domain", path: `/domains/${body.id}` });
    } else if (r.type === PROJECT) {
      const body = (
        await ok(s, "POST", "/projects", {
          project: {
            name: i.name,
            description: i.description ?? "",
            domain_id: real(i.domainId),
            enabled: i.enabled ?? true,
          },
        })
      ).project as { id: string };
      ids.set(r.id, body.id);
      created.push({ kind: "project", path: `/projects/${body.id}` });
    } else if (r.type === GROUP) {
      const body = (
        await ok(s, "POST", "/groups", {
          group: { name: i.name, description: i.description ?? "", domain_id: real(i.domainId) },
        })
      ).group as { id: string };
      ids.set(r.id, body.id);
      created.push({ kind: "group", path: `/groups/${body.id}` });
    } else if (r.type === ROLE) {
      const body = (await ok(s, "POST", "/roles", { role: { name: i.name } })).role as {
        id: string;
      };
      ids.set(r.id, body.id);
      created.push({ kind: "role", path: `/roles/${body.id}` });
    } else {
      const target =
        i.projectId !== undefined
          ? `/projects/${real(i.projectId)}`
          : `/domains/${real(i.domainId)}`;
      const path = `${target}/groups/${real(i.groupId)}/roles/${real(i.roleId)}`;
      await ok(s, "PUT", path);
      created.push({ kind: "assignment", path });
    }
  }
  return { ids, created };
}

/** Deletes what `applyOpenstackGraph` created, newest first (domains are disabled before deletion). */
export async function removeOpenstackGraph(s: KeystoneSession, applied: Applied): Promise<void> {
  for (const c of [...applied.created].reverse()) {
    if (c.kind === "domain") await ok(s, "PATCH", c.path, { domain: { enabled: false } });
    const r = await call(s, "DELETE", c.path);
    if (r.status >= 300 && r.status !== 404) throw new Error(`DELETE ${c.path}: HTTP ${r.status}`);
  }
}
