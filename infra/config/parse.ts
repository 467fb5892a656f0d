/**
 * parseStackConfig(raw) -> StackConfig: the single gate between a stack file and the model.
 * Pure and synchronous: it gets plain values (the edge in `load.ts` reads them from Pulumi) and
 * either returns the validated configuration or throws a ConfigError listing every problem.
 */
import type { z } from "zod";
import { ConfigError, type ConfigIssue, formatPath } from "./issues";
import { crossFieldIssues } from "./rules";
import { type StackConfig, StackConfigSchema } from "./schema";
import {
  isSecretKey,
  SECRET_KEY_NAMES,
  SECRET_MARKER,
  type SecretPresence,
  weakSecretIssues,
} from "./secrets";

export interface ParseContext {
  /** Stack name, used in messages. */
  readonly stack: string;
  /** Keys of the project namespace that Pulumi holds as secrets. */
  readonly secretKeys: ReadonlySet<string>;
}

export interface ParsedConfig {
  readonly config: StackConfig;
  /** Which secret keys are present (values are never part of the pure config). */
  readonly secrets: SecretPresence;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** The object keys a schema accepts at `path`, for "did you mean" hints. */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = schema;
  const unwrap = () => {
    while (s) {
      const d = defOf(s);
      if (
        d.innerType &&
        ["default", "prefault", "optional", "nullable", "readonly"].includes(d.type)
      )
        s = d.innerType;
      else break;
    }
  };
  for (const seg of path) {
    unwrap();
    if (!s) return [];
    const d = defOf(s);
    if (typeof seg === "number" && d.type === "array") s = d.element;
    else if (d.type === "object" && d.shape) s = d.shape[String(seg)];
    else return [];
  }
  unwrap();
  const d = s ? defOf(s) : undefined;
  return d?.type === "object" && d.shape ? Object.keys(d.shape) : [];
}

const SECRETISH = /(secret|password|passphrase|token|credential)$/i;

function zodIssues(error: z.ZodError): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(StackConfigSchema, issue.path);
      for (const key of issue.keys) {
        const where = formatPath([...issue.path, key]);
        const atRoot = issue.path.length === 0;
        const hint = SECRETISH.test(key)
          ? `secrets are never plain configuration: use \`pulumi config set --secret <key>\` with one of ${SECRET_KEY_NAMES.join(", ")}`
          : `known keys${atRoot ? " of the project namespace" : ""}: ${[...known, ...(atRoot ? SECRET_KEY_NAMES : [])].join(", ")}`;
        out.push({ path: where, message: "unknown key", hint });
      }
      continue;
    }
    const path = formatPath(issue.path);
    const input = (issue as { input?: unknown }).input;
    if ((issue.code === "invalid_type" || issue.code === "invalid_value") && input === undefined) {
      out.push({
        path,
        message: "is required",
        hint: "see the configuration reference in README.md",
      });
      continue;
    }
    if (issue.code === "invalid_value") {
      out.push({
        path,
        message: `${JSON.stringify(input)} is not one of ${issue.values.map(String).join(", ")}`,
        hint: hintFor(issue),
      });
      continue;
    }
    out.push({
      path,
      message: issue.message.replace(/^Invalid input: /, ""),
      hint: hintFor(issue),
    });
  }
  return out;
}

function hintFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_value":
      return "pick one of the listed values";
    case "invalid_type":
      return `give a ${issue.expected}`;
    case "too_small":
      return issue.origin === "array" ? "add at least one entry" : "give a larger value";
    case "too_big":
      return "give a smaller value";
    case "invalid_format":
      return "rename it";
    default:
      return "see the configuration reference in README.md";
  }
}

/** Validates one stack's configuration (namespace-less keys -> values). Throws ConfigError. */
export function parseStackConfig(
  raw: Readonly<Record<string, unknown>>,
  ctx: ParseContext,
): ParsedConfig {
  const plain: Record<string, unknown> = {};
  const secrets: SecretPresence = {};
  for (const [key, value] of Object.entries(raw)) {
    if (isSecretKey(key)) {
      if (value !== undefined && value !== "")
        secrets[key] = ctx.secretKeys.has(key) ? "secret" : "plain";
    } else {
      plain[key] = value;
    }
  }
  const result = StackConfigSchema.safeParse(plain, { reportInput: true });
  if (!result.success) throw new ConfigError(ctx.stack, zodIssues(result.error));
  const issues = [
    ...crossFieldIssues(result.data, secrets, ctx.stack),
    ...weakSecretIssues(raw, SECRET_MARKER),
  ];
  if (issues.length > 0) throw new ConfigError(ctx.stack, issues);
  return { config: result.data, secrets };
}
