/**
 * Validation of a mapping before evaluation, with JSON Schema draft 4 like Keystone
 * (docs/keystone-mapping-engine.md §2). Schema 1.0 is Keystone 22's; 2.0 and 3.0 (Keystone >= 25 / >= 29)
 * are options that cannot be verified against Keystone 22. Messages differ from Python's
 * jsonschema; only the class (ValidationError) is meant to match.
 */
import Ajv from "ajv-draft-04";
import { fail } from "./errors";

export type SchemaVersion = "1.0" | "2.0" | "3.0";

function mappingSchema(version: SchemaVersion): object {
  const domain = {
    type: "object",
    properties: { id: { type: "string" }, name: { type: "string" } },
    additionalProperties: false,
  };
  const role = { type: "object", required: ["name"], properties: { name: { type: "string" } } };
  const project = {
    type: "object",
    required: ["name", "roles"],
    properties: {
      name: { type: "string" },
      roles: { type: "array", items: role },
      ...(version !== "1.0" ? { domain } : {}),
    },
    additionalProperties: false,
  };
  const condition = (key: string) => ({
    type: "object",
    required: ["type", key],
    properties: { type: { type: "string" }, [key]: { type: "array" }, regex: { type: "boolean" } },
    additionalProperties: false,
  });
  return {
    type: "object",
    required: ["rules"],
    properties: {
      rules: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          required: ["local", "remote"],
          additionalProperties: false,
          properties: {
            local: {
              type: "array",
              items: {
                type: "object",
                additionalProperties: false,
                properties: {
                  user: {
                    type: "object",
                    properties: {
                      id: { type: "string" },
                      name: { type: "string" },
                      email: { type: "string" },
                      domain,
                      type: { type: "string", enum: ["ephemeral", "local"] },
                    },
                    additionalProperties: false,
                  },
                  group: {
                    type: "object",
                    oneOf: [
                      {
                        properties: { id: { type: "string" } },
                        required: ["id"],
                        additionalProperties: false,
                      },
                      {
                        properties: { name: { type: "string" }, domain },
                        required: ["name", "domain"],
                        additionalProperties: false,
                      },
                    ],
                  },
                  groups: { type: "string" },
                  group_ids: { type: "string" },
                  domain,
                  projects: { type: "array", items: project },
                  ...(version === "3.0" ? { projects_json: { type: "string" } } : {}),
                },
              },
            },
            remote: {
              type: "array",
              minItems: 1,
              items: {
                type: "object",
                oneOf: [
                  {
                    required: ["type"],
                    properties: { type: { type: "string" } },
                    additionalProperties: false,
                  },
                  condition("any_one_of"),
                  condition("not_any_of"),
                  condition("blacklist"),
                  condition("whitelist"),
                ],
              },
            },
          },
        },
      },
    },
  };
}

const validators = new Map<SchemaVersion, (data: unknown) => boolean>();

function rolesOf(mapping: unknown): unknown[] {
  const rules = (mapping as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((r) =>
    ((r as { local?: unknown[] }).local ?? []).flatMap((l) =>
      ((l as { projects?: unknown[] }).projects ?? []).flatMap(
        (p) => (p as { roles?: unknown[] }).roles ?? [],
      ),
    ),
  );
}

export interface ValidateOptions {
  /** Validate against this schema version (Keystone >= 25 dispatch); default: Keystone 22 (1.0, extra root keys allowed). */
  readonly schemaVersion?: string;
  /** Keystone 22's role schema accepts extra role keys (fixed in 25.0). Default true for 1.0. */
  readonly zedRoleQuirk?: boolean;
}

/** Throws ValidationError (or KeyError for an unknown schema version) like Keystone. */
export function validateMapping(mapping: unknown, opts: ValidateOptions = {}): void {
  const requested = opts.schemaVersion;
  if (requested !== undefined && !["1.0", "2.0", "3.0"].includes(requested))
    fail("KeyError", `'${requested}'`);
  const version = (requested ?? "1.0") as SchemaVersion;
  let validate = validators.get(version);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validate = ajv.compile(mappingSchema(version)) as (data: unknown) => boolean;
    validators.set(version, validate);
  }
  const v = validate as ((data: unknown) => boolean) & {
    errors?: { instancePath: string; message?: string }[] | null;
  };
  if (!v(mapping)) {
    const msg = (v.errors ?? [])
      .map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`)
      .sort()
      .join("\n");
    fail("ValidationError", `Invalid mapping: ${msg}`);
  }
  const quirk = opts.zedRoleQuirk ?? version === "1.0";
  for (const role of rolesOf(mapping)) {
    const keys = Object.keys(role as object);
    if (quirk ? keys.includes("additionalProperties") : keys.some((k) => k !== "name")) {
      fail("ValidationError", `Invalid mapping: role ${JSON.stringify(role)} has extra keys`);
    }
  }
}
