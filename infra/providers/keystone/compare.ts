/**
 * Pure comparison helpers of the Keystone dynamic provider (no HTTP): structural equality that
 * ignores key order, set equality, and Pulumi's "unknown during preview" sentinel.
 */

/** The value Pulumi passes for an input that is not known yet during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(isUnknown);
  return false;
}

/** JSON with object keys sorted at every level: equal for structurally equal values. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value as Record<string, unknown>)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

export function sameStructure(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function sameSet(
  a: readonly unknown[] | undefined,
  b: readonly unknown[] | undefined,
): boolean {
  const sa = new Set((a ?? []).map(canonicalJson));
  const sb = new Set((b ?? []).map(canonicalJson));
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** Normalises a mapping given as `{rules: [...]}` or as a bare array to `{rules: [...]}`. */
export function mappingDocument(rules: unknown): { rules: unknown[] } {
  if (Array.isArray(rules)) return { rules };
  const r = (rules as { rules?: unknown } | null)?.rules;
  return { rules: Array.isArray(r) ? r : [] };
}
