/**
 * A short-lived stack of the project's own program for the suites that run the real engine: a
 * working copy of the project (its own Pulumi.yaml and stacks/ folder, the program and npm packages
 * linked from the repository), a fresh file backend (or another backend's environment), its own
 * PULUMI_HOME (scripts/pulumi.sh installs the provider plugins there) and the real CLI.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { REPO } from "./keystone-service";

const PULUMI_SH = join(REPO, "scripts", "pulumi.sh");

export interface PulumiResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Throws, with the end of both streams, unless the CLI exited 0. */
export function expectOk(r: PulumiResult, what: string): void {
  if (r.code !== 0)
    throw new Error(
      `${what} exited ${r.code}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`,
    );
}

/** The stack configuration as the engine hands it over: `namespace:key` -> string (JSON for objects). */
export type ConfigMap = Record<string, string>;

export interface PulumiStack {
  readonly stack: string;
  /** The working copy the CLI runs in. */
  readonly project: string;
  /** The stack's file, `<project>/stacks/Pulumi.<stack>.yaml`. */
  readonly stackFile: string;
  /** The file backend's folder (unused when another backend was chosen). */
  readonly backend: string;
  /** Runs the real CLI in the working copy. */
  pulumi(args: readonly string[], opts?: { timeoutMs?: number }): PulumiResult;
  /** The same; throws with the CLI's output when it fails. */
  must(args: readonly string[]): PulumiResult;
  /** `pulumi up` of the stack; throws with the CLI's output when it fails. */
  up(extra?: readonly string[]): PulumiResult;
  /**
   * The CLI in its own process group, from `cwd` (default: the working copy), plus `env`;
   * `kill()` ends the whole group with SIGKILL.
   */
  spawnPulumi(
    args: readonly string[],
    opts?: { cwd?: string; env?: Record<string, string> },
  ): { done: Promise<PulumiResult>; kill(): void };
  /** The inputs the engine holds in the stack's state for each resource of a type. */
  declared(type: string): Record<string, unknown>[];
}

/**
 * An operator's working copy of the project at `root`: its own Pulumi.yaml and an empty stacks/
 * folder (the CLI writes a new stack's file there), with the program, the npm packages and the
 * package files linked from the repository, so the program that runs is the repository's own.
 */
export function workingCopy(root: string): string {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "stacks"), { recursive: true });
  copyFileSync(join(REPO, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
  for (const f of [
    "infra",
    "node_modules",
    "package.json",
    "tsconfig.json",
    "tsconfig.pulumi.json",
  ])
    symlinkSync(join(REPO, f), join(root, f));
  return root;
}

/**
 * Creates `stack` in a working copy under `dir`: either from a committed stack file (`file`, its
 * secrets already encrypted with `passphrase`) or from `config`, whose `secretKeys` are set with
 * `pulumi config set --secret`.
 */
export function createStack(
  dir: string,
  stack: string,
  source:
    | { file: string; passphrase: string }
    | { config: ConfigMap; secretKeys: readonly string[]; passphrase: string },
  backendEnv?: Record<string, string>,
): PulumiStack {
  const backend = join(dir, "pulumi-state");
  mkdirSync(backend, { recursive: true });
  const project = workingCopy(join(dir, "project"));
  const stackFile = join(project, "stacks", `Pulumi.${stack}.yaml`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: source.passphrase,
    PULUMI_HOME: join(dir, "pulumi-home"),
  };
  if (backendEnv) {
    delete env.PULUMI_BACKEND_URL;
    Object.assign(env, backendEnv);
  }
  const pulumi = (args: readonly string[], opts: { timeoutMs?: number } = {}): PulumiResult => {
    const r = spawnSync("bash", [PULUMI_SH, "--cwd", project, ...args], {
      env,
      encoding: "utf8",
      timeout: opts.timeoutMs ?? 900_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  };
  const must = (args: readonly string[]) => {
    const r = pulumi(args);
    if (r.code !== 0)
      throw new Error(
        `pulumi ${args.slice(0, 2).join(" ")} failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`,
      );
    return r;
  };
  const spawnPulumi: PulumiStack["spawnPulumi"] = (args, opts = {}) => {
    const child = spawn("bash", [PULUMI_SH, "--cwd", opts.cwd ?? project, ...args], {
      env: { ...env, ...opts.env },
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<PulumiResult>((resolve) =>
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })),
    );
    return {
      done,
      kill: () => {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      },
    };
  };

  if ("file" in source) copyFileSync(source.file, stackFile);
  else writeStackFile(stackFile, source.config, source.secretKeys);
  must(["stack", "init", stack, "--non-interactive"]);
  if ("config" in source)
    for (const key of source.secretKeys)
      must(["config", "set", "--secret", "--stack", stack, key, "--", source.config[key]!]);

  return {
    stack,
    project,
    stackFile,
    backend,
    pulumi,
    must,
    up: (extra = []) =>
      must(["up", "--yes", "--non-interactive", "--skip-preview", "--stack", stack, ...extra]),
    spawnPulumi,
    declared: (type) => {
      const exported = must(["stack", "export", "--stack", stack]);
      const resources = (
        JSON.parse(exported.stdout) as {
          deployment: { resources?: { type: string; inputs?: Record<string, unknown> }[] };
        }
      ).deployment.resources;
      return (resources ?? []).filter((r) => r.type === type).map((r) => r.inputs ?? {});
    },
  };
}

/** Writes the plain keys of a stack file; secrets are added encrypted by `pulumi config set --secret`. */
function writeStackFile(file: string, config: ConfigMap, secretKeys: readonly string[]): void {
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (secretKeys.includes(k)) continue;
    plain[k] = v.startsWith("{") || v.startsWith("[") ? JSON.parse(v) : v;
  }
  writeFileSync(file, stringify({ config: plain }));
}
