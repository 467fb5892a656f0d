/**
 * The operator's runbooks in docs/operations.md, performed on a copy of the repository: "Add a
 * tenant" (edit the dev stack, generate, run the invariants) and "New environment" (new-env,
 * generate, run the invariants) both end green, and the runbooks list exactly the commands run
 * here. The copy shares node_modules; nothing in this checkout changes.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { REPO_ROOT } from "../../infra/generator/files";

let copy: string;

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "okf-runbook-"));
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  })
    .split("\n")
    .filter((f) => f !== "");
  for (const f of files) {
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    try {
      cpSync(join(REPO_ROOT, f), join(copy, f));
    } catch {
      // listed but deleted in the working tree
    }
  }
  symlinkSync(join(REPO_ROOT, "node_modules"), join(copy, "node_modules"));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** Runs `npm run <script> -- <args>` in the copy; the output on failure. */
function npm(script: string, ...args: string[]): { status: number | null; output: string } {
  const r = spawnSync("npm", ["run", "--silent", script, ...(args.length ? ["--", ...args] : [])], {
    cwd: copy,
    encoding: "utf8",
    env: {
      ...process.env,
      CI: "",
      VITEST: undefined,
      VITEST_POOL_ID: undefined,
      VITEST_WORKER_ID: undefined,
    },
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

/** The `npm run <script>` commands a runbook's shell block lists, in order. */
function runbookNpmScripts(title: string): string[] {
  const doc = readFileSync(join(REPO_ROOT, "docs", "operations.md"), "utf8");
  const start = doc.indexOf(`### ${title}\n`);
  expect(start, `docs/operations.md has no runbook "${title}"`).toBeGreaterThan(0);
  const section = doc.slice(start + 4, doc.indexOf("\n### ", start + 4));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .split("\n")
    .map((l) => /^npm run (\S+)/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined);
}

describe("runbooks on a copy of the repository", () => {
  it("Add a tenant: edit the stack, generate, and every invariant holds", () => {
    const file = join(copy, "stacks", "Pulumi.dev.yaml");
    const doc = parse(readFileSync(file, "utf8")) as { config: Record<string, unknown[]> };
    doc.config["openstack-keycloak-federation:tenants"]!.push({
      name: "initech",
      projects: [{ name: "tps" }],
    });
    doc.config["openstack-keycloak-federation:access"]!.push({
      tenant: "initech",
      group: "engineers",
      grants: [{ role: "member", project: "tps" }],
    });
    writeFileSync(file, stringify(doc));
    const run = ["generate", "test:stacks"];
    expect(runbookNpmScripts("Add a tenant")).toEqual(run);

    const stale = npm("test:stacks");
    expect(stale.status, "the invariants notice the stale generated files").not.toBe(0);
    expect(stale.output).toContain("run npm run generate");
    for (const script of run) {
      const r = npm(script);
      expect(r.status, `npm run ${script}:\n${r.output.slice(-3000)}`).toBe(0);
    }
    expect(readFileSync(join(copy, "mappings", "dev.rules.json"), "utf8")).toContain(
      '"initech-engineers"',
    );
    expect(readFileSync(join(copy, "test", "urns", "dev.txt"), "utf8")).toContain(
      "::keystone-domain-initech\n",
    );
  });

  it("New environment: new-env, generate, and every invariant holds", () => {
    const run = ["new-env", "generate", "test:stacks"];
    expect(runbookNpmScripts("New environment")).toEqual(run);
    const qa = [
      "--name=qa",
      "--environment=test",
      "--keycloak-url=https://id.qa.example.com",
      "--keystone-url=https://keystone.qa.example.com:5000",
      "--tenant=acme",
      "--project=web",
      "--group=developers",
    ];
    const created = npm(
      "new-env",
      ...qa,
      "--application-credential-id=0a1b2c3d4e5f",
      "--horizon-url=https://dashboard.qa.example.com",
    );
    expect(created.status, created.output).toBe(0);
    expect(created.output).toContain(
      "pulumi config set --secret keystoneApplicationCredentialSecret <value> --stack qa",
    );
    const again = npm("new-env", ...qa, "--keystone-cloud=qa");
    expect(again.status).toBe(2);
    expect(again.output).toContain("Pulumi.qa.yaml exists; nothing was changed");
    for (const script of run.slice(1)) {
      const r = npm(script);
      expect(r.status, `npm run ${script}:\n${r.output.slice(-3000)}`).toBe(0);
    }
    expect(readFileSync(join(copy, "test", "urns", "qa.txt"), "utf8")).toContain(
      "::keystone-domain-acme\n",
    );
  });
});
