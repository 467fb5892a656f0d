/** Runs a commander program on argv, capturing its output; never exits the process. */
import { type Command, CommanderError } from "commander";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `build` registers the commands; each action returns its result through `set`. */
export function runCli(program: Command, argv: readonly string[], build: (set: (r: CliResult) => void) => void): CliResult {
  let result: CliResult = { code: 0, stdout: "", stderr: "" };
  program.exitOverride().configureOutput({ writeOut: (s) => (result.stdout += s), writeErr: (s) => (result.stderr += s) });
  build((r) => (result = r));
  try {
    program.parse([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return { ...result, code: e.exitCode === 0 ? 0 : 2 };
    throw e;
  }
  return result;
}

/** Prints a result and sets the exit code (for `require.main === module`). */
export function finish(r: CliResult): void {
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
