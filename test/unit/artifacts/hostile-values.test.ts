/**
 * Each renderer is safe on its own, even for a value that slipped past validation: what could end
 * a line, add a directive or expand a variable is refused (Apache, keystone.conf), and Python
 * strings are encoded so that Python reads back exactly the value (checked with Python itself).
 */
import { fixtureModel } from "../../support/stack-files";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { renderApacheOidc } from "../../../infra/model/artifacts/apache-oidc";
import { renderHorizon } from "../../../infra/model/artifacts/horizon";
import { renderKeystoneConf } from "../../../infra/model/artifacts/keystone-conf";
import { type DeploymentModel } from "../../../infra/model/deployment-model";

const dev = fixtureModel("dev");
const withHorizon = (url: string): DeploymentModel => ({
  ...dev,
  horizon: { urls: [url], trustedDashboards: [`${url}/auth/websso/`] },
});

describe("renderers refuse values that would become syntax", () => {
  it.each([
    ["a newline", "http://localhost:8000\nOIDCSSLValidateServer Off"],
    ["a carriage return", "http://localhost:8000\rX"],
    ["an Apache variable", "http://localhost:8000/${OKF_OIDC_CRYPTO_PASSPHRASE}"],
  ])("mod_auth_openidc: %s in a Horizon URL", (_what, url) => {
    expect(() => renderApacheOidc(withHorizon(url))).toThrow(
      /^mod_auth_openidc configuration: refuses to render a value containing /,
    );
  });

  it.each([
    ["a newline that would start a section", "http://localhost:8000\n[auth]\nmethods = password"],
    ["an inline comment", "http://localhost:8000/#x"],
    ["an oslo.config interpolation", "http://localhost:8000/$admin_token"],
  ])("keystone.conf: %s in a trusted dashboard", (_what, url) => {
    expect(() => renderKeystoneConf(withHorizon(url))).toThrow(
      /^keystone\.conf overlay: refuses to render a value containing /,
    );
  });

  it("Horizon: Python reads back exactly the display name, whatever it holds", () => {
    const name = 'ACME "Prod" \\ \r\n\t\u2028\u2029 ünïcode \' end';
    const settings = renderHorizon({
      ...dev,
      keycloak: { ...dev.keycloak, realm: { ...dev.keycloak.realm, displayName: name } },
    });
    const out = execFileSync(
      "python3",
      [
        "-c",
        "import sys, json; ns = {}; exec(compile(sys.stdin.read(), 'settings', 'exec'), ns); print(json.dumps(ns['WEBSSO_CHOICES'][1][1]))",
      ],
      { input: settings, encoding: "utf8" },
    );
    expect(JSON.parse(out)).toBe(name);
    expect(settings.split("\n").filter((l) => l.includes("ACME"))).toHaveLength(1);
  });
});
