/**
 * Where the engine's time goes in an `up` from empty (`npm run bench:engine -- --profile`): the
 * CLI's own CPU profile (`pulumi --profiling`, read with `go tool pprof`) split into the state's
 * checkpoints and the rest, and the OpenTelemetry spans of the run (`--otel-traces file://`): the
 * gRPC calls between the engine, the program and the providers, and the state file's writes.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { SystemEnv } from "../support/system-env";

interface Span {
  name: string;
  service: string;
  seconds: number;
}

/** Every span of an OTLP JSON file (one export request per line, or one document). */
export function readSpans(file: string): Span[] {
  const spans: Span[] = [];
  const text = readFileSync(file, "utf8");
  const docs = text.trim().startsWith("[")
    ? (JSON.parse(text) as unknown[])
    : text
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as unknown);
  for (const doc of docs as {
    resourceSpans?: {
      resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
      scopeSpans?: {
        spans?: { name: string; startTimeUnixNano: string; endTimeUnixNano: string }[];
      }[];
    }[];
  }[]) {
    for (const rs of doc.resourceSpans ?? []) {
      const service =
        rs.resource?.attributes?.find((a) => a.key === "service.name")?.value.stringValue ?? "?";
      for (const ss of rs.scopeSpans ?? [])
        for (const s of ss.spans ?? [])
          spans.push({
            name: s.name,
            service,
            seconds: Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e9,
          });
    }
  }
  return spans;
}

/** Spans summed by service and name, largest first: `count  total s  mean ms  name`. */
export function spanTable(spans: readonly Span[], top = 14): string[] {
  const by = new Map<string, { n: number; s: number }>();
  for (const sp of spans) {
    const k = `${sp.service}  ${sp.name}`;
    const v = by.get(k) ?? { n: 0, s: 0 };
    v.n++;
    v.s += sp.seconds;
    by.set(k, v);
  }
  return [...by.entries()]
    .sort((a, b) => b[1].s - a[1].s)
    .slice(0, top)
    .map(
      ([k, v]) =>
        `${String(v.n).padStart(6)}  ${v.s.toFixed(1).padStart(8)} s  ${((v.s / v.n) * 1000).toFixed(1).padStart(8)} ms  ${k}`,
    );
}

/** The cumulative share of the CLI's CPU samples in functions matching each pattern. */
export function cpuShares(profile: string, patterns: Record<string, RegExp>): string[] {
  let top: string;
  try {
    top = execFileSync("go", ["tool", "pprof", "-top", "-cum", "-nodecount=400", profile], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch {
    return [`the CLI's CPU profile is ${profile}: reading it needs Go (go tool pprof)`];
  }
  const total = /of ([\d.]+)(ms|s) total/.exec(top);
  const seconds = (v: string, unit: string) => Number(v) / (unit === "ms" ? 1000 : 1);
  const totalS = total ? seconds(total[1]!, total[2]!) : NaN;
  const lines = [`CLI CPU time sampled: ${totalS.toFixed(1)} s`];
  for (const [label, re] of Object.entries(patterns)) {
    // -top -cum rows: flat flat% sum% cum cum% name
    const row = top
      .split("\n")
      .map((l) => l.trim().split(/\s+/))
      .find((c) => c.length >= 6 && re.test(c.slice(5).join(" ")));
    const cum = row ? /^([\d.]+)(ms|s)$/.exec(row[3]!) : null;
    lines.push(
      cum
        ? `  ${label}: ${seconds(cum[1]!, cum[2]!).toFixed(1)} s (${row![4]})`
        : `  ${label}: not sampled`,
    );
  }
  return lines;
}

const CPU_PATTERNS: Record<string, RegExp> = {
  "writing the state after each step (SnapshotManager.saveSnapshot)":
    /backend\.\(\*SnapshotManager\)\.saveSnapshot$/,
  "  of which serializing the snapshot": /stack\.SerializeDeploymentWithMetadata$/,
  "  of which checking its integrity": /snapshot\.VerifyIntegrity$/,
  "  of which encoding and writing the file": /diy\.\(\*diyBackend\)\.saveCheckpoint$/,
  "stepping through the resources (deploymentExecutor)": /\(\*stepExecutor\)\.executeStep$/,
  "gRPC (all calls)": /grpc\.\(\*Server\)\.handleStream$/,
};

/**
 * Self time of a V8 CPU profile (`node --cpu-prof`) by where the code lives: the program
 * (infra/), the Pulumi SDK, source maps, the TypeScript compiler, other packages, V8's own.
 */
export function nodeShares(file: string): string[] {
  const prof = JSON.parse(readFileSync(file, "utf8")) as {
    nodes: { id: number; callFrame: { functionName: string; url: string } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(prof.nodes.map((n) => [n.id, n.callFrame]));
  const buckets = new Map<string, number>();
  const fns = new Map<string, number>();
  prof.samples.forEach((id, i) => {
    const f = byId.get(id);
    const us = prof.timeDeltas[i] ?? 0;
    const url = f?.url ?? "";
    const name = f?.functionName ?? "";
    const bucket =
      /source-map/.test(url) ||
      (/ts-node/.test(url) &&
        /CallSite|SourcePosition|prepareStackTrace|SourceMap|retrieve/i.test(name))
        ? "source maps (stack traces)"
        : /ts-node|typescript/.test(url)
          ? "ts-node and TypeScript (other)"
          : /@pulumi\/pulumi/.test(url)
            ? "Pulumi SDK"
            : /node_modules/.test(url)
              ? "other packages"
              : /\/infra\//.test(url)
                ? "the program (infra/)"
                : name === "(garbage collector)"
                  ? "garbage collection"
                  : name === "(idle)"
                    ? "idle (waiting on the engine)"
                    : "V8 and Node.js internals";
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
    const fn = `${f?.functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "")}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  });
  const total = [...buckets.values()].reduce((a, b) => a + b, 0);
  const pct = (us: number) => `${((us / total) * 100).toFixed(1)}%`;
  return [
    `program process: ${(total / 1e6).toFixed(1)} s sampled`,
    ...[...buckets.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `  ${k}: ${(v / 1e6).toFixed(1)} s (${pct(v)})`),
    "  top functions by self time:",
    ...[...fns.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, v]) => `    ${pct(v)}  ${k}`),
  ];
}

async function timedRun(
  e: SystemEnv,
  args: string[],
  env: Record<string, string> = {},
): Promise<number> {
  const t0 = performance.now();
  const r = await e.spawnPulumi(args, { env }).done;
  if (r.code !== 0)
    throw new Error(
      `pulumi ${args[0]} failed:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`,
    );
  return (performance.now() - t0) / 1000;
}

/**
 * Profiles one `up` from empty of the (empty) stack, then the same `up` with the engine's
 * per-step checkpoints off (PULUMI_SKIP_CHECKPOINTS, a probe: the difference is what the
 * checkpoints cost), destroying after each. Returns the report's lines.
 */
export async function profileUp(
  e: SystemEnv,
  parallel: string,
  dir: string,
  sweep: readonly string[] = [],
): Promise<string[]> {
  const stack = ["--stack", e.stack, "--non-interactive"];
  const run = (op: "up" | "destroy", p = parallel) => [
    op,
    "--yes",
    "--skip-preview",
    "--parallel",
    p,
    ...stack,
  ];
  const up = run("up");
  const destroy = run("destroy");
  const prefix = join(dir, "up-profile");
  const otel = join(dir, "up-otel.json");
  const profiled = await timedRun(e, [
    ...up,
    "--profiling",
    prefix,
    "--otel-traces",
    `file://${otel}`,
  ]);
  // The program's own process during a no-op preview: a V8 CPU profile of each node process.
  const nodeDir = join(dir, "node-profile");
  const preview = await timedRun(e, ["preview", ...stack], {
    NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${nodeDir}`,
  });
  const program = readdirSync(nodeDir)
    .map((f) => join(nodeDir, f))
    .map((f) => ({ f, size: statSync(f).size }))
    .sort((a, b) => b.size - a.size)[0]?.f;
  await timedRun(e, destroy);
  const checkpointsOff = process.env.PULUMI_SKIP_CHECKPOINTS === "true";
  const unsafe = checkpointsOff
    ? undefined
    : await timedRun(e, up, { PULUMI_SKIP_CHECKPOINTS: "true" });
  if (!checkpointsOff) await timedRun(e, destroy);
  // The engine's parallelism, with the checkpoints off so that the services set the pace.
  const swept: string[] = [];
  for (const p of sweep) {
    const s = await timedRun(e, run("up", p), { PULUMI_SKIP_CHECKPOINTS: "true" });
    const d = await timedRun(e, run("destroy", p), { PULUMI_SKIP_CHECKPOINTS: "true" });
    swept.push(`  --parallel ${p}: up ${s.toFixed(1)} s, destroy ${d.toFixed(1)} s`);
  }
  const cpu = readdirSync(dir)
    .filter((f) => f.startsWith("up-profile") && f.endsWith(".cpu"))
    .map((f) => join(dir, f));
  const spans = readSpans(otel);
  return [
    `up from empty, profiled: ${profiled.toFixed(1)} s${unsafe === undefined ? " (checkpoints off)" : `; with the per-step checkpoints off: ${unsafe.toFixed(1)} s`}`,
    `no-op preview under node --cpu-prof: ${preview.toFixed(1)} s`,
    ...(program ? nodeShares(program) : ["no V8 profile written"]),
    ...(swept.length ? ["checkpoints off, by parallelism:", ...swept] : []),
    ...(cpu[0] ? cpuShares(cpu[0], CPU_PATTERNS) : ["no CPU profile written"]),
    "spans (count, total, mean, service and name; calls overlap, so totals exceed the wall time):",
    ...spanTable(spans),
  ];
}
