/** The shape of one stack's configuration (the `openstack-keycloak-federation:*` keys of `stacks/Pulumi.<stack>.yaml`). Pure zod: no Pulumi import. Cross-field rules (references between tenants, projects and access rules, environment policies) live in `rules.ts`. Every object is strict: an unknown key is an error, so a typo never silently falls back to a default. Secrets never appear here; they are separate `--secret` keys (see `secrets.ts`). */
import { z } from "zod";
import { EnvironmentSchema } from "./schema-common";
import { KeycloakSchema, CustomerRealmSchema, RealmSchema, ClientSchema } from "./schema-keycloak";
import { KeystoneSchema, HorizonSchema, FederationSchema } from "./schema-keystone";
import {
  TenantSchema,
  GrantSchema,
  AccessRuleSchema,
  RolesSchema,
  ProtectionSchema,
} from "./schema-tenancy";
import { DeliveryTargetSchema, DeliverySchema, SmokeCheckSchema } from "./schema-hosts";

export * from "./schema-common";
export * from "./schema-keycloak";
export * from "./schema-keystone";
export * from "./schema-tenancy";
export * from "./schema-hosts";

export const StackConfigSchema = z.strictObject({
  environment: EnvironmentSchema.describe("Kind of stack; drives URL and protection policies."),
  keycloak: KeycloakSchema.describe("Keycloak connection."),
  realm: RealmSchema.describe("The proxy realm."),
  client: ClientSchema.prefault({}).describe("The OIDC client Keystone uses."),
  keystone: KeystoneSchema.describe("Keystone connection and public URL."),
  horizon: HorizonSchema.prefault({}).describe("Horizon dashboards."),
  federation: FederationSchema.prefault({}).describe("Federation settings."),
  tenants: z
    .array(TenantSchema)
    .min(1, { message: "at least one tenant is required" })
    .describe("Tenants: Keystone domains with their projects."),
  access: z
    .array(AccessRuleSchema)
    .min(1, {
      message:
        "at least one access rule is required: without one the generated mapping has no rules, and Keystone refuses an empty mapping",
    })
    .prefault([])
    .describe("Access rules: Keycloak group -> Keystone group -> roles."),
  roles: RolesSchema.prefault({}).describe("Roles used by grants."),
  protection: ProtectionSchema.prefault({}).describe("Protection of the stack's resources."),
  delivery: DeliverySchema.prefault({}).describe(
    "Delivery of the rendered host configuration to hosts (opt-in).",
  ),
  smokeCheck: SmokeCheckSchema.prefault({}).describe(
    "An end-to-end login after each update (opt-in, test stacks).",
  ),
});

export type StackConfig = z.infer<typeof StackConfigSchema>;
export type Tenant = z.infer<typeof TenantSchema>;
export type AccessRule = z.infer<typeof AccessRuleSchema>;
export type Grant = z.infer<typeof GrantSchema>;
export type CustomerRealm = z.infer<typeof CustomerRealmSchema>;
export type DeliveryTarget = z.infer<typeof DeliveryTargetSchema>;
