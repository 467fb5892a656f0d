/**
 * The configuration reference (README.md) generated from the zod schema, so the documentation can
 * never drift from what the parser accepts. Every key must carry a description.
 */
import type { z } from "zod";
import { StackConfigSchema } from "./schema";
import { SECRET_KEYS } from "./secrets";

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  entries?: Record<string, string>;
  values?: unknown[];
  options?: z.ZodType[];
  in?: z.ZodType;
  /** The key that picks a variant of a discriminated union. */
  discriminator?: string;
}

const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

export interface ReferenceRow {
  readonly key: string;
  readonly type: string;
  readonly default: string;
  readonly description: string;
}

function typeName(s: z.ZodType): string {
  const d = defOf(s);
  switch (d.type) {
    case "default":
    case "prefault":
    case "optional":
      return typeName(d.innerType!);
    case "enum":
      return Object.values(d.entries ?? {})
        .map((v) => `\`${v}\``)
        .join(" \\| ");
    case "literal":
      return (d.values ?? []).map((v) => `\`${JSON.stringify(v)}\``).join(" \\| ");
    case "union":
      return d.discriminator !== undefined
        ? `object (keys by \`${d.discriminator}\`)`
        : (d.options ?? []).map(typeName).join(" \\| ");
    case "array":
      return `list of ${typeName(d.element!)}`;
    case "pipe":
      return typeName(d.in!); // a checked and parsed text: documented as what is typed
    case "object":
      return "object";
    default:
      return d.type;
  }
}

function unwrap(s: z.ZodType): { inner: z.ZodType; defaultValue?: unknown; optional: boolean } {
  let cur = s;
  let defaultValue: unknown;
  let optional = false;
  for (;;) {
    const d = defOf(cur);
    if (d.type === "default" || d.type === "prefault") {
      if (defaultValue === undefined) defaultValue = d.defaultValue;
      cur = d.innerType!;
    } else if (d.type === "optional") {
      optional = true;
      cur = d.innerType!;
    } else return { inner: cur, defaultValue, optional };
  }
}

function walk(prefix: string, schema: z.ZodType, rows: ReferenceRow[], missing: string[]): void {
  const { inner, defaultValue, optional } = unwrap(schema);
  const description = schema.description ?? inner.description;
  if (prefix !== "") {
    if (!description) missing.push(prefix);
    const def =
      defaultValue !== undefined &&
      !(
        typeof defaultValue === "object" &&
        defaultValue !== null &&
        Object.keys(defaultValue).length === 0 &&
        !Array.isArray(defaultValue)
      )
        ? `\`${JSON.stringify(defaultValue)}\``
        : optional
          ? "unset"
          : defaultValue !== undefined
            ? "(defaults below)"
            : "required";
    rows.push({
      key: prefix,
      type: typeName(schema),
      default: def,
      description: description ?? "",
    });
  }
  const d = defOf(inner);
  if (d.type === "object" && d.shape) {
    for (const [k, v] of Object.entries(d.shape))
      walk(prefix === "" ? k : `${prefix}.${k}`, v, rows, missing);
  } else if (d.type === "array" && d.element && hasKeys(d.element)) {
    walk(`${prefix}[]`, d.element, rows, missing);
  } else if (d.type === "union" && d.discriminator !== undefined) {
    rows.push(...variantRows(prefix, d.options ?? [], missing));
  }
}

/** An object, or a discriminated union of objects: a schema whose keys get rows of their own. */
function hasKeys(s: z.ZodType): boolean {
  const d = defOf(unwrap(s).inner);
  return d.type === "object" || (d.type === "union" && d.discriminator !== undefined);
}

/**
 * A discriminated union's keys, one row each: the variants' rows merged by key, so the
 * discriminator lists every value it takes and each variant's own keys name their variant.
 */
function variantRows(prefix: string, options: z.ZodType[], missing: string[]): ReferenceRow[] {
  const merged = new Map<string, ReferenceRow>();
  for (const option of options) {
    const rows: ReferenceRow[] = [];
    const undocumented: string[] = [];
    walk(prefix, option, rows, undocumented);
    missing.push(...undocumented.filter((k) => k !== prefix));
    for (const r of rows.filter((row) => row.key !== prefix)) {
      const seen = merged.get(r.key);
      if (seen === undefined) merged.set(r.key, r);
      else if (seen.type !== r.type || seen.description !== r.description)
        merged.set(r.key, {
          ...seen,
          type: `${seen.type} \\| ${r.type}`,
          description: `${seen.description}; ${r.description}`,
        });
    }
  }
  return [...merged.values()];
}

/** Rows for every key, and the keys that lack a description. */
export function configReference(): { rows: ReferenceRow[]; undocumented: string[] } {
  const rows: ReferenceRow[] = [];
  const undocumented: string[] = [];
  walk("", StackConfigSchema, rows, undocumented);
  return {
    rows: rows.filter((r) => !r.key.endsWith("[]") || r.description !== ""),
    undocumented: undocumented.filter((k) => !k.endsWith("[]")),
  };
}

/** The Markdown section written into README.md between the reference markers. */
export function configReferenceMarkdown(): string {
  const { rows } = configReference();
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const lines = [
    "All keys live in the `openstack-keycloak-federation` namespace of `stacks/Pulumi.<stack>.yaml`.",
    "",
    "| key | type | default | description |",
    "|---|---|---|---|",
    ...rows.map((r) => `| \`${r.key}\` | ${r.type} | ${r.default} | ${esc(r.description)} |`),
    "",
    "Secrets (set with `pulumi config set --secret <key> <value>`; a secret stored in plain text is rejected):",
    "",
    "| key | what it is |",
    "|---|---|",
    ...Object.entries(SECRET_KEYS).map(([k, v]) => `| \`${k}\` | ${esc(v)} |`),
  ];
  return lines.join("\n");
}
