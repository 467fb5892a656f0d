/**
 * Secret configuration keys. They are separate top-level keys of the project namespace, set with
 * `pulumi config set --secret <key> <value>`, never fields of the plain objects, so a secret can
 * never be committed in clear text by mistake. The pure parser only learns which are present and
 * whether they were stored as secrets; their values stay in Pulumi Outputs (see `load.ts`).
 */
export const SECRET_KEYS = {
  keycloakAdminSecret: "client secret of the Keycloak admin client (keycloak.admin.clientId)",
  keycloakAdminPassword: "password of the Keycloak admin user (keycloak.admin.username)",
  keystonePassword:
    "password of the Keystone user Pulumi uses (keystone.credentials.method: password)",
  keystoneApplicationCredentialSecret:
    "secret of the Keystone application credential (keystone.credentials.method: applicationCredential)",
  keystoneToken: "a Keystone token (keystone.credentials.method: token)",
  clientSecret: "fixed secret of the Keystone OIDC client; omit to let Keycloak generate one",
  oidcCryptoPassphrase: "mod_auth_openidc OIDCCryptoPassphrase for rendered Apache configuration",
  deliverySshKey: "private SSH key for delivery targets of kind ssh",
  smokeCheckPassword: "password of the Keycloak test user of the smoke check",
} as const;

export type SecretKey = keyof typeof SECRET_KEYS;

/** What a secret reads as where it is not decrypted (offline tools). */
export const SECRET_MARKER = "<secret: not decrypted>";
export const SECRET_KEY_NAMES = Object.keys(SECRET_KEYS) as SecretKey[];

export function isSecretKey(key: string): key is SecretKey {
  return Object.prototype.hasOwnProperty.call(SECRET_KEYS, key);
}

/** Where each secret key was found: `secret` (set with --secret) or `plain` (a mistake we reject). */
export type SecretPresence = Partial<Record<SecretKey, "secret" | "plain">>;

/** The shortest client secret or OIDC crypto passphrase accepted: 32 characters. */
export const MIN_SECRET_LENGTH = 32;

/** Secrets that guard others (the client's identity, every mod_auth_openidc session). */
const STRENGTH_CHECKED = ["clientSecret", "oidcCryptoPassphrase"] as const;

/**
 * Which of the given secret values are too short, named by key with their length; never their
 * value. Values that were not decrypted (`undefined`, or not a string) are left alone.
 */
export function weakSecretIssues(
  values: Readonly<Record<string, unknown>>,
  notDecrypted: string,
): { path: string; message: string; hint: string }[] {
  return STRENGTH_CHECKED.flatMap((key) => {
    const v = values[key];
    if (typeof v !== "string" || v === "" || v === notDecrypted || v.length >= MIN_SECRET_LENGTH)
      return [];
    return [
      {
        path: key,
        message: `is ${v.length} characters long, under the ${MIN_SECRET_LENGTH} a guessing attacker needs to face`,
        hint: `set a random one of at least ${MIN_SECRET_LENGTH} characters, e.g. \`pulumi config set --secret ${key} "$(openssl rand -base64 32)"\``,
      },
    ];
  });
}
