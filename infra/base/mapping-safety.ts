/**
 * Values that travel through Keystone's mapping engine unharmed. See docs/keystone-mapping-engine.md:
 * mod_auth_openidc joins array claims with `;` and Keystone splits on it (§1); every string of a
 * matched rule's locals goes through Python `str.format`, so braces are syntax (§4.4); a `groups`
 * value that contains `name` switches the engine to JSON mode and fails the login (§6.2); values
 * that look like Python literals (`[...]`, quotes) are re-parsed by `literal_eval` (§6.1).
 */

export interface ValueProblem {
  readonly message: string;
  readonly hint: string;
}

/** Checks a Keycloak group name that becomes a claim value and part of a Keystone group name. */
export function checkGroupValue(group: string): ValueProblem | undefined {
  if (group.includes(";")) {
    return {
      message: `group "${group}" contains ';'`,
      hint: "mod_auth_openidc joins groups with ';' and Keystone splits on it, so this group would arrive as two values; rename it",
    };
  }
  if (group.includes("{") || group.includes("}")) {
    return {
      message: `group "${group}" contains a brace`,
      hint: "Keystone formats every mapped string with Python str.format, where braces are placeholders; rename it",
    };
  }
  if (group.includes("/")) {
    return {
      message: `group "${group}" contains '/'`,
      hint: "'/' separates Keycloak group paths; give the bare group name, the path /<tenant>/<group> is derived",
    };
  }
  if (group.includes("name")) {
    return {
      message: `group "${group}" contains "name"`,
      hint: "Keystone's engine treats a groups value containing \"name\" as JSON and refuses the login; rename it (e.g. 'nm' or 'label')",
    };
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(group)) {
    return {
      message: `group "${group}" has characters other than letters, digits, '.', '_' and '-'`,
      hint: "quotes, brackets and spaces are re-parsed by Keystone's literal_eval; use a plain name",
    };
  }
  if (group.length > 64) {
    return {
      message: `group "${group}" is longer than 64 characters`,
      hint: "Keystone group names are limited to 64 characters",
    };
  }
  return undefined;
}

/** Escapes literal braces for a string that Keystone passes through Python `str.format`. */
export function escapeFormat(value: string): string {
  return value.replace(/\{/g, "{{").replace(/\}/g, "}}");
}
