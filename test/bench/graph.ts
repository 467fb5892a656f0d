/**
 * Benchmark (not a test): builds a stack's whole graph under Pulumi's mock runtime for generated
 * stacks with 10, 100 and 1,000 projects (one access group per project), and reports seconds and
 * growth. Each size runs in a fresh Node process, because Pulumi's runtime state is global.
 *   npx tsx test/bench/graph.ts            (all sizes)
 *   npx tsx test/bench/graph.ts --one 100  (one size; used by the parent)
 */
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { runWithMocks, valueOf } from "../support/mock-runtime";
import { generatedStackConfig } from "../support/generated-stack";
import { PROJECT_NAMESPACE as PROJECT } from "../../infra/stack-files/stack-file";

function generatedConfig(projects: number): Record<string, string> {
  return generatedStackConfig(projects, {
    environment: "test",
    keycloak: { url: "https://id.example.com", admin: { clientId: "pulumi-admin" } },
    keycloakAdminSecret: "bench",
    realm: { name: "bench" },
    keystone: { url: "https://keystone.example.com:5000", cloud: "bench" },
    horizon: { urls: ["https://dashboard.example.com"] },
  });
}

async function one(projects: number): Promise<void> {
  const started = performance.now();
  let loaded = started;
  const run = await runWithMocks(
    "bench",
    async () => {
      const { loadStackConfig } = await import("../../infra/config/load");
      const { declareStack } = await import("../../infra/stack");
      loaded = performance.now();
      const { outputs } = declareStack(loadStackConfig(), "bench");
      await valueOf(outputs.protocolId);
    },
    { config: generatedConfig(projects), secretKeys: [`${PROJECT}:keycloakAdminSecret`] },
  );
  const seconds = (performance.now() - started) / 1000;
  const loadSeconds = (loaded - started) / 1000;
  console.log(
    JSON.stringify({ projects, seconds, loadSeconds, resources: run.registrations.length }),
  );
}

if (require.main === module) {
  const i = process.argv.indexOf("--one");
  if (i > 0) {
    // Pulumi records a stack trace per promise and per resource; with source maps on (tsx's
    // default) each trace is mapped, which dominates the profile. Report both settings.
    if (process.argv.includes("--no-source-maps")) process.setSourceMapsEnabled(false);
    void one(Number(process.argv[i + 1]));
  } else {
    for (const sourceMaps of [true, false]) {
      const rows: { projects: number; seconds: number; loadSeconds: number; resources: number }[] =
        [];
      for (const n of [10, 100, 1000]) {
        const out = execFileSync(
          process.execPath,
          [
            "--import",
            "tsx",
            __filename,
            "--one",
            String(n),
            ...(sourceMaps ? [] : ["--no-source-maps"]),
          ],
          { encoding: "utf8" },
        );
        rows.push(JSON.parse(out.trim().split("\n").pop()!));
      }
      console.log(`\nsource maps ${sourceMaps ? "on (tsx default)" : "off"}`);
      console.log(
        "projects  resources  total s  of which module load s  graph s  graph ms/resource",
      );
      for (const r of rows) {
        const graph = r.seconds - r.loadSeconds;
        console.log(
          `${String(r.projects).padStart(8)}  ${String(r.resources).padStart(9)}  ${r.seconds.toFixed(2).padStart(7)}  ${r.loadSeconds.toFixed(2).padStart(22)}  ${graph.toFixed(2).padStart(7)}  ${((graph * 1000) / r.resources).toFixed(2).padStart(17)}`,
        );
      }
      const [a, , c] = rows;
      if (a && c)
        console.log(
          `growth 10 -> 1000 projects: x${(c.seconds / a.seconds).toFixed(1)} time for x${(c.resources / a.resources).toFixed(1)} resources`,
        );
    }
  }
}
