/**
 * A Keystone (or a proxy in front of it) that echoes the request in its error body must not get
 * the session token or the credentials into the provider's errors: the error type scrubs what it
 * carries, on every path (authentication, read, create, delete, and an expected-status call).
 * The server on loopback hands out a session token no pattern would recognise, so only the error
 * type's own memory of the credentials and tokens it used can remove it.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientGlobals, keystoneExpect } from "../../infra/providers/keystone/client";
import type { KeystoneConnection } from "../../infra/providers/keystone/connection";
import { createExactly, deleteOne, readOne } from "../../infra/providers/keystone/crud";
import { setConnection } from "../../infra/providers/keystone/runtime";

const PASSWORD = `pw-${randomBytes(12).toString("hex")}`;
const SESSION = `session-${randomBytes(16).toString("hex")}`;
let server: Server;
let base = "";

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      const echo = JSON.stringify({
        error: { message: `echo ${JSON.stringify(req.headers)} ${body}` },
      });
      if (req.method === "POST" && req.url === "/v3/auth/tokens") {
        if (body.includes(PASSWORD)) {
          res.writeHead(201, { "content-type": "application/json", "x-subject-token": SESSION });
          res.end(
            JSON.stringify({
              token: { expires_at: new Date(Date.now() + 3_600_000).toISOString() },
            }),
          );
        } else {
          res.writeHead(401, { "content-type": "application/json" });
          res.end(echo);
        }
        return;
      }
      if (req.method === "GET" && req.url === "/v3/absent") {
        res.writeHead(404, { "content-type": "application/json" });
        res.end("{}");
        return;
      }
      res.writeHead(400, { "content-type": "application/json" });
      res.end(echo);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;
});

afterAll(async () => {
  setConnection(undefined);
  await new Promise((r) => server.close(r));
});

function connection(password: string): KeystoneConnection {
  return {
    authUrl: base,
    auth: { method: "password", username: "admin", password, userDomainName: "Default" },
    insecure: false,
    timeoutMs: 5000,
  };
}

async function failure(run: () => Promise<unknown>): Promise<string> {
  const e = await run().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, "the call fails").toBeInstanceOf(Error);
  return (e as Error).message;
}

describe("Keystone errors that echo the request carry no token and no credential", () => {
  it.each([
    ["read", () => readOne("/echo")],
    ["delete", () => deleteOne("/echo")],
    ["create (the lookup)", () => createExactly({ ...createArgs, path: "/echo" })],
    ["create (the PUT)", () => createExactly({ ...createArgs, path: "/absent" })],
    [
      "an expected-status call",
      () => keystoneExpect(connection(PASSWORD), "PATCH", "/echo", [200], {}),
    ],
  ])("%s", async (_what, run) => {
    setConnection(connection(PASSWORD));
    const message = await failure(run);
    expect(message, "the echo reached the error").toContain("echo");
    expect(message).not.toContain(SESSION);
    expect(message).not.toContain(PASSWORD);
    expect(clientGlobals().secrets.has(SESSION), "the check can fail: the token was used").toBe(
      true,
    );
  });

  it("authentication refused with the password echoed", async () => {
    const wrong = `${PASSWORD}-wrong`;
    setConnection(connection(wrong));
    const message = await failure(() => readOne("/echo"));
    expect(message).toContain("echo");
    expect(message).not.toContain(wrong);
  });
});

const createArgs = {
  createBody: { x: 1 },
  patchBody: { x: 1 },
  adopt: false,
  stateFrom: (b: Record<string, unknown>) => b,
  exact: () => false,
  exists: () => "exists",
};
