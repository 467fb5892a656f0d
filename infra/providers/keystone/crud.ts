/**
 * The read, delete and create-or-converge steps the Keystone resources share. Like the rest of the
 * provider, serialized by value with it (imports are local modules only).
 */
import { hintFor, keystoneCall, keystoneExpect, KeystoneError, messageOf } from "./client";
import { currentConnection } from "./runtime";

type Body = Record<string, unknown>;

/** GET one object: its body, or undefined when Keystone says 404. */
export async function readOne(path: string): Promise<Body | undefined> {
  const res = await keystoneCall(currentConnection(), "GET", path);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new KeystoneError("GET", path, res.status, messageOf(res));
  return res.body;
}

/** DELETE one object; already gone (404) counts as done. */
export async function deleteOne(path: string): Promise<void> {
  const res = await keystoneCall(currentConnection(), "DELETE", path);
  if (res.status !== 204 && res.status !== 404)
    throw new KeystoneError("DELETE", path, res.status, messageOf(res));
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
    if (c.exact(current)) return current;
    if (!c.adopt) throw new KeystoneError("PUT", c.path, 409, c.exists(current));
    const refusal = c.cannotAdopt?.(current);
    if (refusal !== undefined) throw new KeystoneError("PATCH", c.path, 409, refusal);
    const res = await keystoneExpect(conn, "PATCH", c.path, [200], c.patchBody);
    return c.stateFrom(res.body);
  }
  if (existing.status !== 404)
    throw new KeystoneError("GET", c.path, existing.status, messageOf(existing));
  const res = await keystoneCall(conn, "PUT", c.path, c.createBody);
  if (res.status === 201) return c.stateFrom(res.body);
  if (res.status === 409) {
    const again = await keystoneExpect(conn, "GET", c.path, [200]);
    const now = c.stateFrom(again.body);
    if (c.exact(now)) return now;
  }
  throw new KeystoneError("PUT", c.path, res.status, messageOf(res) + hintFor(res.status));
}
