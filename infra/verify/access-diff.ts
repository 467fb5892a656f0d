/**
 * What a change does to access, for reviewers who do not read rules.json: which access groups and
 * which users of the access table gain or lose which role on which project or domain, from the
 * base and the head model. Pure.
 */
import type { DeploymentModel } from "../model/deployment-model";
import { grantTarget } from "./access";
import { accessFor } from "./access-evaluate";
import { type AccessTable, caseClaims } from "./access-table";

/** `<who> gains|loses <role> on <target>`, sorted. */
export type AccessChange = string;

/** `who|role|target` for every grant of every access group (`tenant/group`) of a model. */
function groupGrants(m: DeploymentModel): Set<string> {
  const out = new Set<string>();
  for (const g of m.keystone.grants) {
    const group = m.keystone.groups.find((x) => x.key === g.groupKey);
    if (group) out.add(`${group.accessGroup}|${g.role}|${label(grantTarget(m, g))}`);
  }
  return out;
}

/** A target as a reviewer reads it: `<domain>/<project>`, or "the domain <domain>". */
const label = (target: string) => (target.includes("/") ? target : `the domain ${target}`);

function lines(base: Set<string>, head: Set<string>): AccessChange[] {
  const say = (entry: string, verb: string) => {
    const [who, role, target] = entry.split("|");
    return `${who} ${verb} ${role} on ${target}`;
  };
  return [
    ...[...head].filter((x) => !base.has(x)).map((x) => say(x, "gains")),
    ...[...base].filter((x) => !head.has(x)).map((x) => say(x, "loses")),
  ].sort();
}

/** Access groups that gain or lose a role. */
export function groupAccessDiff(base: DeploymentModel, head: DeploymentModel): AccessChange[] {
  return lines(groupGrants(base), groupGrants(head));
}

/** `who|role|target` for what one access-table case gets from a model (nothing when denied). */
function caseGrants(m: DeploymentModel, table: AccessTable, name: string): Set<string> {
  const c = table.cases.find((x) => x.name === name)!;
  const outcome = accessFor(m, caseClaims(m, table, c));
  const out = new Set<string>();
  if (outcome.denied) return out;
  for (const [target, roles] of Object.entries(outcome.roles)) {
    for (const role of roles) out.add(`${name}|${role}|${label(target)}`);
  }
  return out;
}

/** Users of the (head) access table whose roles differ between the two models. */
export function tableAccessDiff(
  base: DeploymentModel,
  head: DeploymentModel,
  table: AccessTable,
): AccessChange[] {
  return table.cases.flatMap((c) =>
    lines(caseGrants(base, table, c.name), caseGrants(head, table, c.name)),
  );
}
