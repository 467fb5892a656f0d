/**
 * The logout chain the renderers set up, as the system suite proved it with the real Horizon,
 * mod_auth_openidc and Keycloak: Horizon's logout view (never LOGOUT_URL, which would skip it)
 * redirects to mod_auth_openidc's logout on Keystone with Horizon as the target; Apache allows that
 * target even on another host; Keycloak accepts it as a post-logout redirect URI.
 */
import { fixtureModel } from "../../support/stack-files";
import { describe, expect, it } from "vitest";
import { renderApacheOidc } from "../../../infra/model/artifacts/apache-oidc";
import { renderHorizon } from "../../../infra/model/artifacts/horizon";

const model = (stack: string) => {
  return fixtureModel(stack);
};

describe("logout chain", () => {
  it("Horizon redirects on login and logout, and logs out through mod_auth_openidc on Keystone", () => {
    const horizon = renderHorizon(model("staging"));
    expect(
      horizon.split("\n").filter((l) => /^(WEBSSO_DEFAULT_REDIRECT|LOGOUT_URL)/.test(l)),
    ).toEqual([
      "WEBSSO_DEFAULT_REDIRECT = True",
      'WEBSSO_DEFAULT_REDIRECT_PROTOCOL = "openid"',
      'WEBSSO_DEFAULT_REDIRECT_REGION = "https://keystone.staging.example.com:5000/v3"',
      'WEBSSO_DEFAULT_REDIRECT_LOGOUT = "https://keystone.staging.example.com:5000/redirect_uri?logout=https%3A%2F%2Fdashboard.staging.example.com%2F"',
    ]);
  });

  it("Apache allows exactly the Horizon URLs as logout targets, as anchored regular expressions", () => {
    const m = model("staging");
    expect(
      renderApacheOidc(m)
        .split("\n")
        .filter((l) => l.startsWith("OIDCRedirectURLsAllowed")),
    ).toEqual(['OIDCRedirectURLsAllowed "^https://dashboard\\\\.staging\\\\.example\\\\.com/"']);
    expect(m.keycloak.client.postLogoutRedirectUris).toContain(
      "https://dashboard.staging.example.com/",
    );
  });
});
