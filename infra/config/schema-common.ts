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
