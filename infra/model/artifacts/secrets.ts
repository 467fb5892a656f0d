/**
 * How rendered files refer to secrets. Without explicit secret values a file carries a reference:
 * Apache reads `${OKF_OIDC_CLIENT_SECRET}` from its environment (e.g. /etc/apache2/envvars), other
 * files carry a placeholder naming the command that prints the value. With values, the file holds
 * them and is marked secret (mode 0600, never printed).
 */
export interface RenderSecrets {
  /** The Keystone OIDC client's secret (stack output `clientSecret`). */
  readonly clientSecret?: string;
  /** mod_auth_openidc OIDCCryptoPassphrase (`oidcCryptoPassphrase` secret). */
  readonly cryptoPassphrase?: string;
}

export const APACHE_CLIENT_SECRET_REF = "${OKF_OIDC_CLIENT_SECRET}";
export const APACHE_PASSPHRASE_REF = "${OKF_OIDC_CRYPTO_PASSPHRASE}";
export const CLIENT_SECRET_PLACEHOLDER =
  "<set me: pulumi stack output clientSecret --show-secrets>";
