/** Generated stacks for benchmarks: `projects` projects over up to 10 tenants, one access group each. */
import { toEngineConfig } from "../../infra/stack-files/stack-file";

/** Pulumi config (`namespace:key` -> string) of a generated stack; `base` gives the other keys. */
export function generatedStackConfig(
  projects: number,
  base: Record<string, unknown>,
): Record<string, string> {
  const tenants = Array.from({ length: Math.min(10, projects) }, (_, i) => ({
    name: `tenant${i}`,
    projects: [] as { name: string }[],
  }));
  const access: unknown[] = [];
  for (let p = 0; p < projects; p++) {
    const t = tenants[p % tenants.length]!;
    t.projects.push({ name: `project${p}` });
    access.push({
      tenant: t.name,
      group: `team${p}`,
      grants: [{ role: "member", project: `project${p}` }],
    });
  }
  const cfg: Record<string, unknown> = { ...base, tenants, access };
  return toEngineConfig(cfg);
}
