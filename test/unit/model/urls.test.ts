import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as urls from "../../../infra/model/urls";

describe("derived URLs", () => {
  it.each([
    ["https://id.example.com", "openstack", "https://id.example.com/realms/openstack"],
    ["https://id.example.com/auth", "openstack", "https://id.example.com/auth/realms/openstack"],
    ["http://localhost:8080", "dev realm", "http://localhost:8080/realms/dev%20realm"],
  ])("issuer of %s + %s is %s", (base, realm, issuer) => {
    expect(urls.issuerUrl(base, realm)).toBe(issuer);
  });

  it("derives every Keystone URL from the public base URL", () => {
    expect(
      urls.keystoneUrls("https://keystone.example.com:5000", "keycloak-openstack", "openid"),
    ).toEqual({
      v3: "https://keystone.example.com:5000/v3",
      redirectUri: "https://keystone.example.com:5000/redirect_uri",
      backchannelLogout: "https://keystone.example.com:5000/redirect_uri?logout=backchannel",
      websso: "https://keystone.example.com:5000/v3/auth/OS-FEDERATION/websso/openid",
      webssoIdp:
        "https://keystone.example.com:5000/v3/auth/OS-FEDERATION/identity_providers/keycloak-openstack/protocols/openid/websso",
      cliAuth:
        "https://keystone.example.com:5000/v3/OS-FEDERATION/identity_providers/keycloak-openstack/protocols/openid/auth",
    });
  });

  it("derives Keycloak's realm endpoints and Horizon's websso page", () => {
    expect(urls.realmEndpoints("https://id.example.com/realms/r")).toEqual({
      authorization: "https://id.example.com/realms/r/protocol/openid-connect/auth",
      token: "https://id.example.com/realms/r/protocol/openid-connect/token",
      userinfo: "https://id.example.com/realms/r/protocol/openid-connect/userinfo",
      jwks: "https://id.example.com/realms/r/protocol/openid-connect/certs",
      endSession: "https://id.example.com/realms/r/protocol/openid-connect/logout",
      deviceAuthorization: "https://id.example.com/realms/r/protocol/openid-connect/auth/device",
    });
    expect(urls.trustedDashboard("https://dashboard.example.com")).toBe(
      "https://dashboard.example.com/auth/websso/",
    );
    expect(urls.brokerRedirectUri("https://id.example.com/realms/openstack", "globex")).toBe(
      "https://id.example.com/realms/openstack/broker/globex/endpoint",
    );
  });

  const host = fc.domain();
  const ident = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);

  it("property: the issuer is the base URL + /realms/<realm>, with no trailing slash and no double slash", () => {
    fc.assert(
      fc.property(host, ident, (h, realm) => {
        const base = `https://${h}`;
        const issuer = urls.issuerUrl(base, realm);
        expect(issuer.startsWith(`${base}/realms/`)).toBe(true);
        expect(issuer.endsWith("/")).toBe(false);
        expect(issuer.slice("https://".length)).not.toContain("//");
        expect(new URL(issuer).pathname).toBe(`/realms/${realm}`);
      }),
    );
  });

  it("property: every Keystone URL stays under the public base URL and websso/auth paths name the IdP and protocol", () => {
    fc.assert(
      fc.property(host, fc.integer({ min: 1, max: 65535 }), ident, ident, (h, port, idp, proto) => {
        const base = `https://${h}:${port}`;
        const u = urls.keystoneUrls(base, idp, proto);
        for (const value of Object.values(u)) expect(value.startsWith(`${base}/`)).toBe(true);
        expect(u.webssoIdp.endsWith(`/identity_providers/${idp}/protocols/${proto}/websso`)).toBe(
          true,
        );
        expect(u.cliAuth.endsWith(`/identity_providers/${idp}/protocols/${proto}/auth`)).toBe(true);
      }),
    );
  });
});
