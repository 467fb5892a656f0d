/**
 * Stands in for Keycloak on the bearer-token path: a TLS server on loopback that publishes a realm's
 * discovery document and JWKS, and mints access tokens shaped like Keycloak's (RS256 with a `kid`,
 * `iss`, `sub`, `azp`, `aud`, `typ: Bearer`, plus the claims the stack's protocol mappers emit).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

/** Test users for the password grant: name -> password and the claims their token carries. */
export type FakeUsers = Record<string, { password: string; claims: Record<string, unknown> }>;

export interface FakeKeycloak {
  /** PEM file of the server's self-signed certificate (give it to OIDCCABundlePath). */
  readonly caFile: string;
  readonly issuer: string;
  mint(
    claims: Record<string, unknown>,
    options?: { expiresIn?: number; key?: "realm" | "foreign"; issuer?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

/** A self-signed certificate for localhost and 127.0.0.1, made with the openssl CLI. */
function selfSigned(dir: string): { key: string; cert: string; certFile: string } {
  const keyFile = join(dir, "tls.key");
  const certFile = join(dir, "tls.crt");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "2",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  return { key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8"), certFile };
}

/** Starts the server for `issuer` (its host and port are where it listens). */
export async function startFakeKeycloak(
  issuer: string,
  users: FakeUsers = {},
  clientId = "keystone",
): Promise<FakeKeycloak> {
  const dir = mkdtempSync(join(tmpdir(), "okf-fake-kc-"));
  const tls = selfSigned(dir);
  const realmKey = await generateKeyPair("RS256", { extractable: true });
  const foreignKey = await generateKeyPair("RS256", { extractable: true });
  const kid = "realm-rs256";
  const jwk: JWK = { ...(await exportJWK(realmKey.publicKey)), kid, alg: "RS256", use: "sig" };
  const url = new URL(issuer);
  const oidc = `${url.pathname}/protocol/openid-connect`;
  const discovery = {
    issuer,
    authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
    token_endpoint: `${issuer}/protocol/openid-connect/token`,
    jwks_uri: `${issuer}/protocol/openid-connect/certs`,
    userinfo_endpoint: `${issuer}/protocol/openid-connect/userinfo`,
    end_session_endpoint: `${issuer}/protocol/openid-connect/logout`,
    id_token_signing_alg_values_supported: ["RS256"],
    code_challenge_methods_supported: ["S256"],
  };
  const minter: { mint?: FakeKeycloak["mint"] } = {}; // set once the object below exists
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    if (req.method === "POST" && req.url === `${oidc}/token`) {
      // The password grant, as a test stack's Keycloak with directAccessGrants would answer it.
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
      req.on("end", () => {
        const form = new URLSearchParams(raw);
        const user = users[form.get("username") ?? ""];
        if (
          form.get("grant_type") !== "password" ||
          form.get("client_id") !== clientId ||
          !user ||
          user.password !== form.get("password")
        ) {
          res.writeHead(401, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              error: "invalid_grant",
              error_description: "Invalid user credentials",
            }),
          );
          return;
        }
        void minter.mint!({
          azp: clientId,
          aud: [clientId],
          preferred_username: form.get("username"),
          ...user.claims,
        }).then((token) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ access_token: token, token_type: "Bearer", expires_in: 300 }));
        });
      });
      return;
    }
    const body =
      req.url === `${oidc}/certs`
        ? { keys: [jwk] }
        : req.url === `${url.pathname}/.well-known/openid-configuration`
          ? discovery
          : undefined;
    res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(body ?? { error: "not found" }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(
      Number(url.port || 443),
      url.hostname === "localhost" ? "127.0.0.1" : url.hostname,
      resolve,
    );
  });
  const fake: FakeKeycloak = {
    caFile: tls.certFile,
    issuer,
    async mint(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const key: PrivateKey =
        options.key === "foreign" ? foreignKey.privateKey : realmKey.privateKey;
      return new SignJWT({ typ: "Bearer", scope: "openid profile email", ...claims })
        .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
        .setIssuer(options.issuer ?? issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresIn ?? 300))
        .setJti(crypto.randomUUID())
        .sign(key);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  minter.mint = fake.mint;
  return fake;
}
