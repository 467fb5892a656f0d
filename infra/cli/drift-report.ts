/**
 * npm run drift:report -- --stack <stack> --preview <preview.json> [--stacks-dir <dir>]
 * Prints the drift issue of a stack from `pulumi preview --refresh --json`: exit 0 when nothing
 * drifted, 1 when something did, 2 when the file is no preview output. Offline; reads only the
 * files given.
 */
import { existsSync, readFileSync } from "node:fs";
import { Command } from "commander";
import { buildModel } from "../model/deployment-model";
import { parseStackFileAt } from "../stack-files/stack-file";
import { driftedSteps, driftReport, type DriftPreviewJson } from "../verify/drift-report";
import { type CliResult, finish, requireStackFile, runCli, UsageError } from "./run";

interface Options {
  stack: string;
  preview: string;
  stacksDir?: string;
}

function report(o: Options): CliResult {
  if (!existsSync(o.preview)) throw new UsageError(`drift:report: no file ${o.preview}`);
  let preview: DriftPreviewJson;
  try {
    preview = JSON.parse(readFileSync(o.preview, "utf8")) as DriftPreviewJson;
  } catch (e) {
    throw new UsageError(
      `drift:report: ${o.preview} is not pulumi preview --json output (${(e as Error).message})`,
    );
  }
  if (!Array.isArray(preview.steps))
    throw new UsageError(`drift:report: ${o.preview} has no steps (did the preview fail?)`);
  const file = requireStackFile("drift:report", o.stack, o.stacksDir);
  const model = buildModel(parseStackFileAt(file, o.stack).config, o.stack);
  return {
    code: driftedSteps(preview).length > 0 ? 1 : 0,
    stdout: driftReport(o.stack, preview, model),
    stderr: "",
  };
}

export function main(argv: readonly string[]): CliResult {
  const program = new Command("drift:report");
  return runCli(program, argv, (set) => {
    program
      .requiredOption("--stack <stack>", "stack name (its file is stacks/Pulumi.<stack>.yaml)")
      .requiredOption("--preview <file>", "output of pulumi preview --refresh --json")
      .option("--stacks-dir <dir>", "folder of the stack files (default stacks/)")
      .action((o: Options) => set(report(o)));
  });
}

if (require.main === module) finish(main(process.argv.slice(2)));
