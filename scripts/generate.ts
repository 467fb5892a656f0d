/**
 * npm run generate              rewrite every generated file (mappings, golden renders, the README's
 *                               configuration reference, the pinned resource URNs)
 * npm run generate -- --check   list the stale ones and exit 1 (offline, no secrets: CI and forks)
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { listStacks } from "../infra/stack-files/stack-file";
import { ConfigError } from "../infra/config/issues";
import { GENERATE_COMMAND, REPO_ROOT } from "../infra/generator/files";
import { staleFiles, writeGenerated } from "../infra/generator/sync";
import { urnPinText } from "../test/support/urn-pins";

async function main(check: boolean): Promise<number> {
  if (check) {
    const stale = staleFiles();
    for (const s of stale) console.error(`${s.path}: ${s.state} (run ${GENERATE_COMMAND})`);
    if (stale.length === 0) console.log("every generated file is up to date");
    return stale.length > 0 ? 1 : 0;
  }
  for (const c of writeGenerated())
    console.log(`${c.state === "not generated" ? "removed" : "wrote"} ${c.path}`);
  // The URN pins come from the program under Pulumi's mock runtime (test/support/urn-pins.ts, the
  // function the pin test compares with); the pins of stacks that are gone go first.
  const stacks = new Set(listStacks());
  for (const pin of readdirSync(join(REPO_ROOT, "test", "urns"))) {
    if (!stacks.has(pin.replace(/\.txt$/, ""))) {
      rmSync(join(REPO_ROOT, "test", "urns", pin));
      console.log(`removed test/urns/${pin}`);
    }
  }
  for (const stack of stacks) {
    const path = join("test", "urns", `${stack}.txt`);
    const text = await urnPinText(stack);
    const file = join(REPO_ROOT, path);
    if (!existsSync(file) || readFileSync(file, "utf8") !== text) {
      writeFileSync(file, text);
      console.log(`wrote ${path}`);
    }
  }
  console.log("pinned resource URNs: test/urns/<stack>.txt");
  return 0;
}

main(process.argv.includes("--check")).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    process.exit(2);
  },
);
