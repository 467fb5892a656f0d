/**
 * Configuration problems, reported all at once before any resource is declared.
 * Each line reads `<path>: <what is wrong> (<hint>)`.
 */

/** One problem in a stack's configuration. */
export interface ConfigIssue {
  /** Dotted path from the config key, e.g. `tenants[1].projects[0].name`. */
  readonly path: string;
  /** What is wrong, in one clause. */
  readonly message: string;
  /** How to fix it. */
  readonly hint: string;
}

/** How a rule reports one problem. */
export type Push = (path: string, message: string, hint: string) => void;

/** `a`, `b`, 0 -> `a.b[0]` */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else out += out === "" ? String(s) : `.${String(s)}`;
  }
  return out === "" ? "(root)" : out;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.path}: ${issue.message} (${issue.hint})`;
}

/** Thrown by `parseStackConfig`; `message` lists every issue, one per line. */
export class ConfigError extends Error {
  constructor(
    readonly stackName: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      `invalid configuration for stack "${stackName}" (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map((i) => `  ${formatIssue(i)}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}
