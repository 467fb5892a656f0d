/**
 * The read, delete and create-or-converge steps the Keystone resources share. Like the rest of the
 * provider, serialized by value with it (imports are local modules only).
 */
import { hintFor, keystoneCall, keystoneExpect, keystoneError, messageOf } from "./client";
import { currentConnection } from "./runtime";

type Body = Record<string, unknown>;

/** GET one object: its body, or undefined when Keystone says 404. */
export async function readOne(path: string): Promise<Body | undefined> {
  const res = await keystoneCall(currentConnection(), "GET", path);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw keystoneError("GET", path, res.status, messageOf(res));
  return res.body;
}

/** DELETE one object; already gone (404) counts as done. */
export async function deleteOne(path: string): Promise<void> {
  const res = await keystoneCall(currentConnection(), "DELETE", path);
  if (res.status !== 204 && res.status !== 404)
    throw keystoneError("DELETE", path, res.status, messageOf(res));
}

export interface CreateExactly<S> {
  readonly path: string;
  /** The PUT body that creates the object. */
  readonly createBody: Body;
  /** The PATCH body that brings an adopted object to the desired state. */
  readonly patchBody: Body;
  readonly adopt: boolean;
  readonly stateFrom: (body: Body) => S;
  /** True when an existing object is exactly the desired one. */
  readonly exact: (state: S) => boolean;
  /** The refusal when the object exists, differs, and adopt is off. */
  readonly exists: (state: S) => string;
  /** A refusal even with adopt (what Keystone cannot change), if any. */
  readonly cannotAdopt?: (state: S) => string | undefined;
  /** Runs before an existing object is taken as this resource's (exact match or adopt); may throw. */
  readonly beforeTakeOver?: () => Promise<void>;
}

/**
 * Creates an object, converging only on an exact match: one left exactly as desired (by an
 * interrupted earlier create, or a retried PUT whose first answer was lost) is taken as created;
 * one that differs is refused, or with adopt patched to the desired state.
 */
export async function createExactly<S>(c: CreateExactly<S>): Promise<S> {
  const conn = currentConnection();
  const existing = await keystoneCall(conn, "GET", c.path);
  if (existing.status === 200) {
    const current = c.stateFrom(existing.body);
    if (c.exact(current)) {
      await c.beforeTakeOver?.();
      return current;
    }
    if (!c.adopt) throw keystoneError("PUT", c.path, 409, c.exists(current));
    const refusal = c.cannotAdopt?.(current);
    if (refusal !== undefined) throw keystoneError("PATCH", c.path, 409, refusal);
    await c.beforeTakeOver?.();
    const res = await keystoneExpect(conn, "PATCH", c.path, [200], c.patchBody);
    return c.stateFrom(res.body);
  }
  if (existing.status !== 404)
    throw keystoneError("GET", c.path, existing.status, messageOf(existing));
  const res = await keystoneCall(conn, "PUT", c.path, c.createBody);
  if (res.status === 201) return c.stateFrom(res.body);
  if (res.status === 409) {
    const again = await keystoneExpect(conn, "GET", c.path, [200]);
    const now = c.stateFrom(again.body);
    if (c.exact(now)) {
      await c.beforeTakeOver?.();
      return now;
    }
  }
  throw keystoneError("PUT", c.path, res.status, messageOf(res) + hintFor(res.status));
}

/**
 * The federation protocols (as `idp/protocol`) of every identity provider that use mapping
 * `mappingId`, except `own` (the stack's own protocol).
 */
export async function protocolsUsing(
  mappingId: string,
  own: string | undefined,
): Promise<string[]> {
  const idps = ((await readOne("/OS-FEDERATION/identity_providers"))?.identity_providers ?? []) as {
    id: string;
  }[];
  const users: string[] = [];
  for (const idp of idps) {
    const body = await readOne(
      `/OS-FEDERATION/identity_providers/${encodeURIComponent(idp.id)}/protocols`,
    );
    for (const p of (body?.protocols ?? []) as { id: string; mapping_id?: string }[]) {
      const name = `${idp.id}/${p.id}`;
      if (p.mapping_id === mappingId && name !== own) users.push(name);
    }
  }
  return users.sort();
}
