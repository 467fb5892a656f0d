import { describe, expect, it } from "vitest";
import { configReference } from "../../../infra/config/reference";

describe("configuration reference", () => {
  it("documents every key of the schema", () => {
    const { rows, undocumented } = configReference();
    expect(undocumented).toEqual([]);
    expect(rows.map((r) => r.key)).toContain("federation.claims.username");
    expect(rows.find((r) => r.key === "client.clientId")).toEqual({
      key: "client.clientId",
      type: "string",
      default: '`"keystone"`',
      description:
        "OIDC client id Keystone (mod_auth_openidc) uses; required as `azp` by every mapping rule. Default `keystone`.",
    });
  });
});
