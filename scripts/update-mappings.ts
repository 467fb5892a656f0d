/**
 * Writes mappings/<stack>.rules.json for every committed stack (the mapping as Keystone receives
 * it), so a pull request shows a mapping change as a plain diff, even without cloud credentials.
 *   npm run mappings:update      rewrite the files
 *   npm run mappings:check       exit 1 when a file is missing or stale (CI, forks)
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseStackConfig } from "../infra/config/parse";
import { readStackFileOffline, stackFilePath } from "../infra/config/stack-file";
import { buildModel } from "../infra/model/federation-model";
import { renderMapping } from "../infra/model/mapping/generate";

export const ROOT = join(__dirname, "..");
export const STACKS = join(ROOT, "stacks");
export const MAPPINGS = join(ROOT, "mappings");

export function stacks(): string[] {
  return readdirSync(STACKS).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []).sort();
}

/** The golden text of one stack's mapping. */
export function expectedRules(stack: string): string {
  const { raw, secretKeys } = readStackFileOffline(stackFilePath(STACKS, stack));
  const { config } = parseStackConfig(raw, { stack, secretKeys });
  return renderMapping(buildModel(config, stack).federation.mapping);
}

export function rulesPath(stack: string): string {
  return join(MAPPINGS, `${stack}.rules.json`);
}

if (require.main === module) {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const stack of stacks()) {
    const file = rulesPath(stack);
    const want = expectedRules(stack);
    const have = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (have === want) continue;
    if (check) {
      stale++;
      console.error(`${file}: ${have === undefined ? "missing" : "stale"} (run npm run mappings:update and commit the result)`);
    } else {
      writeFileSync(file, want);
      console.log(`wrote ${file}`);
    }
  }
  process.exit(stale > 0 ? 1 : 0);
}
