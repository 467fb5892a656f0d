/**
 * Compares the generated files with the repository and rewrites them. Files under a generated
 * folder that nothing generates any more (a removed stack's mapping, a renderer's old output) are
 * stale too, and are removed on write.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { GENERATED_PLACES, type GeneratedFile, generatedFiles, REPO_ROOT } from "./files";

export interface StaleFile {
  readonly path: string;
  readonly state: "missing" | "stale" | "not generated";
}

function filesUnder(dir: string): string[] {
  const abs = join(REPO_ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(REPO_ROOT, join(d.parentPath, d.name)));
}

export function staleFiles(files: readonly GeneratedFile[] = generatedFiles()): StaleFile[] {
  const stale: StaleFile[] = [];
  const wanted = new Set(files.map((f) => f.path));
  for (const f of files) {
    const abs = join(REPO_ROOT, f.path);
    if (!existsSync(abs)) stale.push({ path: f.path, state: "missing" });
    else if (readFileSync(abs, "utf8") !== f.content) stale.push({ path: f.path, state: "stale" });
  }
  for (const place of GENERATED_PLACES) {
    for (const path of filesUnder(place.dir)) {
      if (place.files.test(path) && !wanted.has(path)) stale.push({ path, state: "not generated" });
    }
  }
  return stale.sort((a, b) => a.path.localeCompare(b.path));
}

/** Brings every generated file up to date; returns what changed. */
export function writeGenerated(): StaleFile[] {
  const files = generatedFiles();
  const changes = staleFiles(files);
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  for (const change of changes) {
    const abs = join(REPO_ROOT, change.path);
    const content = byPath.get(change.path);
    if (content === undefined) {
      rmSync(abs);
    } else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
  return changes;
}
