/**
 * npm run generate              rewrite every generated file (mappings, golden renders, the README's
 *                               configuration reference, the pinned resource URNs)
 * npm run generate -- --check   list the stale ones and exit 1 (offline, no secrets: CI and forks)
 */
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { listStacks } from "../infra/stack-files/stack-file";
import { ConfigError } from "../infra/config/issues";
import { GENERATE_COMMAND, REPO_ROOT } from "../infra/generator/files";
import { staleFiles, writeGenerated } from "../infra/generator/sync";

function main(check: boolean): number {
  if (check) {
    const stale = staleFiles();
    for (const s of stale) console.error(`${s.path}: ${s.state} (run ${GENERATE_COMMAND})`);
    if (stale.length === 0) console.log("every generated file is up to date");
    return stale.length > 0 ? 1 : 0;
  }
  for (const c of writeGenerated())
    console.log(`${c.state === "not generated" ? "removed" : "wrote"} ${c.path}`);
  // The URN pins come from the program under Pulumi's mock runtime, which the unit suite hosts;
  // the pins of stacks that are gone go first.
  const stacks = new Set(listStacks());
  for (const pin of readdirSync(join(REPO_ROOT, "test", "urns"))) {
    if (!stacks.has(pin.replace(/\.txt$/, ""))) {
      rmSync(join(REPO_ROOT, "test", "urns", pin));
      console.log(`removed test/urns/${pin}`);
    }
  }
  const urns = spawnSync(
    "npx",
    ["vitest", "run", "--project", "unit", "test/unit/invariants/urns.test.ts"],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, UPDATE_URNS: "1" },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  if (urns.status !== 0) {
    console.error(
      "the resource URN pins could not be written (npx vitest run test/unit/invariants/urns.test.ts)",
    );
    return 1;
  }
  console.log("pinned resource URNs: test/urns/<stack>.txt");
  return 0;
}

try {
  process.exit(main(process.argv.includes("--check")));
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(2);
}
