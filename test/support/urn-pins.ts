/**
 * The pinned URN list of one operator stack: every resource's URN as the engine forms it, sorted,
 * one per line. The pin test compares it with test/urns/<stack>.txt; `npm run generate` writes it
 * there by running this file (`tsx test/support/urn-pins.ts <stack>`, one process per stack:
 * Pulumi's runtime state is global to a process).
 */
import { runWithMocks } from "./mock-runtime";

export async function urnPinText(stack: string): Promise<string> {
  const run = await runWithMocks(
    stack,
    async () => {
      const { loadStackConfig } = await import("../../infra/config/load");
      const { declareStack } = await import("../../infra/stack");
      declareStack(loadStackConfig(), stack);
    },
    { operator: true },
  );
  if (run.urns.length === 0) throw new Error(`${stack}: the program declared no resource`);
  return `${run.urns.join("\n")}\n`;
}

if (require.main === module) {
  const stack = process.argv[2];
  if (!stack) {
    console.error("usage: tsx test/support/urn-pins.ts <stack>");
    process.exit(2);
  }
  urnPinText(stack).then(
    (text) => process.stdout.write(text),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
