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
  const role = {
    type: "object",
    required: ["name"],
    properties: { name: { type: "string" } },
    // Keystone 22's 1.0 schema let extra role keys through; the role check below handles that.
    ...(version !== "1.0" ? { additionalProperties: false } : {}),
  };
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

/** Keystone >= 29's check of what `projects_json` resolved to: a list of projects (schema 2.0's). */
export function validateProjectsJson(value: unknown): void {
  let validate = validators.get("projects_json" as SchemaVersion);
  if (!validate) {
    const schema = mappingSchema("2.0") as {
      properties: {
        rules: {
          items: { properties: { local: { items: { properties: { projects: object } } } } };
        };
      };
    };
    const projects = schema.properties.rules.items.properties.local.items.properties.projects;
    validate = new Ajv({ allErrors: true, strict: false }).compile(projects) as (
      d: unknown,
    ) => boolean;
    validators.set("projects_json" as SchemaVersion, validate);
  }
  if (!validate(value)) fail("ValidationError", "projects_json does not hold a list of projects");
}

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
  /**
   * Major version of the Keystone to behave like (default 22, Debian 12's). From 25 on, Keystone
   * reads the mapping's `schema_version` (2.0 from 25, 3.0 from 29; default 1.0) and refuses extra
   * keys on a role; before 25 it knows only 1.0 and ignores `schema_version`
   * (docs/keystone-mapping-engine.md §2).
   */
  readonly keystoneMajor?: number;
  /** Use this schema version whatever the mapping says (a Keystone >= 25 with another default). */
  readonly schemaVersion?: string;
  /** Keystone 22's role schema accepts extra role keys (fixed in 25.0). Default: by keystoneMajor. */
  readonly zedRoleQuirk?: boolean;
}

/** The schema version Keystone `keystoneMajor` applies to `mapping`, before checking it exists. */
export function effectiveSchemaVersion(mapping: unknown, opts: ValidateOptions = {}): string {
  if (opts.schemaVersion !== undefined) return opts.schemaVersion;
  if ((opts.keystoneMajor ?? 22) < 25) return "1.0";
  const declared = (mapping as { schema_version?: unknown } | null)?.schema_version;
  return typeof declared === "string" ? declared : "1.0";
}

/** Throws ValidationError (or KeyError for an unknown schema version) like Keystone. */
export function validateMapping(mapping: unknown, opts: ValidateOptions = {}): void {
  const requested = effectiveSchemaVersion(mapping, opts);
  const known = (opts.keystoneMajor ?? 29) >= 29 ? ["1.0", "2.0", "3.0"] : ["1.0", "2.0"];
  if (!known.includes(requested)) fail("KeyError", `'${requested}'`);
  const version = requested as SchemaVersion;
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
  const quirk = opts.zedRoleQuirk ?? (version === "1.0" && (opts.keystoneMajor ?? 22) < 25);
  for (const role of rolesOf(mapping)) {
    const keys = Object.keys(role as object);
    if (quirk ? keys.includes("additionalProperties") : keys.some((k) => k !== "name")) {
      fail("ValidationError", `Invalid mapping: role ${JSON.stringify(role)} has extra keys`);
    }
  }
}
