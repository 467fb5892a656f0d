/**
 * Python `re.search` semantics for the mapping's `regex: true` conditions, on JS RegExp
 * (docs/keystone-mapping-engine.md §4.2). Translated: leading inline flags (?i) (?s) (?m) (?x) (?a),
 * named groups (?P<name>..) and back-references (?P=name), \A and \Z, `$` (also before a final
 * newline), and Unicode-aware \d \w \s \b like Python's str patterns. Patterns JS cannot express
 * raise `re.error`, as an invalid pattern does in Keystone.
 */
import { fail } from "./errors";

const cache = new Map<string, RegExp>();

function translate(pattern: string): RegExp {
  let flags = "u";
  let p = pattern;
  let verbose = false;
  let ascii = false;
  for (;;) {
    const m = /^\(\?([aiLmsux]+)\)/.exec(p);
    if (!m) break;
    for (const f of m[1]!) {
      if (f === "i" && !flags.includes("i")) flags += "i";
      if (f === "m" && !flags.includes("m")) flags += "m";
      if (f === "s" && !flags.includes("s")) flags += "s";
      if (f === "x") verbose = true;
      if (f === "a") ascii = true;
      if (f === "L") fail("re.error", "bad inline flags: cannot use 'L' flag with a str pattern");
    }
    p = p.slice(m[0].length);
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (verbose && !inClass) {
      if (/\s/.test(c)) continue;
      if (c === "#") {
        while (i < p.length && p[i] !== "\n") i++;
        continue;
      }
    }
    if (c === "\\") {
      const n = p[i + 1];
      if (n === undefined) fail("re.error", "bad escape (end of pattern)");
      i++;
      if (n === "A" && !inClass) out += "(?<![\\s\\S])";
      else if (n === "Z" && !inClass) out += "(?![\\s\\S])";
      else if (!ascii && (n === "d" || n === "D")) out += n === "d" ? "\\p{Nd}" : "\\P{Nd}";
      else if (!ascii && (n === "w" || n === "W"))
        out +=
          n === "w"
            ? inClass
              ? "\\p{L}\\p{N}_\\p{M}"
              : "[\\p{L}\\p{N}_\\p{M}]"
            : inClass
              ? fail("re.error", "\\W in a class is not supported")
              : "[^\\p{L}\\p{N}_\\p{M}]";
      else if (/[A-Za-z]/.test(n) && !"dDwWsSbBntrfvx0uU".includes(n))
        fail("re.error", `bad escape \\${n}`);
      else out += `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (p[i + 1] === "^") out += p[++i];
      if (p[i + 1] === "]") out += `\\${p[++i]}`;
      continue;
    }
    if (c === "(" && p.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
      continue;
    }
    if (c === "(" && p.startsWith("(?P=", i)) {
      const end = p.indexOf(")", i);
      if (end < 0) fail("re.error", "missing ), unterminated name");
      out += `\\k<${p.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    if (c === "(" && /^\(\?[aiLmsux-]*[:)]/.test(p.slice(i)) && !/^\(\?:/.test(p.slice(i)))
      fail("re.error", "scoped inline flags are not supported");
    if (c === "$" && !flags.includes("m")) {
      out += "(?=\\n?(?![\\s\\S]))";
      continue;
    }
    out += c;
  }
  if (inClass) fail("re.error", "unterminated character set");
  try {
    return new RegExp(out, flags);
  } catch (e) {
    return fail("re.error", e instanceof Error ? e.message : String(e));
  }
}

/** Python `re.search(pattern, value) is not None`. */
export function pySearch(pattern: unknown, value: string): boolean {
  if (typeof pattern !== "string")
    fail("TypeError", "first argument must be string or compiled pattern");
  let re = cache.get(pattern);
  if (!re) {
    re = translate(pattern);
    cache.set(pattern, re);
  }
  return re.test(value);
}

/** Compiles every pattern now (Zed evaluates all patterns for each value, so any invalid one raises). */
export function compileAll(patterns: readonly unknown[]): void {
  for (const p of patterns) {
    if (typeof p !== "string")
      fail("TypeError", "first argument must be string or compiled pattern");
    if (!cache.has(p)) cache.set(p, translate(p));
  }
}
