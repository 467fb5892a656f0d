/**
 * The engine benchmark's own logic: the scripted way's plan holds exactly the objects the model
 * declares, and the profile readers sum what the CLI and V8 wrote.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_NAMESPACE as NS } from "../../../infra/stack-files/stack-file";
import { benchTenancy, scriptedPlan } from "../../bench/engine-plan";
import { nodeShares, readSpans, spanTable } from "../../bench/engine-profile";
import { modelFromConfig } from "../../support/e2e-env";
import { systemStack } from "../../system/system-stack";

function benchModel(tenants: number) {
  const sys = systemStack("bench", 42);
  const t = benchTenancy(tenants);
  return modelFromConfig(
    sys.stack,
    {
      ...sys.config,
      [`${NS}:tenants`]: JSON.stringify(t.tenants),
      [`${NS}:access`]: JSON.stringify(t.access),
      [`${NS}:federation`]: JSON.stringify({ userDomain: "bench-users" }),
    },
    sys.secretKeys,
  );
}

describe("the scripted way's plan", () => {
  it("has one line per object the model declares, 10 projects and 10 access groups a tenant", () => {
    const model = benchModel(3);
    const lines = scriptedPlan(model, "/m.json")
      .trim()
      .split("\n")
      .map((l) => l.split("\t"));
    const count = (kind: string) => lines.filter((l) => l[0] === kind).length;
    expect(count("os-domain")).toBe(model.keystone.domains.length);
    expect(count("os-project")).toBe(30);
    expect(count("os-project")).toBe(model.keystone.projects.length);
    expect(count("os-group")).toBe(30);
    expect(count("os-grant")).toBe(model.keystone.grants.length);
    expect(count("kc-group")).toBe(model.keycloak.groups.length);
    expect(count("kc-role")).toBe(30);
    expect(count("kc-group-role")).toBe(30);
    expect(count("kc-mapper")).toBe(model.keycloak.mappers.length);
    expect(lines.find((l) => l[0] === "os-mapping")).toEqual([
      "os-mapping",
      model.federation.mappingId,
      "/m.json",
    ]);
    // Every grant names a project the plan creates, in the group's own tenant domain.
    const projects = new Set(
      lines.filter((l) => l[0] === "os-project").map((l) => `${l[1]}/${l[2]}`),
    );
    for (const g of lines.filter((l) => l[0] === "os-grant"))
      expect(projects.has(`${g[4]}/${g[5]}`)).toBe(true);
  });
});

describe("the profile readers", () => {
  const dir = mkdtempSync(join(tmpdir(), "okf-bench-"));

  it("sums OpenTelemetry spans by service and name, largest first", () => {
    const span = (name: string, ms: number) => ({
      name,
      startTimeUnixNano: "1000000000",
      endTimeUnixNano: String(1_000_000_000 + ms * 1_000_000),
    });
    const doc = (service: string, spans: unknown[]) =>
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
            scopeSpans: [{ spans }],
          },
        ],
      });
    const file = join(dir, "otel.json");
    writeFileSync(
      file,
      `${doc("pulumi-cli", [span("Create", 300), span("Create", 100), span("Check", 5)])}\n${doc("keycloak", [span("Create", 50)])}\n`,
    );
    const spans = readSpans(file);
    expect(spans).toHaveLength(4);
    const table = spanTable(spans);
    expect(table[0]).toMatch(/^\s+2\s+0\.4 s\s+200\.0 ms {2}pulumi-cli {2}Create$/);
    expect(table.at(-1)).toMatch(/pulumi-cli {2}Check$/);
  });

  it("splits a V8 CPU profile's samples by where the code lives", () => {
    const file = join(dir, "p.cpuprofile");
    const frame = (id: number, functionName: string, url: string) => ({
      id,
      callFrame: { functionName, url },
    });
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [
          frame(1, "(garbage collector)", ""),
          frame(
            2,
            "wrapCallSite",
            "file:///p/node_modules/@pulumi/pulumi/vendor/ts-node@7.0.1/index.js",
          ),
          frame(3, "declareGroups", "file:///p/infra/components/keycloak-side.ts"),
          frame(4, "serialize", "file:///p/node_modules/@pulumi/pulumi/runtime/rpc.js"),
        ],
        samples: [1, 2, 2, 3, 4, 4, 4, 4],
        timeDeltas: [1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 1e6],
      }),
    );
    const lines = nodeShares(file);
    expect(lines[0]).toBe("program process: 8.0 s sampled");
    expect(lines).toContain("  Pulumi SDK: 4.0 s (50.0%)");
    expect(lines).toContain("  source maps (stack traces): 2.0 s (25.0%)");
    expect(lines).toContain("  the program (infra/): 1.0 s (12.5%)");
    expect(lines).toContain("  garbage collection: 1.0 s (12.5%)");
  });
});
