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
  discriminator?: string;
  values?: unknown[];
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

function unwrapped(s: z.ZodType | undefined): z.ZodType | undefined {
  while (s) {
    const d = defOf(s);
    if (
      !d.innerType ||
      !["default", "prefault", "optional", "nullable", "readonly"].includes(d.type)
    )
      return s;
    s = d.innerType;
  }
  return s;
}

/** The variant of a discriminated union whose shape satisfies `want`. */
function variant(
  d: SchemaDef,
  want: (shape: Record<string, z.ZodType>) => boolean,
): z.ZodType | undefined {
  return d.options?.find((o) => {
    const shape = defOf(o).shape;
    return shape !== undefined && want(shape);
  });
}

/**
 * The schema at `path`. A discriminated union on the way is entered through the variant that has
 * the next key; one at the end through the variant `input` (the object there) names.
 */
function schemaAt(
  schema: z.ZodType,
  path: readonly PropertyKey[],
  input?: unknown,
): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  const steps = [...path, undefined];
  for (const seg of steps) {
    s = unwrapped(s);
    if (!s) return undefined;
    let d = defOf(s);
    if (d.type === "union" && d.discriminator !== undefined) {
      const key = d.discriminator;
      const chosen: z.ZodType | undefined =
        seg !== undefined
          ? variant(d, (shape) => String(seg) in shape)
          : variant(d, (shape) => {
              const value = (input as Record<string, unknown> | undefined)?.[key];
              return defOf(shape[key]!).values?.includes(value) ?? false;
            });
      if (!chosen) return seg === undefined ? s : undefined;
      s = chosen;
      d = defOf(s);
    }
    if (seg === undefined) return s;
    if (typeof seg === "number" && d.type === "array") s = d.element;
    else if (d.type === "object" && d.shape) s = d.shape[String(seg)];
    else return undefined;
  }
  return s;
}

/** The object keys a schema accepts at `path` (`input` being the object there), for hints. */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  const s = schemaAt(schema, path, input);
  const d = s ? defOf(s) : undefined;
  return d?.type === "object" && d.shape ? Object.keys(d.shape) : [];
}

const SECRETISH = /(secret|password|passphrase|token|credential)$/i;

function zodIssues(error: z.ZodError): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(StackConfigSchema, issue.path, issue.input);
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
      const described = schemaAt(StackConfigSchema, issue.path)?.description;
      out.push({
        path,
        message: "is required",
        hint: described ?? "see the configuration reference in README.md",
      });
      continue;
    }
    if (issue.code === "invalid_union" && "discriminator" in issue) {
      // A discriminated union without a known discriminator: name the values it takes.
      const options = (issue as { options?: unknown[] }).options ?? [];
      const given = (input as Record<string, unknown> | undefined)?.[String(issue.discriminator)];
      out.push({
        path,
        message:
          given === undefined
            ? "is required"
            : `${JSON.stringify(given)} is not one of ${options.map(String).join(", ")}`,
        hint: `set it to one of ${options.map(String).join(", ")}`,
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
