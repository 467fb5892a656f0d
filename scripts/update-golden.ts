/**
 * Writes the rendered artifacts of every committed stack to test/golden/<stack>/ (references, no
 * secret values). `npm test` compares them byte for byte; run this after an intended change and
 * review the diff.   npx tsx scripts/update-golden.ts
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { main } from "../infra/cli/render";
import { stacks } from "./update-mappings";

export const GOLDEN = join(__dirname, "..", "test", "golden");

if (require.main === module) {
  for (const stack of stacks()) {
    rmSync(join(GOLDEN, stack), { recursive: true, force: true });
    const r = main(["--stack", stack, "--out", join(GOLDEN, stack)]);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  console.log(`golden artifacts written under ${GOLDEN}`);
}
