/**
 * The JWKS location option of the mod_auth_openidc renderer (local Keycloak with an http issuer and
 * TLS on loopback): the bearer-token path fetches keys from the given https URL; http and values
 * that could break the directive are refused, in the renderer and in the render CLI.
 */
import { fixtureModel, FIXTURES_DIR } from "../../support/stack-files";
import { describe, expect, it } from "vitest";
import { main } from "../../../infra/cli/render";
import { renderApacheOidc } from "../../../infra/model/artifacts/apache-oidc";

const dev = fixtureModel("dev");
const jwksLine = (conf: string) =>
  conf.split("\n").filter((l) => l.startsWith("OIDCOAuthVerifyJwksUri"));

describe("renderApacheOidc jwksUri", () => {
  it("defaults to the realm's own jwks_uri", () => {
    expect(jwksLine(renderApacheOidc(dev))).toEqual([
      'OIDCOAuthVerifyJwksUri "http://localhost:8080/realms/openstack/protocol/openid-connect/certs"',
    ]);
  });

  it("uses the given https URL, and only for the keys: the issuer's metadata URL stays the realm's", () => {
    const conf = renderApacheOidc(
      dev,
      {},
      { jwksUri: "https://127.0.0.1:8443/realms/openstack/protocol/openid-connect/certs" },
    );
    expect(jwksLine(conf)).toEqual([
      'OIDCOAuthVerifyJwksUri "https://127.0.0.1:8443/realms/openstack/protocol/openid-connect/certs"',
    ]);
    expect(conf).toContain(
      'OIDCProviderMetadataURL "http://localhost:8080/realms/openstack/.well-known/openid-configuration"',
    );
  });

  it.each([
    ["http://127.0.0.1:8080/certs"],
    ['https://x/"\nOIDCClaimPrefix "evil'],
    ["https://x/${OKF_OIDC_CRYPTO_PASSPHRASE}"],
  ])("refuses %j", (uri) => {
    expect(() => renderApacheOidc(dev, {}, { jwksUri: uri })).toThrow(
      /^jwksUri: must be an https URL without spaces, quotes, backslashes or '\$' \(mod_auth_openidc refuses http\)/,
    );
  });

  it("the render CLI reports a bad --jwks-uri without writing anything", () => {
    const r = main([
      "--stack",
      "dev",
      "--stacks-dir",
      FIXTURES_DIR,
      "--out",
      "/nonexistent/never-written",
      "--jwks-uri",
      "http://127.0.0.1:8080/certs",
    ]);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: `render: --jwks-uri: must be an https URL without spaces, quotes, backslashes or '$' (mod_auth_openidc refuses http), got "http://127.0.0.1:8080/certs"\n`,
    });
  });
});
