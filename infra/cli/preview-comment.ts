/**
 * npm run preview:comment -- --stack <stack> --preview <preview.json> --base <base stack file>
 *   [--access-table <file>] [--stacks-dir <dir>]
 * Prints the pull-request comment for a stack: `pulumi preview --json`'s resource changes, who
 * gains or loses which role where (the base stack file against the head one, and over the access
 * table), and the mapping's diff. Offline; reads only the files given.
 */
import { existsSync, readFileSync } from "node:fs";
import { Command } from "commander";
import { parseStackFileAt } from "../stack-files/stack-file";
import { buildModel } from "../model/deployment-model";
import { parseAccessTable } from "../verify/access-table";
import { endpointSettings, previewComment, type PreviewJson } from "../verify/preview-comment";
import { type CliResult, finish, requireStackFile, runCli, UsageError } from "./run";

interface Options {
  stack: string;
  preview: string;
  base: string;
  accessTable?: string;
  stacksDir?: string;
}

const configOf = (file: string, stack: string) => parseStackFileAt(file, stack).config;

function comment(o: Options): CliResult {
  for (const f of [o.preview, o.base, ...(o.accessTable ? [o.accessTable] : [])])
    if (!existsSync(f)) throw new UsageError(`preview:comment: no file ${f}`);
  let preview: PreviewJson;
  try {
    preview = JSON.parse(readFileSync(o.preview, "utf8")) as PreviewJson;
  } catch (e) {
    throw new UsageError(
      `preview:comment: ${o.preview} is not pulumi preview --json output (${(e as Error).message})`,
    );
  }
  const base = configOf(o.base, o.stack);
  const head = configOf(requireStackFile("preview:comment", o.stack, o.stacksDir), o.stack);
  const text = previewComment({
    stack: o.stack,
    preview,
    base: buildModel(base, o.stack),
    head: buildModel(head, o.stack),
    endpoints: { base: endpointSettings(base), head: endpointSettings(head) },
    ...(o.accessTable ? { table: parseAccessTable(readFileSync(o.accessTable, "utf8")) } : {}),
  });
  return { code: 0, stdout: text, stderr: "" };
}

export function main(argv: readonly string[]): CliResult {
  const program = new Command("preview:comment");
  return runCli(program, argv, (set) => {
    program
      .requiredOption("--stack <stack>", "stack name (its head file is stacks/Pulumi.<stack>.yaml)")
      .requiredOption("--preview <file>", "output of pulumi preview --json")
      .requiredOption("--base <file>", "the stack file as on the base branch")
      .option("--access-table <file>", "who gets what (mappings/<stack>.access.yaml)")
      .option("--stacks-dir <dir>", "folder of the head stack files (default stacks/)")
      .action((o: Options) => set(comment(o)));
  });
}

if (require.main === module) finish(main(process.argv.slice(2)));
