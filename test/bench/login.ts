/**
 * Benchmark (not a test): what the generated mapping costs on every login, isolated from the size of
 * Keystone's database. Keystone runs as production runs it: PostgreSQL (scripts/postgres.sh),
 * several mod_wsgi processes, behind Apache + mod_auth_openidc, with a generated stack of PROJECTS
 * projects, groups and grants. In that same Keystone, phases alternate between
 *   - the stack's generated mapping (its layout), and
 *   - the floor: the cheapest mapping that grants the same user the same group (one rule, the same
 *     user, the group by id, no whitelist and no checks),
 * under a bounded concurrent load (WORKERS users for SECONDS, split into ROUNDS alternating
 * phases, so drift hits both alike). Reports logins per second, p50/p95/p99 and errors per phase,
 * and the generated/floor ratios. Each layout gets its own Keystone (their group names differ).
 *
 *   npx tsx test/bench/login.ts [--projects 1000] [--workers 20] [--seconds 60] [--rounds 3]
 *                               [--processes 4] [--layouts perGroup,perTenant] [--profile]
 * --profile then samples the mod_wsgi processes with py-spy under each mapping (test/bench/profile.ts).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { call } from "../support/keystone-admin";
import { type E2eEnv, federatedLogin, scopeTo, startE2e } from "../support/e2e-env";
import { generatedStackConfig } from "../support/generated-stack";
import { REPO } from "../support/keystone-service";
import { PROJECT_NAMESPACE as PROJECT } from "../../infra/stack-files/stack-file";
import type { MappingDocument } from "../../infra/model/mapping/types";
import { type LoadResult, type Login, runLoad, type Summary, summarise } from "./load";
import { ensurePySpy, type Profile, profileProcesses } from "./profile";

const PORT = 35990;
const PG_DIR = "/tmp/okf-bench-postgres";
const PG_PORT = 35432;
const POSTGRES_SH = join(REPO, "scripts", "postgres.sh");

function config(projects: number, layout: string): Record<string, string> {
  return generatedStackConfig(projects, {
    environment: "local",
    keycloak: { url: "https://localhost:26443", admin: { username: "admin" } },
    keycloakAdminPassword: "bench",
    realm: { name: "bench" },
    keystone: {
      url: `http://127.0.0.1:${PORT}`,
      credentials: { method: "password", username: "admin" },
    },
    keystonePassword: "bench-admin-password",
    horizon: { urls: ["http://localhost:8000"] },
    federation: { userDomain: "bench-users", ruleLayout: layout },
  });
}

interface Target {
  readonly tenant: string;
  readonly project: string;
  readonly claims: Record<string, unknown>;
}

/** One timed login of `target`'s user: a fresh JWT, the unscoped token, then the project scope. */
function loginOf(env: E2eEnv, t: Target): Login {
  let n = 0;
  return async () => {
    const jwt = await env.keycloak.mint({ ...t.claims, jti: `bench-${n++}` });
    const start = performance.now();
    const login = await federatedLogin(env.model, jwt);
    const federated = performance.now() - start;
    if (login.status !== 201) throw new Error(`federated login: HTTP ${login.status}`);
    const scoped = await scopeTo(env.model, login.token!, t.tenant, t.project);
    if (scoped.status !== 201) throw new Error(`project scope: HTTP ${scoped.status}`);
    return { federated, total: performance.now() - start };
  };
}

/** The group the generated mapping puts the user in, read from the token Keystone issues. */
async function grantedGroupId(env: E2eEnv, t: Target): Promise<string> {
  const res = await fetch(env.model.keystone.urls.cliAuth, {
    method: "POST",
    headers: { authorization: `Bearer ${await env.keycloak.mint(t.claims)}` },
  });
  const body = (await res.json()) as {
    token?: { user?: { "OS-FEDERATION"?: { groups?: { id: string }[] } } };
  };
  const groups = body.token?.user?.["OS-FEDERATION"]?.groups ?? [];
  if (res.status !== 201 || groups.length !== 1)
    throw new Error(`expected one group from the generated mapping, got HTTP ${res.status}`);
  return groups[0]!.id;
}

/** The cheapest mapping granting the same user the same group: one rule, no conditions. */
function floorMapping(generated: MappingDocument, groupId: string): MappingDocument {
  const first = generated.rules[0]!;
  const user = first.local.find((l) => "user" in l)!;
  // The remotes that feed the user's {0}, {1}: those with no condition of their own.
  const values = first.remote.filter(
    (r) => !("any_one_of" in r) && !("not_any_of" in r) && !("whitelist" in r),
  );
  return {
    rules: [{ local: [user, { group: { id: groupId } }], remote: values }],
  } as MappingDocument;
}

async function useMapping(env: E2eEnv, doc: MappingDocument): Promise<void> {
  const path = `/OS-FEDERATION/mappings/${env.model.federation.mappingId}`;
  const put = await call(env.admin, "PATCH", path, { mapping: { rules: doc.rules } });
  if (put.status !== 200) throw new Error(`mapping update: HTTP ${put.status}`);
  const got = await call(env.admin, "GET", path);
  const rules = (got.json.mapping as { rules: unknown[] }).rules;
  if (JSON.stringify(rules) !== JSON.stringify(doc.rules))
    throw new Error("Keystone does not hold the mapping just written");
}

interface LayoutResult {
  readonly layout: string;
  readonly rules: number;
  readonly floor: Summary;
  readonly generated: Summary;
  /** With --profile: where the mod_wsgi processes spent their time, per mapping. */
  readonly profiles?: Record<"floor" | "generated", Profile>;
}

async function measureLayout(
  layout: string,
  o: { projects: number; workers: number; seconds: number; rounds: number; profile: boolean },
): Promise<LayoutResult> {
  process.env.OKF_KEYSTONE_DB_URL = execFileSync(
    "bash",
    [POSTGRES_SH, "database", PG_DIR, String(PG_PORT), `keystone_${layout.toLowerCase()}`],
    { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
  ).trim();
  const setup = performance.now();
  const env = await startE2e(`bench-${layout}`, PORT, {
    config: config(o.projects, layout),
    secretKeys: [`${PROJECT}:keycloakAdminPassword`, `${PROJECT}:keystonePassword`],
  });
  if (!env) throw new Error("the benchmark's Keystone did not start");
  console.error(
    `${layout}: Keystone with ${o.projects} projects ready in ${((performance.now() - setup) / 1000).toFixed(0)} s`,
  );
  try {
    const last = o.projects - 1;
    const tenant = `tenant${last % Math.min(10, o.projects)}`;
    const target: Target = {
      tenant,
      project: `project${last}`,
      claims: {
        azp: "keystone",
        aud: ["keystone"],
        sub: "bench-user-1",
        preferred_username: "bench",
        groups: [`/${tenant}/team${last}`],
      },
    };
    const generated = env.model.federation.mapping;
    const floor = floorMapping(generated, await grantedGroupId(env, target));
    const login = loginOf(env, target);
    const phaseSeconds = o.seconds / o.rounds;
    const runs: Record<"floor" | "generated", LoadResult[]> = { floor: [], generated: [] };
    for (let round = 0; round < o.rounds; round++) {
      const order =
        round % 2 === 0 ? (["floor", "generated"] as const) : (["generated", "floor"] as const);
      for (const phase of order) {
        await useMapping(env, phase === "floor" ? floor : generated);
        await runLoad(login, o.workers, 3); // warm-up, not counted
        const r = await runLoad(login, o.workers, phaseSeconds);
        if (r.firstError) console.error(`${layout} ${phase}: first error: ${r.firstError}`);
        runs[phase].push(r);
      }
    }
    // Profiled after the measured rounds, so the sampling does not touch their figures.
    const profiles: Partial<Record<"floor" | "generated", Profile>> = {};
    if (o.profile) {
      for (const phase of ["floor", "generated"] as const) {
        await useMapping(env, phase === "floor" ? floor : generated);
        const [profile] = await Promise.all([
          profileProcesses("^okf-key", 15, join(env.dir, `profile-${phase}`)),
          runLoad(login, o.workers, 18),
        ]);
        profiles[phase] = profile;
      }
    }
    await useMapping(env, generated);
    return {
      layout,
      rules: generated.rules.length,
      floor: summarise(runs.floor),
      generated: summarise(runs.generated),
      ...(profiles.floor && profiles.generated
        ? { profiles: { floor: profiles.floor, generated: profiles.generated } }
        : {}),
    };
  } finally {
    await env.stop();
  }
}

const ms = (x: number) => x.toFixed(0).padStart(5);

function report(r: LayoutResult): string[] {
  const row = (name: string, s: Summary) =>
    `  ${name.padEnd(22)} ${s.perSecond.toFixed(1).padStart(6)}/s  federated p50 ${ms(s.federated.p50)}  p95 ${ms(s.federated.p95)}  p99 ${ms(s.federated.p99)}   total p50 ${ms(s.total.p50)}  p95 ${ms(s.total.p95)}  p99 ${ms(s.total.p99)}   logins ${s.logins}, errors ${s.errors}`;
  const ratio = (a: number, b: number) => `${((a / b - 1) * 100).toFixed(1)}%`;
  const profile = (name: string, p: Profile) =>
    `  profile, ${name}: ${Object.entries(p.shares)
      .map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`)
      .join(", ")} of ${p.samples} samples in the mod_wsgi processes`;
  return [
    `${r.layout} (${r.rules} rules):`,
    row("floor (1 rule)", r.floor),
    row(`generated (${r.rules} rules)`, r.generated),
    `  generated over floor: federated p50 ${ratio(r.generated.federated.p50, r.floor.federated.p50)}, p95 ${ratio(r.generated.federated.p95, r.floor.federated.p95)}; total p50 ${ratio(r.generated.total.p50, r.floor.total.p50)}, p95 ${ratio(r.generated.total.p95, r.floor.total.p95)}; throughput ${ratio(r.floor.perSecond, r.generated.perSecond)} lower`,
    ...(r.profiles
      ? [profile("floor", r.profiles.floor), profile("generated", r.profiles.generated)]
      : []),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      projects: { type: "string", default: "1000" },
      workers: { type: "string", default: "20" },
      seconds: { type: "string", default: "60" },
      rounds: { type: "string", default: "3" },
      processes: { type: "string", default: "4" },
      layouts: { type: "string", default: "perGroup,perTenant" },
      profile: { type: "boolean", default: false },
    },
  });
  const o = {
    projects: Number(values.projects),
    workers: Number(values.workers),
    seconds: Number(values.seconds),
    rounds: Number(values.rounds),
    profile: values.profile && ensurePySpy(),
  };
  process.env.OKF_WSGI_PROCESSES = values.processes;
  execFileSync("bash", [POSTGRES_SH, "start", PG_DIR, String(PG_PORT)], { stdio: "ignore" });
  try {
    const results: LayoutResult[] = [];
    for (const layout of values.layouts.split(",")) results.push(await measureLayout(layout, o));
    console.log(
      `Login under load: ${o.workers} concurrent users, ${o.seconds} s per mapping in ${o.rounds} alternating rounds; ` +
        `Keystone ${process.env.OKF_KEYSTONE_RELEASE ?? "debian"} under Apache, ${values.processes} mod_wsgi processes, PostgreSQL 15; ${o.projects} projects; ms`,
    );
    for (const r of results) for (const line of report(r)) console.log(line);
  } finally {
    execFileSync("bash", [POSTGRES_SH, "stop", PG_DIR], { stdio: "ignore" });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
