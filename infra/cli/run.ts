/** Runs a commander program on argv, capturing its output; never exits the process. */
import { existsSync } from "node:fs";
import { type Command, CommanderError } from "commander";
import { ConfigError } from "../config/issues";
import { stackFilePath } from "../stack-files/stack-file";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `build` registers the commands; each action returns its result through `set`. */
export function runCli(
  program: Command,
  argv: readonly string[],
  build: (set: (r: CliResult) => void) => void,
): CliResult {
  let result: CliResult = { code: 0, stdout: "", stderr: "" };
  program.exitOverride().configureOutput({
    writeOut: (s) => (result.stdout += s),
    writeErr: (s) => (result.stderr += s),
  });
  build((r) => (result = r));
  try {
    program.parse([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return { ...result, code: e.exitCode === 0 ? 0 : 2 };
    // Bad configuration is the user's to fix: its message names every key, a stack trace helps no one.
    if (e instanceof ConfigError || e instanceof UsageError)
      return { code: 2, stdout: "", stderr: `${e.message}\n` };
    throw e;
  }
  return result;
}

/** A mistake in the command line, reported as its message alone (exit 2). */
export class UsageError extends Error {}

/** The stack file of `stack`, or a usage error naming the file that is missing. */
export function requireStackFile(command: string, stack: string, stacksDir?: string): string {
  const file = stackFilePath(stack, stacksDir);
  if (!existsSync(file))
    throw new UsageError(
      `${command}: no stack file ${file} (a stack is a file Pulumi.<stack>.yaml in the stacks folder)`,
    );
  return file;
}

/** Prints a result and sets the exit code (for `require.main === module`). */
export function finish(r: CliResult): void {
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
