/** Configuration schema: delivery of the rendered host files and the opt-in smoke check. */
import { z } from "zod";
import { identifier, tenantQualified } from "./schema-common";

/** What every target has, whichever its kind. */
const targetCommon = {
  name: identifier("delivery target name").describe("Name of the target (used in resource names)."),
  artifacts: z
    .array(z.enum(["apache", "keystone", "horizon", "kolla", "clients"]))
    .min(1)
    .describe(
      "Which rendered folders go to this target (apache, keystone, horizon, kolla, clients).",
    ),
  directory: z
    .string()
    .min(1)
    .describe(
      "Directory on the target the files are written under (keeping their relative paths).",
    ),
  reloadCommand: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Command run after any file changed, e.g. `systemctl reload apache2` or `kolla-ansible reconfigure -t keystone`.",
    ),
};

/** One variant per kind: an SSH target names and pins its host; a local one has no host keys. */
export const DeliveryTargetSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z
      .literal("ssh")
      .describe("`ssh` copies to a host over SSH (key: the `deliverySshKey` secret)"),
    ...targetCommon,
    host: z.string().min(1).describe("SSH host (kind ssh)."),
    user: z.string().min(1).default("root").describe("SSH user (kind ssh). Default `root`."),
    port: z.number().int().positive().default(22).describe("SSH port (kind ssh). Default 22."),
    hostKey: z
      .string()
      .min(1)
      .describe(
        "The target's SSH host key (kind ssh), as a known_hosts line without the host name (`ssh-ed25519 AAAA…`; `ssh-keyscan -t ed25519 <host>` prints it, to be checked out of band). Delivery sends the client secret and the crypto passphrase, and refuses any other key.",
      ),
  }),
  z.strictObject({
    kind: z
      .literal("local")
      .describe(
        "`local` writes on the machine running Pulumi (e.g. a kolla-ansible config directory)",
      ),
    ...targetCommon,
  }),
]);

export const DeliverySchema = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe(
      "Deliver the rendered host configuration with @pulumi/command. Default false (render only).",
    ),
  targets: z.array(DeliveryTargetSchema).default([]).describe("Where the files go. Default none."),
});

export const SmokeCheckSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe(
      "After everything else, log in for real (Keycloak password grant -> Keystone -> project scope) and fail the update if federation does not work. Needs client.directAccessGrants (local/test stacks). Default false.",
    ),
  username: z
    .string()
    .min(1)
    .optional()
    .describe("Keycloak test user; its password is the `smokeCheckPassword` secret."),
  project: tenantQualified("project")
    .optional()
    .describe("Project to scope to, as `<tenant>/<project>`."),
  createUser: z
    .boolean()
    .default(false)
    .describe(
      "Create the test user in Keycloak (local/test stacks only), with `smokeCheckPassword`, in `group`. Default false.",
    ),
  group: tenantQualified("group")
    .optional()
    .describe("Access group (`<tenant>/<group>`) the created test user joins."),
});
