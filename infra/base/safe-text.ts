/**
 * What a configuration value may contain before a renderer writes it into a file another program
 * parses (Apache, keystone.conf, Python). Each renderer refuses on its own what could add a line,
 * a directive or a variable expansion, so a value that slipped past validation fails loudly
 * instead of becoming syntax (security invariant: nothing from configuration reaches a rendered file
 * as syntax).
 */

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The first control character in `value`, described (`a control character (U+000A)`); undefined when none. */
export function controlCharIn(value: string): string | undefined {
  const m = CONTROL.exec(value);
  return m
    ? `a control character (U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")})`
    : undefined;
}

/** The first thing in `value` that no rendered file may carry, described; undefined when clean. */
export function unsafeFor(value: string, kind: "apache" | "ini"): string | undefined {
  const control = controlCharIn(value);
  if (control) return control;
  if (kind === "apache" && value.includes("${")) return "'${', which Apache expands as a variable";
  if (kind === "ini" && /^[\s[]|[;#%$]/.test(value))
    return "characters keystone.conf would read as syntax (';', '#', '%', '$' which oslo.config interpolates, a leading '[' or space)";
  return undefined;
}

/** Throws when `value` cannot be written safely; returns it otherwise. */
export function safe(value: string, kind: "apache" | "ini", what: string): string {
  const problem = unsafeFor(value, kind);
  if (problem !== undefined)
    throw new Error(
      `${what}: refuses to render a value containing ${problem}: ${JSON.stringify(value)}`,
    );
  return value;
}
