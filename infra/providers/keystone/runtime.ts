/**
 * The connection a provider method uses: the one `configure()` found in the stack configuration,
 * and nothing else (never ambient OS_* variables). Stored on globalThis so it is never part of the
 * serialized provider (and so never written to state).
 */
import { connectionFromStackConfig, type KeystoneConnection } from "./connection";

interface RuntimeGlobals {
  conn?: KeystoneConnection;
}

function globals(): RuntimeGlobals {
  const g = globalThis as typeof globalThis & { __okfKeystoneRuntime?: RuntimeGlobals };
  if (!g.__okfKeystoneRuntime) g.__okfKeystoneRuntime = {};
  return g.__okfKeystoneRuntime;
}

export function configureFromStack(get: (key: string) => string | undefined): void {
  const conn = connectionFromStackConfig(get);
  if (conn) globals().conn = conn;
}

/** Sets the connection explicitly (tests and tools); `undefined` clears it. */
export function setConnection(conn: KeystoneConnection | undefined): void {
  globals().conn = conn;
}

export function currentConnection(): KeystoneConnection {
  const conn = globals().conn;
  if (!conn) {
    throw new Error(
      "no Keystone credentials in the stack: set keystone.credentials (with its --secret key) or keystone.cloud; ambient OS_* variables are never used",
    );
  }
  return conn;
}
