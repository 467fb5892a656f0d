import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configReference } from "../../../infra/config/reference";
import { README, withReference } from "../../../scripts/update-readme-reference";

describe("configuration reference", () => {
  it("documents every key of the schema", () => {
    const { rows, undocumented } = configReference();
    expect(undocumented).toEqual([]);
    expect(rows.map((r) => r.key)).toContain("federation.claims.username");
    expect(rows.find((r) => r.key === "client.pkceMethod")).toEqual({ key: "client.pkceMethod", type: "string", default: '`"S256"`', description: "PKCE method. Only `S256` is accepted." });
  });

  it("README.md carries the current reference (run `npm run docs:config` after changing the schema)", () => {
    const readme = readFileSync(README, "utf8");
    expect(readme).toBe(withReference(readme));
  });
});
