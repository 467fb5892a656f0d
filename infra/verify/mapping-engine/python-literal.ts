/**
 * Keystone's `_ast_literal_eval` (docs/keystone-mapping-engine.md §6.1): Python `ast.literal_eval` of a
 * mapped string; a list result is returned, anything else (or a parse error) gives `[s]`.
 * Supported literal syntax: lists, tuples, sets and dicts, str/bytes literals with prefixes and
 * escapes (adjacent literals concatenate), ints (with `_`, 0x/0o/0b), floats, True/False/None, unary
 * +/-, comments. Not supported (treated as a parse error, documented): complex numbers, `\N{...}`.
 * Tuples become arrays; bytes become strings.
 */
import { fail } from "./errors";

type Lit = string | number | boolean | null | Lit[] | { __dict: [Lit, Lit][] } | { __set: Lit[] };

class ParseFailure extends Error {}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseAll(): Lit {
    const v = this.expr();
    this.ws();
    if (this.i < this.s.length) throw new ParseFailure("trailing text");
    return v;
  }

  private ws(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v") this.i++;
      else if (c === "\\" && this.s[this.i + 1] === "\n") this.i += 2;
      else if (c === "#") while (this.i < this.s.length && this.s[this.i] !== "\n") this.i++;
      else return;
    }
  }

  private peek(): string | undefined {
    this.ws();
    return this.s[this.i];
  }

  private expr(): Lit {
    const c = this.peek();
    if (c === "-" || c === "+") {
      this.i++;
      const v = this.expr();
      if (typeof v !== "number") throw new ParseFailure("unary on non-number");
      return c === "-" ? -v : v;
    }
    if (c === "[") return this.seq("[", "]").items;
    if (c === "(") {
      const { items, trailingComma } = this.seq("(", ")");
      if (items.length === 1 && !trailingComma) return items[0]!;
      Object.defineProperty(items, "__tuple", { value: true, enumerable: false });
      return items;
    }
    if (c === "{") return this.braces();
    if (c === undefined) throw new ParseFailure("unexpected end");
    if (/[0-9.]/.test(c)) return this.number();
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i))![0];
      if (
        /^(r|u|b|br|rb)$/i.test(m) &&
        (this.s[this.i + m.length] === "'" || this.s[this.i + m.length] === '"')
      )
        return this.strings();
      this.i += m.length;
      if (m === "True") return true;
      if (m === "False") return false;
      if (m === "None") return null;
      throw new ParseFailure(`name ${m}`);
    }
    if (c === "'" || c === '"') return this.strings();
    throw new ParseFailure(`unexpected ${c}`);
  }

  private seq(open: string, close: string): { items: Lit[]; trailingComma: boolean } {
    this.i++; // open
    const items: Lit[] = [];
    let trailingComma = false;
    for (;;) {
      if (this.peek() === close) {
        this.i++;
        return { items, trailingComma };
      }
      items.push(this.expr());
      trailingComma = false;
      const c = this.peek();
      if (c === ",") {
        this.i++;
        trailingComma = true;
      } else if (c !== close) throw new ParseFailure(`expected , or ${close}`);
    }
  }

  private braces(): Lit {
    this.i++;
    if (this.peek() === "}") {
      this.i++;
      return { __dict: [] };
    }
    const first = this.expr();
    if (this.peek() === ":") {
      const entries: [Lit, Lit][] = [];
      let key = first;
      for (;;) {
        this.i++; // ':'
        entries.push([key, this.expr()]);
        if (this.closesBrace())
          return {
            __dict: hashable(
              entries.map(([k]) => k),
              entries,
            ),
          };
        key = this.expr();
        if (this.peek() !== ":") throw new ParseFailure("expected :");
      }
    }
    const items: Lit[] = [first];
    for (;;) {
      if (this.closesBrace()) return { __set: hashable(items, items) };
      items.push(this.expr());
    }
  }

  /** After an element of `{…}`: consumes `,` and reports whether `}` follows (and consumes it). */
  private closesBrace(): boolean {
    let c = this.peek();
    if (c === ",") {
      this.i++;
      c = this.peek();
    } else if (c !== "}") throw new ParseFailure("expected , or }");
    if (c !== "}") return false;
    this.i++;
    return true;
  }

  private number(): number {
    const rest = this.s.slice(this.i);
    const m =
      /^(0[xX](_?[0-9a-fA-F])+|0[oO](_?[0-7])+|0[bB](_?[01])+|(\d(_?\d)*)?\.?(\d(_?\d)*)?([eE][+-]?\d(_?\d)*)?)/.exec(
        rest,
      );
    const text = m?.[0] ?? "";
    if (text === "" || text === ".") throw new ParseFailure("bad number");
    if (/^[jJ]/.test(rest.slice(text.length)))
      throw new ParseFailure("complex numbers are not supported");
    if (/^[A-Za-z0-9_]/.test(rest.slice(text.length))) throw new ParseFailure("bad number");
    this.i += text.length;
    const clean = text.replace(/_/g, "");
    if (/^0[xob]/i.test(clean)) return Number(clean.toLowerCase());
    if (/^0\d+$/.test(clean) && /[1-9]/.test(clean)) throw new ParseFailure("leading zeros");
    return Number(clean);
  }

  private strings(): string {
    let out = "";
    let kind: "str" | "bytes" | undefined;
    for (;;) {
      this.ws();
      const m = /^([rRuUbB]{0,2})(['"])/.exec(this.s.slice(this.i));
      if (!m) break;
      const prefix = m[1]!.toLowerCase();
      if (prefix.includes("u") && prefix.length > 1) throw new ParseFailure("bad prefix");
      const k = prefix.includes("b") ? "bytes" : "str";
      if (kind && kind !== k) throw new ParseFailure("cannot mix bytes and str");
      kind = k;
      this.i += m[1]!.length;
      out += this.oneString(prefix.includes("r"), k === "bytes");
    }
    return out;
  }

  private oneString(raw: boolean, bytes: boolean): string {
    const q = this.s[this.i]!;
    const triple = this.s.startsWith(q.repeat(3), this.i);
    const end = triple ? q.repeat(3) : q;
    this.i += end.length;
    let out = "";
    for (;;) {
      if (this.i >= this.s.length) throw new ParseFailure("unterminated string");
      if (this.s.startsWith(end, this.i)) {
        this.i += end.length;
        return out;
      }
      const c = this.s[this.i]!;
      if (!triple && c === "\n") throw new ParseFailure("newline in string");
      if (c !== "\\") {
        out += c;
        this.i++;
        continue;
      }
      const n = this.s[this.i + 1];
      if (n === undefined) throw new ParseFailure("unterminated string");
      if (raw) {
        out += c + n;
        this.i += 2;
        continue;
      }
      this.i += 2;
      const simple: Record<string, string> = {
        "\\": "\\",
        "'": "'",
        '"': '"',
        a: "\x07",
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
        v: "\v",
        "\n": "",
      };
      if (n in simple) out += simple[n];
      else if (/[0-7]/.test(n)) {
        const m = /^[0-7]{1,3}/.exec(this.s.slice(this.i - 1))![0];
        this.i += m.length - 1;
        out += String.fromCodePoint(parseInt(m, 8));
      } else if (n === "x" || (!bytes && (n === "u" || n === "U"))) {
        const len = n === "x" ? 2 : n === "u" ? 4 : 8;
        const h = this.s.slice(this.i, this.i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) throw new ParseFailure("bad escape");
        const cp = parseInt(h, 16);
        if (cp > 0x10ffff) throw new ParseFailure("bad escape");
        out += String.fromCodePoint(cp);
        this.i += len;
      } else if (n === "N" && !bytes) {
        throw new ParseFailure("\\N{...} is not supported");
      } else out += `\\${n}`;
    }
  }
}

function isUnhashable(v: Lit): boolean {
  return (
    (Array.isArray(v) && (v as Lit[] & { __tuple?: boolean }).__tuple !== true) ||
    (v !== null && typeof v === "object" && !Array.isArray(v))
  );
}

/** `value`, once every key is hashable (Python raises TypeError for a list or dict key). */
function hashable<T>(keys: readonly Lit[], value: T): T {
  for (const k of keys) if (isUnhashable(k)) fail("TypeError", `unhashable type: '${typeName(k)}'`);
  return value;
}

function typeName(v: Lit): string {
  if (Array.isArray(v)) return "list";
  if (v !== null && typeof v === "object" && "__dict" in v) return "dict";
  return "set";
}

/** `ast.literal_eval` outcome: a list (as JSON values), or undefined for any non-list or parse error. */
export function literalList(s: string): unknown[] | undefined {
  const src = s.replace(/^[ \t]+/, "");
  let v: Lit;
  try {
    v = new Parser(src).parseAll();
  } catch (e) {
    if (e instanceof ParseFailure) return undefined;
    throw e;
  }
  return Array.isArray(v) ? (v as unknown[]) : undefined;
}

/** Keystone's helper: the list, or `[s]`. */
export function astLiteralList(s: string): unknown[] {
  return literalList(s) ?? [s];
}
