/**
 * npm run adopt -- --stack <stack> [--cwd <project>] [--side keystone|keycloak|both] [--yes]
 *
 * Brings a federation that other tools built (kolla-ansible, the openstack CLI) under a stack
 * without deleting or replacing anything: the Keystone domains, projects and groups the stack
 * declares and Keystone already has are imported into the stack's state with their ids; the
 * identity provider, mapping and protocol are compared with the declaration (`up` takes them over
 * in place with `federation.adopt`). Without `--yes` it only reads and reports. With it, it imports,
 * then shows `pulumi preview --diff`: each difference `up` will converge, before anything changes.
 * Runs the CLI through scripts/pulumi.sh with the caller's backend and passphrase.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { parseStackConfig } from "../config/parse";
import { buildModel, type DeploymentModel } from "../model/deployment-model";
import { connectionFromStackConfig } from "../providers/keystone/connection";
import { setConnection } from "../providers/keystone/runtime";
import { REPO_ROOT } from "../generator/files";
import { fromEngineConfig } from "../stack-files/stack-file";
import { federationLive, findLive } from "./adopt/keystone-live";
import {
  findKeycloak,
  KeycloakAdminApi,
  keycloakCaBundle,
  keycloakLogin,
} from "./adopt/keycloak-live";
import {
  adoptionPlan,
  componentName,
  type ImportFile,
  KEYCLOAK_SIDE_TYPE,
  skeletonTypes,
  TENANCY_TYPE,
  wantedObjects,
} from "./adopt/plan";
import { PROJECT_NAMESPACE } from "../stack-files/stack-file";

class AdoptError extends Error {}

function pulumi(cwd: string, args: readonly string[]): string {
  const r = spawnSync("bash", [join(REPO_ROOT, "scripts", "pulumi.sh"), "--cwd", cwd, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.status !== 0)
    throw new AdoptError(
      `pulumi ${args.slice(0, 2).join(" ")} failed:\n${(r.stdout ?? "").slice(-4000)}${(r.stderr ?? "").slice(-4000)}`,
    );
  return r.stdout;
}

/** The stack's configuration as the engine hands it to the program (secrets decrypted). */
function stackConfig(
  cwd: string,
  stack: string,
): { config: Record<string, string>; secretKeys: string[] } {
  const json = JSON.parse(
    pulumi(cwd, ["config", "--json", "--show-secrets", "--stack", stack]),
  ) as Record<string, { value?: string; secret?: boolean }>;
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(json)) {
    if (v.value !== undefined) config[k] = v.value;
    if (v.secret) secretKeys.push(k);
  }
  return { config, secretKeys };
}

function modelOf(
  stack: string,
  engine: { config: Record<string, string>; secretKeys: string[] },
): DeploymentModel {
  const { raw, secretKeys } = fromEngineConfig(engine);
  return buildModel(parseStackConfig(raw, { stack, secretKeys }).config, stack);
}

type Side = "keystone" | "keycloak" | "both";

async function adopt(opts: {
  stack: string;
  cwd: string;
  yes: boolean;
  side: Side;
}): Promise<number> {
  if (!["keystone", "keycloak", "both"].includes(opts.side))
    throw new AdoptError(`--side: "${opts.side}" is not one of keystone, keycloak, both`);
  const keystoneSide = opts.side !== "keycloak";
  const keycloakSide = opts.side !== "keystone";
  const { stack, cwd } = opts;
  const engine = stackConfig(cwd, stack);
  const model = modelOf(stack, engine);
  const conn = connectionFromStackConfig((k) => engine.config[k]);
  if (!conn)
    throw new AdoptError(
      "keystone.credentials: the stack has no Keystone credentials to read with (set keystone.credentials and its --secret key, or keystone.cloud)",
    );
  setConnection(conn);

  const work = mkdtempSync(join(tmpdir(), "okf-adopt-"));
  try {
    const skeletonFile = join(work, "skeleton.json");
    pulumi(cwd, ["preview", "--stack", stack, "--non-interactive", "--import-file", skeletonFile]);
    const skeleton = JSON.parse(readFileSync(skeletonFile, "utf8")) as ImportFile;
    const tenancy = componentName(skeleton, TENANCY_TYPE);
    const wanted = tenancy === undefined || !keystoneSide ? [] : wantedObjects(model, tenancy);
    const found = await findLive(conn, wanted);
    const usersDomain = wanted.find(
      (w) => w.kind === "domain" && w.key === model.federation.idpDomainKey,
    );
    const fed = keystoneSide
      ? await federationLive(
          conn,
          model,
          usersDomain ? found.get(usersDomain.logicalName) : undefined,
        )
      : { existing: [], differences: [], refusals: [], leftBehind: [] };
    const kcPrefix = componentName(skeleton, KEYCLOAK_SIDE_TYPE);
    const ns = PROJECT_NAMESPACE;
    const login = keycloakLogin(
      model,
      keycloakCaBundle(engine.config[`${ns}:keycloak`]),
      (k) => engine.config[`${ns}:${k}`],
    );
    if (keycloakSide && login === undefined)
      throw new AdoptError(
        "keycloak.admin: the stack has no Keycloak admin secret to read with (keycloakAdminSecret or keycloakAdminPassword); or adopt with --side keystone",
      );
    const kc =
      keycloakSide && kcPrefix !== undefined && login !== undefined
        ? await findKeycloak(new KeycloakAdminApi(login), model, kcPrefix, skeletonTypes(skeleton))
        : { ids: new Map<string, string>(), what: new Map(), refusals: [], unmanaged: [] };
    const plan = adoptionPlan(
      skeleton,
      [...wanted, ...kc.what.values()],
      new Map([...found, ...kc.ids]),
    );

    const out: string[] = [`Adoption of stack ${stack} (Keystone ${model.keystone.url})`];
    out.push(
      "",
      "Imported into the state with their ids (nothing in Keycloak or Keystone changes):",
    );
    for (const a of plan.adopted)
      out.push(`  ${a.kind} ${a.domain ? `${a.domain}/` : ""}${a.name}  ${a.id}`);
    if (plan.adopted.length === 0) out.push("  (none)");
    out.push("", "Declared but not in Keystone (the next `up` creates them):");
    for (const m of plan.missing)
      out.push(`  ${m.kind} ${m.domain ? `${m.domain}/` : ""}${m.name}`);
    if (plan.missing.length === 0) out.push("  (none)");
    out.push(
      "",
      "Identity provider, mapping and protocol (taken over in place by `up` with federation.adopt):",
    );
    for (const e of fed.existing) out.push(`  exists: ${e}`);
    for (const d of fed.differences)
      out.push(`  differs: ${d.object} ${d.field}: ${d.live} -> ${d.declared}`);
    for (const l of fed.leftBehind) out.push(`  left in Keystone: ${l}`);
    for (const u of kc.unmanaged) out.push(`  left in Keycloak, not managed: ${u}`);
    if (fed.existing.length === 0) out.push("  (none exist: the next `up` creates them)");
    console.log(out.join("\n"));

    const refusals = [...kc.refusals, ...fed.refusals];
    if (fed.existing.length > 0 && !model.federation.adopt)
      refusals.push(
        `federation.adopt: Keystone already has ${fed.existing.join(", ")}; set federation.adopt: true so that \`up\` takes them over in place (without it, \`up\` refuses them)`,
      );
    if (refusals.length > 0) {
      console.error(`\nNot adopted, nothing changed:\n${refusals.map((r) => `  ${r}`).join("\n")}`);
      return 1;
    }
    if (!opts.yes) {
      console.log("\nNothing changed (a dry run): run again with --yes to import.");
      return 0;
    }
    if (plan.file.resources.length > 0) {
      const importFile = join(work, "import.json");
      writeFileSync(importFile, JSON.stringify(plan.file, null, 2));
      pulumi(cwd, [
        "import",
        "--stack",
        stack,
        "--file",
        importFile,
        "--yes",
        "--non-interactive",
        "--protect=false",
        "--generate-code=false",
        "--skip-preview",
      ]);
      // A domain's release only records its id (its create reads the domain and changes nothing);
      // with it in the state, the preview below compares the adopted projects and groups with
      // their real domain instead of one still unknown.
      const releases = plan.adopted
        .filter((a) => a.kind === "domain")
        .flatMap((a) => ["--target", `**::${a.logicalName}-release`]);
      if (releases.length > 0)
        pulumi(cwd, [
          "up",
          "--stack",
          stack,
          "--yes",
          "--non-interactive",
          "--skip-preview",
          ...releases,
        ]);
      console.log(`\nImported ${plan.adopted.length} objects into stack ${stack}.`);
    }
    console.log(
      "\nWhat the next `pulumi up` changes (review it; nothing is deleted or replaced):\n",
    );
    console.log(pulumi(cwd, ["preview", "--stack", stack, "--non-interactive", "--diff"]));
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const program = new Command("adopt")
  .description("bring Keycloak and Keystone objects other tools made under a stack, deleting none")
  .requiredOption("--stack <stack>", "the stack to adopt into")
  .option("--cwd <dir>", "the Pulumi project folder", process.cwd())
  .option("--side <side>", "keystone, keycloak or both (default both)", "both")
  .option("--yes", "import (without it: read and report only)", false);

program
  .parseAsync(process.argv)
  .then(async () => {
    const o = program.opts<{ stack: string; cwd: string; yes: boolean; side: Side }>();
    process.exitCode = await adopt(o);
  })
  .catch((e: unknown) => {
    // Every failure is the operator's to read: its message, no stack trace. Nothing was imported
    // unless the import step itself ran, and it is all or nothing.
    console.error(`adopt: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  });
