/**
 * The direction of imports that docs/architecture.md describes, checked on the source: the model
 * is pure data (no Pulumi, no verifier), the verifier is pure, configuration imports no component,
 * infra imports neither tests nor scripts, scripts are entry points nothing imports, and no infra
 * file grows past what a reader can hold.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const MAX_LINES = 300;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(ts|cjs|mts)$/.test(d.name))
    .map((d) => relative(ROOT, join(d.parentPath, d.name)));
}

/** What a file imports: package names as written, local modules as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specs = [...text.matchAll(/(?:from|import|require\()\s*["']([^"']+)["']/g)].map(
    (m) => m[1]!,
  );
  return specs.map((s) =>
    s.startsWith(".") ? relative(ROOT, resolve(ROOT, dirname(file), s)) : s,
  );
}

/** Violations of "files under `from` never import anything matching `forbidden`". */
function violations(
  from: string,
  forbidden: (target: string) => boolean,
  except: string[] = [],
): string[] {
  return sources(from)
    .filter((f) => !except.includes(f))
    .flatMap((f) =>
      importsOf(f)
        .filter(forbidden)
        .map((t) => `${f} imports ${t}`),
    );
}

const isPulumi = (t: string) => t.startsWith("@pulumi/");
const under =
  (...dirs: string[]) =>
  (t: string) =>
    dirs.some((d) => t === d || t.startsWith(`${d}/`));

describe("architecture", () => {
  it("model/ is pure data: no Pulumi, no verifier, no components, providers, CLI or generators", () => {
    expect(
      violations(
        "infra/model",
        (t) =>
          isPulumi(t) ||
          under(
            "infra/verify",
            "infra/components",
            "infra/providers",
            "infra/cli",
            "infra/generator",
            "infra/stack-files",
          )(t),
      ),
    ).toEqual([]);
  });

  it("verify/ is pure: no Pulumi, no components or providers", () => {
    expect(
      violations(
        "infra/verify",
        (t) => isPulumi(t) || under("infra/components", "infra/providers", "infra/cli")(t),
      ),
    ).toEqual([]);
  });

  it("config/ reads Pulumi only at its edge (load.ts) and imports no component, provider or verifier", () => {
    expect(violations("infra/config", isPulumi, ["infra/config/load.ts"])).toEqual([]);
    expect(
      violations(
        "infra/config",
        under("infra/components", "infra/providers", "infra/verify", "infra/cli"),
      ),
    ).toEqual([]);
  });

  it("config/ imports no model: the ground floor (base/) holds what both read", () => {
    expect(violations("infra/config", under("infra/model"))).toEqual([]);
  });

  it("the deploy path never imports the stack-file tooling, the generator or the CLI", () => {
    const offPath = under("infra/stack-files", "infra/generator", "infra/cli");
    expect([
      ...violations("infra/config", offPath),
      ...violations("infra/model", offPath),
      ...violations("infra/components", offPath),
      ...violations("infra/providers", offPath),
      ...["infra/index.ts", "infra/stack.ts"].flatMap((f) =>
        importsOf(f)
          .filter(offPath)
          .map((t) => `${f} imports ${t}`),
      ),
    ]).toEqual([]);
  });

  it("components/ read only the model: no configuration import", () => {
    expect(violations("infra/components", under("infra/config"))).toEqual([]);
  });

  it("base/ is the ground floor: it imports nothing", () => {
    expect(
      sources("infra/base").flatMap((f) => importsOf(f).map((t) => `${f} imports ${t}`)),
    ).toEqual([]);
  });

  it("infra/ imports neither tests nor scripts; nothing imports scripts/", () => {
    expect(violations("infra", under("test", "scripts"))).toEqual([]);
    expect([
      ...violations("test", under("scripts")),
      ...violations("scripts", under("scripts")),
    ]).toEqual([]);
  });

  it(`no infra/ file is longer than ${MAX_LINES} lines`, () => {
    const long = sources("infra")
      .map((f) => ({ f, n: readFileSync(join(ROOT, f), "utf8").split("\n").length }))
      .filter(({ n }) => n > MAX_LINES)
      .map(({ f, n }) => `${f}: ${n} lines`);
    expect(long).toEqual([]);
  });

  it("infra/ lines past 100 columns are text: a message, a description, a pattern or a comment", () => {
    // Prettier wraps code at 100; it leaves strings whole, and so do we: an error message or a
    // schema description (a cell of the README's reference) is found whole by grep.
    const text = /["'`]|^\/\/|^\/?\*|\/\/ |^\/\^.*\/[a-z]*[.;,]/;
    const code = sources("infra").flatMap((f) =>
      readFileSync(join(ROOT, f), "utf8")
        .split("\n")
        .map((line, i) => ({ where: `${f}:${i + 1}`, line }))
        .filter(({ line }) => line.length > 100 && !text.test(line.trim()))
        .map(({ where }) => where),
    );
    expect(code).toEqual([]);
    expect(text.test("const x = computeSomething(alpha, beta);")).toBe(false);
  });

  it("the checks can fail: they see a real import of each kind", () => {
    expect(importsOf("infra/stack.ts")).toContain("@pulumi/pulumi");
    expect(importsOf("infra/cli/mapping.ts")).toContain("infra/verify/access-evaluate");
    expect(violations("infra/cli", under("infra/verify"))).not.toEqual([]);
    expect(importsOf("infra/config/federation-rules.ts")).toContain("infra/base/naming");
  });
});
