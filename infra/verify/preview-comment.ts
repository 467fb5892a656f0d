/**
 * The pull-request comment for one stack's `pulumi preview --json`: the resource changes by kind,
 * the access diff (who gains or loses which role where) and the mapping's diff. Pure: the caller
 * reads the files. One comment per stack, found again by its marker and updated in place.
 */
import { createTwoFilesPatch } from "diff";
import type { StackConfig } from "../config/schema";
import type { DeploymentModel } from "../model/deployment-model";
import { providerSpecs } from "../model/providers";
import { renderMapping } from "../model/mapping/generate";
import { type AccessChange, groupAccessDiff, tableAccessDiff } from "./access-diff";
import type { AccessTable } from "./access-table";

/** The part of `pulumi preview --json` this reads. */
export interface PreviewJson {
  readonly steps?: readonly { readonly op: string; readonly urn: string }[];
}

type Kind = "create" | "update" | "replace" | "delete";
const KIND: Record<string, Kind> = {
  create: "create",
  update: "update",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  delete: "delete",
};

/** The marker that lets the workflow find this stack's comment and update it in place. */
export const commentMarker = (stack: string): string => `<!-- okf-preview:${stack} -->`;

/** `type` and `name` of a URN (`urn:pulumi:stack::project::parent$type::name`). */
function typeAndName(urn: string): { type: string; name: string } {
  const [, , qualified = "", ...name] = urn.split("::");
  return { type: qualified.split("$").pop() ?? qualified, name: name.join("::") };
}

export function resourceChanges(preview: PreviewJson): Record<Kind, string[]> {
  const out: Record<Kind, Set<string>> = {
    create: new Set(),
    update: new Set(),
    replace: new Set(),
    delete: new Set(),
  };
  for (const step of preview.steps ?? []) {
    const kind = KIND[step.op];
    if (!kind) continue;
    const { type, name } = typeAndName(step.urn);
    out[kind].add(`\`${type}\` ${name}`);
  }
  return {
    create: [...out.create].sort(),
    update: [...out.update].sort(),
    replace: [...out.replace].sort(),
    delete: [...out.delete].sort(),
  };
}

export interface PreviewCommentInput {
  readonly stack: string;
  readonly preview: PreviewJson;
  readonly base: DeploymentModel;
  readonly head: DeploymentModel;
  /** The head's access table, when the stack has one. */
  readonly table?: AccessTable;
  /** Where Pulumi sends credentials, in the base and the head (`endpointSettings`). */
  readonly endpoints?: {
    readonly base: Readonly<Record<string, string>>;
    readonly head: Readonly<Record<string, string>>;
  };
}

/**
 * The settings that decide where Pulumi sends the stack's credentials and whether it checks whom
 * it talks to: a change there is a change of trust, whatever the resources do.
 */
export function endpointSettings(cfg: StackConfig): Record<string, string> {
  const k = cfg.keystone;
  return {
    "keycloak.url": cfg.keycloak.url,
    "keycloak.insecure": String(cfg.keycloak.insecure),
    "keycloak.caBundle": cfg.keycloak.caBundle ?? "(system)",
    "keystone.url": k.url,
    "keystone.authUrl": providerSpecs(cfg).openstack.authUrl,
    "keystone.authHosts": k.authHosts.join(", ") || "(none)",
    "keystone.insecure": String(k.insecure),
    "keystone.caBundle": k.caBundle ?? "(system)",
    "keystone.cloud": k.cloud ?? "(none)",
  };
}

function endpointChanges(e: NonNullable<PreviewCommentInput["endpoints"]>): string[] {
  return Object.keys({ ...e.base, ...e.head })
    .filter((key) => e.base[key] !== e.head[key])
    .map(
      (key) => `- **${key}**: \`${e.base[key] ?? "(unset)"}\` → \`${e.head[key] ?? "(unset)"}\``,
    );
}

export function previewComment(i: PreviewCommentInput): string {
  const changes = resourceChanges(i.preview);
  const counts = (["create", "update", "replace", "delete"] as const)
    .map((k) => `${changes[k].length} to ${k}`)
    .join(", ");
  const out = [
    commentMarker(i.stack),
    `### \`pulumi preview\` of ${i.stack}`,
    "",
    `**Resources:** ${counts}.`,
  ];
  for (const kind of ["replace", "delete", "create", "update"] as const) {
    if (changes[kind].length === 0) continue;
    out.push("", `${kind}:`, ...changes[kind].map((r) => `- ${r}`));
  }
  const access: AccessChange[] = [
    ...groupAccessDiff(i.base, i.head),
    ...(i.table ? tableAccessDiff(i.base, i.head, i.table) : []),
  ];
  if (i.endpoints) {
    const changed = endpointChanges(i.endpoints);
    out.push("", "**Endpoints** (where Pulumi sends the stack's credentials):");
    out.push(...(changed.length ? changed : ["- no change"]));
  }
  out.push("", "**Access:**");
  out.push(...(access.length ? access.map((l) => `- ${l}`) : ["- no change"]));
  const before = renderMapping(i.base.federation.mapping);
  const after = renderMapping(i.head.federation.mapping);
  out.push("", `**Mapping** (\`mappings/${i.stack}.rules.json\`):`);
  if (before === after) {
    out.push("- no change");
  } else {
    const patch = createTwoFilesPatch("base", "head", before, after, "", "", { context: 2 })
      .split("\n")
      .slice(1) // the "====" line
      .join("\n")
      .trimEnd();
    out.push("", "```diff", patch, "```");
  }
  return `${out.join("\n")}\n`;
}
