/**
 * Benchmark (not a test): login latency JWT -> unscoped -> project-scoped token through Apache,
 * mod_auth_openidc and Keystone on loopback, for the e2e stack (a few projects) and a generated
 * stack with 1,000 projects and groups, in the same run. Reports p50/p95 and their ratio.
 *   npx tsx test/bench/login.ts [samples=200] [perGroup|perTenant]
 */
import { performance } from "node:perf_hooks";
import { federatedLogin, scopeTo, startE2e } from "../support/e2e-env";
import { generatedStackConfig } from "../support/generated-stack";
import { PROJECT_NAMESPACE as PROJECT } from "../../infra/config/stack-file";

function config(projects: number, layout: string): Record<string, string> {
  return generatedStackConfig(projects, {
    environment: "local",
    keycloak: { url: "https://localhost:26443", admin: { username: "admin" } },
    keycloakAdminPassword: "bench",
    realm: { name: "bench" },
    keystone: {
      url: "http://127.0.0.1:35990",
      credentials: { method: "password", username: "admin" },
    },
    keystonePassword: "bench-admin-password",
    horizon: { urls: ["http://localhost:8000"] },
    federation: { userDomain: "bench-users", ruleLayout: layout },
  });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function measure(
  stack: string,
  projects: number,
  samples: number,
  layout: string,
): Promise<{ p50: number; p95: number; resources: number }> {
  const env = await startE2e(stack, 35990, {
    config: config(projects, layout),
    secretKeys: [`${PROJECT}:keycloakAdminPassword`, `${PROJECT}:keystonePassword`],
  });
  if (!env) throw new Error("environment did not start");
  try {
    const last = projects - 1;
    const tenant = `tenant${last % Math.min(10, projects)}`;
    const claims = {
      azp: "keystone",
      aud: ["keystone"],
      sub: "bench-user-1",
      preferred_username: "bench",
      groups: [`/${tenant}/team${last}`],
    };
    const times: number[] = [];
    for (let i = 0; i < samples + 5; i++) {
      const jwt = await env.keycloak.mint(claims);
      const t = performance.now();
      const login = await federatedLogin(env.model, jwt);
      if (login.status !== 201) throw new Error(`login failed: ${login.status}`);
      const scoped = await scopeTo(env.model, login.token!, tenant, `project${last}`);
      if (scoped.status !== 201) throw new Error(`scope failed: ${scoped.status}`);
      if (i >= 5) times.push(performance.now() - t); // the first logins warm caches
    }
    return { p50: pct(times, 50), p95: pct(times, 95), resources: env.registrations.length };
  } finally {
    await env.stop();
  }
}

async function main(): Promise<void> {
  const samples = Number(process.argv[2] ?? 200);
  const layout = process.argv[3] ?? "perGroup";
  const small = await measure("bench-1", 1, samples, layout);
  const large = await measure("bench-1000", 1000, samples, layout);
  console.log(
    `login JWT -> unscoped -> project-scoped, ${samples} samples each, mapping layout ${layout}, loopback, one Apache/Keystone process (sqlite WAL)`,
  );
  console.log(
    `   1 project    (${small.resources} resources): p50 ${small.p50.toFixed(1)} ms  p95 ${small.p95.toFixed(1)} ms`,
  );
  console.log(
    `1,000 projects (${large.resources} resources): p50 ${large.p50.toFixed(1)} ms  p95 ${large.p95.toFixed(1)} ms`,
  );
  console.log(`p50 ratio 1,000 / 1: ${(large.p50 / small.p50).toFixed(3)}x (target <= 1.05x)`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
