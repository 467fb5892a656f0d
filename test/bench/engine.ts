/**
 * Benchmark (not a test): the program on the real engine against the scripted way, on the same
 * Keycloak and Keystone (test/support/system-env.ts), for stacks of N tenants (10 projects and 10
 * access groups each; test/bench/engine-plan.ts). Per size, repeated and alternating:
 *   engine:   up from empty, a no-op up, a no-op preview, preview --refresh, one reviewed change
 *             (a project and an access group), destroy;
 *   scripted: test/bench/scripted.sh (kcadm.sh and the openstack CLI, check then create) on the
 *             same objects: its first run, its re-run with nothing to do, its teardown.
 * Reports min/median/max seconds, the ratios, and the services' peak memory (Keycloak, Keystone's
 * Apache and mod_wsgi processes, PostgreSQL; sampled every second).
 *
 *   npm run bench:engine -- [--tenants 1,10,100] [--reps 3] [--scripted-max 10] [--scripted-reps R]
 *                           [--parallel 10] [--keystone-processes 4] [--skip-checkpoints]
 *                           [--profile [--parallel-sweep 4,10,32]]
 * --scripted-max: the largest size the scripted way runs at (it grows by a CLI process per call);
 * --scripted-reps: how many of the repetitions also run the scripted way (default: all);
 * --profile: first profile an `up` from empty per size (test/bench/engine-profile.ts), and with
 *   --parallel-sweep 4,10,32 time `up` and `destroy` at each parallelism;
 * --keystone-processes: Keystone's mod_wsgi processes, on PostgreSQL (scripts/postgres.sh) as
 *   production runs it; 0 runs it on SQLite in one single-threaded process;
 * --skip-checkpoints: every engine operation with PULUMI_SKIP_CHECKPOINTS=true (the engine then
 *   writes the state once at the end, not after each step; docs/operations.md says when to use it).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { PROJECT_NAMESPACE as NS } from "../../infra/stack-files/stack-file";
import { REPO } from "../support/keystone-service";
import { startSystem, type SystemEnv } from "../support/system-env";
import { KEYSTONE_ADMIN_PASSWORD, systemStack } from "../system/system-stack";
import { benchTenancy, PROJECTS_PER_TENANT, scriptedPlan } from "./engine-plan";
import { profileUp } from "./engine-profile";

const { values } = parseArgs({
  options: {
    tenants: { type: "string", default: "1,10,100" },
    reps: { type: "string", default: "3" },
    "scripted-max": { type: "string", default: "10" },
    parallel: { type: "string", default: "10" },
    "scripted-reps": { type: "string" },
    profile: { type: "boolean", default: false },
    "parallel-sweep": { type: "string", default: "" },
    "keystone-processes": { type: "string", default: "4" },
    "skip-checkpoints": { type: "boolean", default: false },
  },
});
const SIZES = values.tenants.split(",").map(Number);
const REPS = Number(values.reps);
const SCRIPTED_MAX = Number(values["scripted-max"]);
const SCRIPTED_REPS = Number(values["scripted-reps"] ?? values.reps);
const KS_PROCESSES = Number(values["keystone-processes"]);
const SWEEP = values["parallel-sweep"].split(",").filter(Boolean);
const PG_DIR = "/tmp/okf-bench-engine-postgres";
const PG_PORT = 35442;
const POSTGRES_SH = join(REPO, "scripts", "postgres.sh");

type Samples = Record<string, number[]>;

function timed(label: string, samples: Samples, run: () => void): void {
  const t0 = performance.now();
  run();
  const s = (performance.now() - t0) / 1000;
  (samples[label] ??= []).push(s);
  console.error(`  ${label}: ${s.toFixed(1)} s`);
}

/**
 * Peak RSS (MiB), sampled every second by a background shell: Keycloak's JVM; Keystone, i.e. its
 * Apache and the mod_wsgi daemon processes (named `okf-key`); PostgreSQL's processes (summed, so
 * its shared buffers count once per process).
 */
function memorySampler(dir: string): { stop(): Record<string, number> } {
  const out = join(dir, "rss.log");
  const pid = execFileSync(
    "bash",
    [
      "-c",
      `( while true; do ps -eo rss=,args= | awk '/java .*keycloak/ {k+=$1} /(apache2|okf-key) -f .*okf-system-bench/ {a+=$1} $2 ~ /postgres/ {p+=$1} END {print k, a, p}' >> ${out}; sleep 1; done ) >/dev/null 2>&1 & echo $!`,
    ],
    { encoding: "utf8" },
  ).trim();
  return {
    stop() {
      try {
        process.kill(Number(pid));
      } catch {
        // already gone
      }
      const peak = [0, 0, 0];
      for (const line of readFileSync(out, "utf8").split("\n").filter(Boolean))
        line
          .split(" ")
          .map(Number)
          .forEach((v, i) => (peak[i] = Math.max(peak[i] ?? 0, v || 0)));
      const mib = (kib: number | undefined) => Math.round((kib ?? 0) / 1024);
      return {
        keycloakMiB: mib(peak[0]),
        keystoneMiB: mib(peak[1]),
        postgresMiB: mib(peak[2]),
      };
    },
  };
}

function engineCycle(e: SystemEnv, n: number, samples: Samples): void {
  const stack = ["--stack", e.stack, "--non-interactive"];
  const up = ["up", "--yes", "--skip-preview", "--parallel", values.parallel, ...stack];
  timed("engine up from empty", samples, () => e.must(up));
  timed("engine no-op up", samples, () => e.must(up));
  timed("engine no-op preview", samples, () =>
    e.must(["preview", "--expect-no-changes", ...stack]),
  );
  timed("engine preview --refresh", samples, () =>
    e.must(["preview", "--refresh", "--expect-no-changes", ...stack]),
  );
  // The reviewed change: one more project in the first tenant, one more access group for it.
  const k = n * PROJECTS_PER_TENANT;
  const set = (path: string, v: string) =>
    e.must(["config", "set", "--path", `${path}`, v, "--stack", e.stack]);
  set(`tenants[0].projects[${PROJECTS_PER_TENANT}].name`, "pextra");
  set(`access[${k}].tenant`, "bt0");
  set(`access[${k}].group`, "gextra");
  set(`access[${k}].grants[0].role`, "member");
  set(`access[${k}].grants[0].project`, "pextra");
  timed("engine reviewed change (up)", samples, () => e.must(up));
  e.must(["config", "rm", "--path", `access[${k}]`, "--stack", e.stack]);
  e.must([
    "config",
    "rm",
    "--path",
    `tenants[0].projects[${PROJECTS_PER_TENANT}]`,
    "--stack",
    e.stack,
  ]);
  timed("engine destroy", samples, () =>
    e.must(["destroy", "--yes", "--skip-preview", "--parallel", values.parallel, ...stack]),
  );
}

function scriptedCycle(e: SystemEnv, plan: string, samples: Samples): void {
  const kcadm = join(
    execFileSync("bash", [join(REPO, "scripts", "keycloak.sh"), "fetch"], { encoding: "utf8" })
      .trim()
      .split("\n")
      .pop()!,
    "bin",
    "kcadm.sh",
  );
  const env = {
    ...process.env,
    KCADM: kcadm,
    KC_SERVER: e.keycloak.url,
    KC_PASSWORD: "admin",
    KCADM_CONFIG: join(e.dir, "kcadm.config"),
    OS_CLOUD: "",
    OS_AUTH_URL: `${e.model.keystone.url}/v3`,
    OS_IDENTITY_API_VERSION: "3",
    OS_USERNAME: "admin",
    OS_PASSWORD: KEYSTONE_ADMIN_PASSWORD,
    OS_PROJECT_NAME: "admin",
    OS_USER_DOMAIN_NAME: "Default",
    OS_PROJECT_DOMAIN_NAME: "Default",
  };
  const script = (cmd: string) =>
    execFileSync("bash", [join(REPO, "test", "bench", "scripted.sh"), cmd, plan], {
      env,
      stdio: ["ignore", "ignore", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  timed("scripted first run", samples, () => script("apply"));
  timed("scripted re-run", samples, () => script("apply"));
  timed("scripted teardown", samples, () => script("teardown"));
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
};

async function main(): Promise<void> {
  if (values["skip-checkpoints"]) process.env.PULUMI_SKIP_CHECKPOINTS = "true";
  if (KS_PROCESSES > 0) {
    process.env.OKF_WSGI_PROCESSES = String(KS_PROCESSES);
    execFileSync("bash", [POSTGRES_SH, "start", PG_DIR, String(PG_PORT)], { stdio: "ignore" });
  }
  try {
    await measure();
  } finally {
    if (KS_PROCESSES > 0) execFileSync("bash", [POSTGRES_SH, "stop", PG_DIR], { stdio: "ignore" });
  }
}

async function measure(): Promise<void> {
  const results: Record<number, { samples: Samples; memory: Record<string, number> }> = {};
  const profiles: string[] = [];
  for (const n of SIZES) {
    console.error(
      `${n} tenant(s): ${n * PROJECTS_PER_TENANT} projects, ${n * PROJECTS_PER_TENANT} access groups`,
    );
    const sys = systemStack("bench", 42);
    const t = benchTenancy(n);
    const config = {
      ...sys.config,
      [`${NS}:tenants`]: JSON.stringify(t.tenants),
      [`${NS}:access`]: JSON.stringify(t.access),
      [`${NS}:federation`]: JSON.stringify({ userDomain: "bench-users" }),
    };
    if (KS_PROCESSES > 0)
      process.env.OKF_KEYSTONE_DB_URL = execFileSync(
        "bash",
        [POSTGRES_SH, "database", PG_DIR, String(PG_PORT), `keystone_engine_${n}`],
        { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
      ).trim();
    const e = await startSystem(sys.stack, config, sys.secretKeys, sys.ports, { up: false });
    if (!e) throw new Error("the services did not start");
    const memory = memorySampler(e.dir);
    const samples: Samples = {};
    try {
      const mappingFile = join(e.dir, "bench-mapping.json");
      writeFileSync(mappingFile, JSON.stringify(e.model.federation.mapping.rules));
      const plan = join(e.dir, "plan.tsv");
      writeFileSync(plan, scriptedPlan(e.model, mappingFile));
      if (values.profile)
        profiles.push(
          `${n} tenant(s):`,
          ...(await profileUp(e, values.parallel, e.dir, SWEEP)),
          "",
        );
      for (let r = 0; r < REPS; r++) {
        engineCycle(e, n, samples);
        if (n <= SCRIPTED_MAX && r < SCRIPTED_REPS) scriptedCycle(e, plan, samples);
      }
    } finally {
      results[n] = { samples, memory: memory.stop() };
      e.stop();
    }
  }
  const lines = ["| tenants | operation | min s | median s | max s |", "|---|---|---|---|---|"];
  for (const [n, r] of Object.entries(results))
    for (const [op, xs] of Object.entries(r.samples)) {
      const s = stats(xs);
      lines.push(
        `| ${n} | ${op} | ${s.min.toFixed(1)} | ${s.median.toFixed(1)} | ${s.max.toFixed(1)} |`,
      );
    }
  lines.push(
    "",
    "| tenants | up / scripted first run | no-op preview / scripted re-run | destroy / scripted teardown | peak MiB: Keycloak | Keystone (Apache + mod_wsgi) | PostgreSQL |",
    "|---|---|---|---|---|---|---|",
  );
  for (const [n, r] of Object.entries(results)) {
    const med = (op: string) => (r.samples[op] ? stats(r.samples[op]!).median : undefined);
    const ratio = (a?: number, b?: number) =>
      a !== undefined && b !== undefined ? (a / b).toFixed(2) : "n/a";
    lines.push(
      `| ${n} | ${ratio(med("engine up from empty"), med("scripted first run"))} | ${ratio(med("engine no-op preview"), med("scripted re-run"))} | ${ratio(med("engine destroy"), med("scripted teardown"))} | ${r.memory.keycloakMiB} | ${r.memory.keystoneMiB} | ${r.memory.postgresMiB} |`,
    );
  }
  const sizes = Object.keys(results)
    .map(Number)
    .sort((a, b) => a - b);
  const upMed = (n: number) => stats(results[n]!.samples["engine up from empty"]!).median;
  for (let i = 1; REPS > 0 && i < sizes.length; i++)
    lines.push(
      "",
      `engine up from empty, ${sizes[i - 1]} -> ${sizes[i]} tenants: x${(upMed(sizes[i]!) / upMed(sizes[i - 1]!)).toFixed(1)} time for x${sizes[i]! / sizes[i - 1]!} objects`,
    );
  mkdirSync(join(REPO, ".work"), { recursive: true });
  writeFileSync(join(REPO, ".work", "bench-engine.json"), JSON.stringify(results, null, 2));
  const setup = `Keystone ${process.env.OKF_KEYSTONE_RELEASE ?? "debian"}: ${KS_PROCESSES > 0 ? `${KS_PROCESSES} mod_wsgi processes on PostgreSQL 15` : "one mod_wsgi process on SQLite"}; --parallel ${values.parallel}; checkpoints ${values["skip-checkpoints"] ? "off (PULUMI_SKIP_CHECKPOINTS)" : "after each step (the default)"}`;
  console.log([setup, "", ...profiles, ...lines].join("\n"));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
