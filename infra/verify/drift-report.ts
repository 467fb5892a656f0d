/**
 * The drift issue of one stack: what `pulumi preview --refresh` found to differ between the live
 * services and the stack, access first (grants, groups, roles, the mapping, the identity provider
 * and its protocol: what decides who gets in where), then everything else with the properties that
 * differ. Pure: the caller reads the preview and builds the model. One issue per stack, found again
 * by its marker and updated in place.
 */
import type { DeploymentModel } from "../model/deployment-model";
import { resourceChanges } from "./preview-comment";

/** The part of `pulumi preview --json` this reads. */
export interface DriftPreviewJson {
  readonly steps?: readonly {
    readonly op: string;
    readonly urn: string;
    readonly diffReasons?: readonly string[];
  }[];
}

export const driftMarker = (stack: string): string => `<!-- okf-drift:${stack} -->`;

/** Resource types whose drift changes who may log in where. */
const ACCESS_TYPES: Readonly<Record<string, string>> = {
  "openstack:identity/roleAssignment:RoleAssignment": "grant",
  "openstack:identity/groupV3:GroupV3": "Keystone group",
  "pulumi-nodejs:dynamic/keystone:Mapping": "mapping",
  "pulumi-nodejs:dynamic/keystone:IdentityProvider": "identity provider",
  "pulumi-nodejs:dynamic/keystone:FederationProtocol": "protocol",
  "keycloak:index/group:Group": "Keycloak group",
  "keycloak:index/role:Role": "access role",
  "keycloak:index/groupRoles:GroupRoles": "access role assignment",
  "keycloak:openid/userClientRoleProtocolMapper:UserClientRoleProtocolMapper":
    "access claim mapper",
};

const WHAT: Readonly<Record<string, string>> = {
  create: "is missing",
  update: "differs",
  replace: "differs where it can only be made again",
  "create-replacement": "differs where it can only be made again",
  delete: "is extra",
};

function typeAndName(urn: string): { type: string; name: string } {
  const [, , qualified = "", ...name] = urn.split("::");
  return { type: qualified.split("$").pop() ?? qualified, name: name.join("::") };
}

/** A grant's meaning, from its logical name (`<component>-<grant key>`). */
function grantMeaning(model: DeploymentModel, name: string): string | undefined {
  const g = model.keystone.grants.find((x) => name.endsWith(`-${x.key}`));
  if (!g) return undefined;
  const group = model.keystone.groups.find((x) => x.key === g.groupKey);
  const project =
    "projectKey" in g.target
      ? model.keystone.projects.find(
          (p) => p.key === (g.target as { projectKey: string }).projectKey,
        )
      : undefined;
  const domain = model.keystone.domains.find(
    (d) => d.key === (project?.domainKey ?? (g.target as { domainKey?: string }).domainKey),
  );
  const where = project
    ? `project ${domain?.name ?? "?"}/${project.name}`
    : `domain ${domain?.name ?? "?"}`;
  return `${g.role} on ${where} for ${group?.accessGroup ?? g.groupKey}`;
}

/** The steps that would change something: each is a resource that drifted. */
export function driftedSteps(preview: DriftPreviewJson): NonNullable<DriftPreviewJson["steps"]> {
  // A replacement is several steps of one resource: it counts once, as its first.
  const seen = new Set<string>();
  return (preview.steps ?? []).filter((s) => {
    if (WHAT[s.op] === undefined || seen.has(s.urn)) return false;
    seen.add(s.urn);
    return true;
  });
}

export function driftReport(
  stack: string,
  preview: DriftPreviewJson,
  model: DeploymentModel,
): string {
  const drifted = driftedSteps(preview);
  const lines = [driftMarker(stack), `## Drift in \`${stack}\``, ""];
  if (drifted.length === 0) {
    lines.push("No drift: Keycloak and Keystone hold what the stack declares.");
    return `${lines.join("\n")}\n`;
  }
  lines.push(
    `\`pulumi preview --refresh\` found ${drifted.length} resource${drifted.length === 1 ? "" : "s"} that differ from the stack. The next \`pulumi up\` restores the stack's state; if the change out of band was meant, put it in the stack file instead.`,
    "",
  );
  const access = drifted.filter((s) => ACCESS_TYPES[typeAndName(s.urn).type] !== undefined);
  if (access.length > 0) {
    lines.push("### Access (who may log in where)", "");
    for (const s of access) {
      const { type, name } = typeAndName(s.urn);
      const kind = ACCESS_TYPES[type]!;
      const meaning = kind === "grant" ? grantMeaning(model, name) : undefined;
      const props = s.diffReasons?.length ? ` (${s.diffReasons.join(", ")})` : "";
      lines.push(`- ${kind} ${meaning ? `${meaning} ` : `\`${name}\` `}${WHAT[s.op]}${props}`);
    }
    lines.push("");
  }
  const rest = drifted.filter((s) => ACCESS_TYPES[typeAndName(s.urn).type] === undefined);
  if (rest.length > 0) {
    const changes = resourceChanges({ steps: rest });
    const reasons = new Map(rest.map((s) => [typeAndName(s.urn).name, s.diffReasons ?? []]));
    lines.push("### Other resources", "");
    for (const [kind, list] of Object.entries(changes))
      for (const r of list) {
        const name = r.split(" ").pop() ?? r;
        const props = reasons.get(name)?.length ? ` (${reasons.get(name)!.join(", ")})` : "";
        lines.push(`- ${kind}: ${r}${props}`);
      }
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}
