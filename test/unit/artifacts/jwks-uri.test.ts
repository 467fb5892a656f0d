/**
 * The JWKS location option of the mod_auth_openidc renderer (local Keycloak with an http issuer and
 * TLS on loopback): the bearer-token path fetches keys from the given https URL; http and values
 * that could break the directive are refused, in the renderer and in the render CLI.
 */
import { describe, expect, it } from "vitest";
import { main } from "../../../infra/cli/render";
import { parseStackConfig } from "../../../infra/config/parse";
import { readStackFileOffline, stackFilePath } from "../../../infra/config/stack-file";
import { renderApacheOidc } from "../../../infra/model/artifacts/apache-oidc";
import { buildModel } from "../../../infra/model/federation-model";
import { STACKS_DIR as STACKS } from "../../../infra/config/stack-file";

const { raw, secretKeys } = readStackFileOffline(stackFilePath("dev", STACKS));
const dev = buildModel(parseStackConfig(raw, { stack: "dev", secretKeys }).config, "dev");
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
