/**
 * Python `str.format` as Keystone applies it to every string of a matched rule's locals: slots
 * render as Python would print them, and braces are syntax.
 */
import { fail } from "./errors";
import { pyRepr } from "./python-repr";

export function renderSlot(slot: string[]): string {
  return slot.length === 1 ? slot[0]! : pyRepr(slot);
}

/** Python `str.format(*slots)` for `{N}`, `{}`, `{{`, `}}`, `!r`/`!s` and `[N]` indexing (§4.4). */
export function pyFormat(template: string, slots: string[][]): string {
  let out = "";
  let auto = 0;
  let mode: "auto" | "manual" | undefined;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === "}") {
      if (template[i + 1] === "}") {
        out += "}";
        i++;
        continue;
      }
      fail("ValueError", "Single '}' encountered in format string");
    }
    if (c !== "{") {
      out += c;
      continue;
    }
    if (template[i + 1] === "{") {
      out += "{";
      i++;
      continue;
    }
    const end = template.indexOf("}", i);
    if (end < 0) fail("ValueError", "expected '}' before end of string");
    const field = template.slice(i + 1, end);
    if (field.includes("{")) fail("ValueError", "unexpected '{' in field name");
    const m = /^([^!:[.]*)((?:\[[^\]]*\])*)(?:!([rsa]))?(?::(.*))?$/.exec(field);
    if (!m) fail("ValueError", `invalid format field ${field}`);
    const [, name, index, conversion, spec] = m;
    let slotIndex: number;
    if (name === "") {
      if (mode === "manual")
        fail(
          "ValueError",
          "cannot switch from manual field specification to automatic field numbering",
        );
      mode = "auto";
      slotIndex = auto++;
    } else if (/^\d+$/.test(name!)) {
      if (mode === "auto")
        fail(
          "ValueError",
          "cannot switch from automatic field numbering to manual field specification",
        );
      mode = "manual";
      slotIndex = Number(name);
    } else {
      fail("KeyError", `'${name}'`);
    }
    if (slotIndex >= slots.length)
      fail(
        "DirectMappingError",
        "An unexpected error prevented the server from fulfilling your request.",
      );
    const slot = slots[slotIndex]!;
    let value: unknown = slot.length === 1 ? slot[0]! : slot;
    for (const idx of (index ?? "").match(/\[[^\]]*\]/g) ?? []) {
      const k = idx.slice(1, -1);
      if (!/^\d+$/.test(k)) fail("NotSupported", `format index ${idx} is not supported`);
      const seq = value as string | string[];
      if (Number(k) >= seq.length)
        fail("ValueError", `${typeof seq === "string" ? "string" : "list"} index out of range`);
      value = seq[Number(k)];
    }
    if (spec !== undefined && spec !== "")
      fail("NotSupported", `format spec '${spec}' is not supported`);
    out +=
      conversion === "r" || conversion === "a"
        ? pyRepr(value)
        : typeof value === "string"
          ? value
          : pyRepr(value);
    i = end;
  }
  return out;
}

/** `_update_local_mapping`: format every string leaf; non-dict list items and other scalars raise (§4.4). */
export function substitute(value: unknown, slots: string[][]): unknown {
  if (typeof value === "string") return pyFormat(value, slots);
  if (Array.isArray(value)) {
    return value.map((item) => {
      if (item === null || typeof item !== "object" || Array.isArray(item))
        fail(
          "AttributeError",
          `'${typeof item === "string" ? "str" : "list"}' object has no attribute 'items'`,
        );
      return substitute(item, slots);
    });
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, slots);
    return out;
  }
  return fail(
    "AttributeError",
    `'${value === null ? "NoneType" : typeof value === "boolean" ? "bool" : "int"}' object has no attribute 'format'`,
  );
}

/** Python truthiness of a JSON value. */
