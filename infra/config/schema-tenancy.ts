/** Configuration schema: tenants with their projects, access rules, roles and protection. */
import { z } from "zod";
import { identifier } from "./schema-common";

export const ProjectSchema = z.strictObject({
  name: identifier("project name").describe("Project name inside the tenant's domain."),
  description: z.string().optional().describe("Description."),
});

export const TenantSchema = z.strictObject({
  name: identifier("tenant name").describe(
    "Tenant name; also the Keystone domain name and the Keycloak parent group.",
  ),
  description: z.string().optional().describe("Description of the domain."),
  customerRealm: z
    .string()
    .optional()
    .describe(
      "Customer realm whose users belong to this tenant. Their rules then also require that broker.",
    ),
  projects: z.array(ProjectSchema).default([]).describe("Projects of the tenant. Default none."),
});

export const GrantSchema = z.strictObject({
  role: z
    .string()
    .min(1)
    .describe("Role name (must be listed in `roles.existing` or `roles.create`)."),
  project: z
    .string()
    .optional()
    .describe("Project of the tenant to grant the role on. Exclusive with `domain`."),
  domain: z
    .literal(true)
    .optional()
    .describe("Grant the role on the tenant's domain instead of a project."),
});

export const AccessRuleSchema = z.strictObject({
  tenant: z.string().min(1).describe("Tenant the access belongs to."),
  group: z
    .string()
    .min(1)
    .describe(
      "Keycloak group name under the tenant's group (`/<tenant>/<group>`); also names the Keystone group.",
    ),
  description: z.string().optional().describe("Description of the Keystone group."),
  grants: z
    .array(GrantSchema)
    .min(1, { message: "an access rule needs at least one grant" })
    .describe("Role grants of the group. At least one."),
});

export const RolesSchema = z.strictObject({
  existing: z
    .array(z.string().min(1))
    .default(["admin", "member", "reader"])
    .describe(
      "Roles that already exist in Keystone and are looked up. Default admin, member, reader (Keystone bootstrap).",
    ),
  create: z
    .array(identifier("role name"))
    .default([])
    .describe("Roles this stack creates. Default none."),
  cloudWide: z
    .array(z.string().min(1))
    .default([])
    .describe(
      "More roles Keystone treats as cloud-wide whatever they are assigned on. `admin`, `service` and `ResellerAdmin` always are (with Keystone's default policy `admin` on any project or domain administers the whole cloud, and `service` may validate any user's token); this list only adds to them. Access rules may not grant them (see allowCloudWideGrants). Default none.",
    ),
  allowCloudWideGrants: z
    .boolean()
    .default(false)
    .describe(
      "Let access rules grant a cloud-wide role (roles.cloudWide) to a tenant group, whose members then administer the whole cloud. Default false.",
    ),
});

export const ProtectionSchema = z.strictObject({
  protect: z
    .boolean()
    .default(false)
    .describe(
      "Mark Keystone and Keycloak resources `protect: true`. Required on production. Default false.",
    ),
  retainIdpOnDelete: z
    .boolean()
    .optional()
    .describe(
      "Keep the Keystone IdP (and its shadow users) when the stack is destroyed (`retainOnDelete`). Deleting an IdP deletes its protocols and all its federated users. Default true on staging/production.",
    ),
});
