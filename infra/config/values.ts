/** How the program reads one configuration value. Pure. */

/**
 * A value as the program reads it: structured values that arrive as JSON text (the engine passes
 * every value as a string; `pulumi config set key '[...]'` stores one) are parsed; other strings
 * stay strings.
 */
export function decodeConfigValue(value: string): unknown {
  const t = value.trim();
  if (
    t.startsWith("{") ||
    t.startsWith("[") ||
    t === "true" ||
    t === "false" ||
    /^-?\d+(\.\d+)?$/.test(t)
  ) {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}
