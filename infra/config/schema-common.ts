/** Building blocks of the configuration schema: the environment kinds, identifiers, durations. */
import { z } from "zod";

/** Stack kinds. `local` allows http URLs; `test` may enable the password/implicit grants; `production` must be protected. */
export const EnvironmentSchema = z.enum(["local", "test", "staging", "production"]);
export type Environment = z.infer<typeof EnvironmentSchema>;

/** A Keystone/Keycloak identifier we create: letters, digits, `-`, `_`, `.`; starts with a letter or digit. */
export const identifier = (what: string) =>
  z
    .string()
    .min(1, { message: `${what} must not be empty` })
    .max(64, { message: `${what} is longer than 64 characters (Keystone's limit for names)` })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
      message: `${what} may contain only letters, digits, '.', '_' and '-' and must start with a letter or digit`,
    });

/** A duration in whole seconds, as Keycloak stores token lifetimes. */
export const seconds = z
  .number()
  .int({ message: "must be a whole number of seconds" })
  .positive({ message: "must be a positive number of seconds" });

/**
 * `<tenant>/<name>` (a project or an access group of a tenant), checked and split once here: the
 * rules and the model read `tenant` and `name`, and `text` for messages.
 */
export const tenantQualified = (what: string) =>
  z
    .string()
    .regex(/^[^/]+\/[^/]+$/, { message: `must read <tenant>/<${what}>` })
    .transform((text) => {
      const [tenant = "", name = ""] = text.split("/");
      return { tenant, name, text };
    });
