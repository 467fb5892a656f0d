import { describe, expect, it } from "vitest";
import { configReference } from "../../../infra/config/reference";

describe("configuration reference", () => {
  it("documents every key of the schema", () => {
    const { rows, undocumented } = configReference();
    expect(undocumented).toEqual([]);
    expect(rows.map((r) => r.key)).toContain("federation.claims.username");
    expect(rows.find((r) => r.key === "client.pkceMethod")).toEqual({
      key: "client.pkceMethod",
      type: "string",
      default: '`"S256"`',
      description: "PKCE method. Only `S256` is accepted.",
    });
  });
});
