/** Configuration schema: the Keycloak connection, the proxy realm and the Keystone client. */
import { z } from "zod";
import { identifier, seconds } from "./schema-common";

export const KeycloakAdminSchema = z.strictObject({
  realm: z
    .string()
    .min(1)
    .default("master")
    .describe("Realm the admin account lives in. Default `master`."),
  clientId: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Client id of a confidential admin client (service account). Its secret is the `keycloakAdminSecret` secret.",
    ),
  username: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Admin user name (password grant against `admin-cli`). Its password is the `keycloakAdminPassword` secret.",
    ),
});

export const KeycloakSchema = z.strictObject({
  url: z
    .string()
    .describe(
      "Keycloak base URL, e.g. `https://id.example.com` (include `/auth` for Keycloak < 17). No trailing slash.",
    ),
  admin: KeycloakAdminSchema.describe("How Pulumi authenticates to Keycloak's admin API."),
  caBundle: z
    .string()
    .min(1)
    .optional()
    .describe("PEM CA bundle file used to verify Keycloak's TLS certificate."),
  insecure: z
    .boolean()
    .default(false)
    .describe("Skip TLS verification. Only accepted on `local` and `test` stacks. Default false."),
  version: z
    .number()
    .int()
    .min(22)
    .default(26)
    .describe(
      "Major version of the Keycloak server, checked against what the stack asks of it (Organizations need 26). Default 26.",
    ),
});

/** How a user at the proxy realm's login page is sent to their customer realm. */
export const DISCOVERY_MECHANISMS = ["organizations", "home-idp-discovery-extension"] as const;

export const TokenLifetimesSchema = z.strictObject({
  accessToken: seconds
    .default(300)
    .describe(
      "Access token lifetime in seconds. Default 300. Keystone tokens outlive it; keep it short.",
    ),
  ssoSessionIdle: seconds
    .default(1800)
    .describe("SSO session idle timeout in seconds. Default 1800."),
  ssoSessionMax: seconds
    .default(36000)
    .describe("SSO session max lifetime in seconds. Default 36000."),
  deviceCode: seconds
    .default(600)
    .describe("Device code lifetime in seconds (CLI login). Default 600."),
  offlineSessionIdle: seconds
    .default(2_592_000)
    .describe(
      "Offline session idle timeout in seconds: how long an unused offline token stays valid. Default 2592000 (30 days).",
    ),
  offlineSessionMax: seconds
    .default(5_184_000)
    .describe(
      "Offline session max lifetime in seconds, always enforced: an offline token ends then, used or not. Default 5184000 (60 days).",
    ),
});

/** Login-failure protection, the same in the proxy realm and every customer realm. */
export const BruteForceSchema = z.strictObject({
  maxLoginFailures: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .describe("Failed logins (password grant included) before a temporary lockout. Default 10."),
  waitIncrementSeconds: seconds
    .default(60)
    .describe("Lockout added per step of failures, in seconds. Default 60."),
  maxFailureWaitSeconds: seconds
    .default(900)
    .describe("Longest temporary lockout, in seconds. Default 900."),
  failureResetTimeSeconds: seconds
    .default(43_200)
    .describe("Seconds after which the failure count resets. Default 43200."),
  quickLoginCheckMilliSeconds: z
    .number()
    .int()
    .positive()
    .default(1000)
    .describe(
      "Two failures closer than this (milliseconds) count as a quick login (a script). Default 1000.",
    ),
  minimumQuickLoginWaitSeconds: seconds
    .default(60)
    .describe("Lockout after a quick login failure, in seconds. Default 60."),
});

export const SigningKeySchema = z.strictObject({
  algorithm: z
    .enum(["RS256", "RS384", "RS512", "PS256"])
    .default("RS256")
    .describe(
      "JWS algorithm of the generated realm key. Default RS256 (what mod_auth_openidc verifies by default).",
    ),
  keySize: z
    .union([z.literal(2048), z.literal(3072), z.literal(4096)])
    .default(2048)
    .describe("RSA key size in bits. Default 2048."),
  priority: z
    .number()
    .int()
    .default(200)
    .describe(
      "Key priority; the highest active key signs. Default 200 (above Keycloak's generated default of 100).",
    ),
});

export const CustomerRealmSchema = z.strictObject({
  name: identifier("customer realm name").describe(
    "Realm name of the customer realm; also the alias of its identity provider in the proxy realm.",
  ),
  displayName: z
    .string()
    .min(1)
    .optional()
    .describe("Display name on the login page. Default: the name."),
  emailDomains: z
    .array(z.string())
    .min(1, { message: "at least one e-mail domain is required" })
    .describe(
      "E-mail domains routed to this realm (its organization's domains, or the extension's), e.g. `acme.example`. Lower case; at least one.",
    ),
});

export const RealmSchema = z.strictObject({
  name: identifier("realm name").describe(
    "Name of the central (proxy) realm that issues the tokens Keystone accepts.",
  ),
  displayName: z.string().min(1).optional().describe("Display name shown on the login page."),
  tokens: TokenLifetimesSchema.prefault({}).describe("Token and session lifetimes."),
  bruteForce: BruteForceSchema.prefault({}).describe(
    "Brute-force protection of the proxy realm and every customer realm: temporary lockouts only, so an attacker cannot lock a user out for good.",
  ),
  signingKey: SigningKeySchema.optional().describe(
    "Generate a dedicated realm signing key with these settings. Omit to keep Keycloak's default key.",
  ),
  customerRealms: z
    .array(CustomerRealmSchema)
    .default([])
    .describe(
      "Customer realms brokered into the proxy realm, each found from the e-mail domain the user types. Default none.",
    ),
  discovery: z
    .enum(DISCOVERY_MECHANISMS)
    .default("organizations")
    .describe(
      "How the proxy realm's login sends a user to their customer realm by e-mail domain: `organizations` (Keycloak 26's own Organizations: one organization per customer realm, identity-first login, redirect on e-mail match) or `home-idp-discovery-extension` (the third-party keycloak-home-idp-discovery extension, which must be installed on the server). Default `organizations`.",
    ),
});

export const ClientSchema = z.strictObject({
  clientId: identifier("client id")
    .default("keystone")
    .describe(
      "OIDC client id Keystone (mod_auth_openidc) uses; required as `azp` by every mapping rule. Default `keystone`.",
    ),
  confidential: z
    .boolean()
    .default(true)
    .describe(
      "Confidential client (has a secret). Default true. A public client relies on PKCE alone.",
    ),
  pkceMethod: z
    .string()
    .optional()
    .describe("Retired: PKCE is always S256 (`plain` leaks the verifier). Remove the key."),
  deviceGrant: z
    .boolean()
    .default(true)
    .describe(
      "Declare the public CLI client with the device authorization grant (CLI `v3oidcdeviceauthz`, PKCE S256, no secret), accepted as `azp` next to `clientId`. The Keystone client itself never has the device grant, so CLI users never need its secret. Default true.",
    ),
  cliOfflineAccess: z
    .boolean()
    .default(false)
    .describe(
      "Let the public CLI client ask for `offline_access` (an offline token that outlives logout, bounded by `realm.tokens.offlineSessionMax`). Default false: the CLI client offers no optional scope, so it cannot mint one.",
    ),
  cliClientId: identifier("CLI client id")
    .optional()
    .describe(
      "Client id of the public CLI client (deviceGrant). Default `<clientId>-cli`. Must differ from `clientId`.",
    ),
  directAccessGrants: z
    .boolean()
    .default(false)
    .describe(
      "Enable the resource-owner password grant. Default false; only `local`/`test` stacks may enable it.",
    ),
  implicitFlow: z
    .boolean()
    .default(false)
    .describe("Enable the implicit flow. Default false; only `local`/`test` stacks may enable it."),
  groupsFullPath: z
    .boolean()
    .optional()
    .describe(
      "Retired: tokens no longer carry group paths; access rides on client roles. Remove the key.",
    ),
  extraRedirectUris: z
    .array(z.string())
    .default([])
    .describe("Extra exact redirect URIs (no wildcards). Default none."),
});
