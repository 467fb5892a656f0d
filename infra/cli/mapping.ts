/**
 * npm run mapping -- evaluate --rules <rules.json> (--input <assertion.txt> | --claims <token.json>) [--prefix P]
 * npm run mapping -- explain --stack <stack> --claims <token.json>
 * npm run mapping -- lint <rules.json>
 * Thin: parsing arguments and files; the work is in infra/model.
 */
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { parseStackFileAt } from "../stack-files/stack-file";
import { remoteIdAttributes } from "../base/naming";
import { explainAccess } from "../verify/access-evaluate";
import { buildModel } from "../model/deployment-model";
import { formatFinding, lintMapping } from "../verify/mapping-lint";
import type { LocalObject } from "../model/mapping/types";
import {
  evaluateMapping,
  keystoneJson,
  MappingEngineError,
  parseAssertionText,
} from "../verify/mapping-engine";
import { claimsToEnviron } from "../verify/oidc-claims";

import { type CliResult, finish, requireStackFile, runCli } from "./run";

export type { CliResult };

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8")) as unknown;
}

interface EvaluateOptions {
  rules: string;
  input?: string;
  claims?: string;
  prefix?: string;
  claimPrefix: string;
  keystone: string;
}

function evaluate(o: EvaluateOptions): CliResult {
  const keystoneMajor = Number(o.keystone);
  if (!Number.isInteger(keystoneMajor) || keystoneMajor < 22)
    return {
      code: 2,
      stdout: "",
      stderr: `evaluate: --keystone "${o.keystone}" must be Keystone's major version, 22 or later\n`,
    };
  if ((o.input === undefined) === (o.claims === undefined))
    return {
      code: 2,
      stdout: "",
      stderr: "evaluate: give exactly one of --input <assertion.txt> or --claims <token.json>\n",
    };
  let rules: unknown;
  try {
    rules = readJson(o.rules);
  } catch (e) {
    return {
      code: 1,
      stdout: "",
      stderr: `SystemExit: Error while parsing rules ${o.rules}: ${e instanceof Error ? e.message : String(e)}\n`,
    };
  }
  try {
    let assertion: Record<string, string>;
    if (o.input !== undefined) {
      assertion = parseAssertionText(readFileSync(o.input, "utf8"), o.prefix);
    } else {
      assertion = claimsToEnviron(readJson(o.claims!) as Record<string, unknown>, {
        claimPrefix: o.claimPrefix,
        claimDelimiter: ";",
      });
      if (o.prefix)
        assertion = Object.fromEntries(
          Object.entries(assertion).filter(([k]) => k.startsWith(o.prefix!)),
        );
    }
    return {
      code: 0,
      stdout: `${keystoneJson(evaluateMapping(rules, assertion, { keystoneMajor }))}\n`,
      stderr: "",
    };
  } catch (e) {
    if (e instanceof MappingEngineError)
      return { code: 1, stdout: "", stderr: `${e.keystoneClass}: ${e.message}\n` };
    throw e;
  }
}

/** What a rule grants, for humans: one named group (perGroup), or a tenant's whitelisted groups (perTenant). */
function ruleLabel(local: readonly LocalObject[]): string {
  const group = local.find((l) => l.group !== undefined)?.group as
    { name?: string; domain?: { name?: string } } | undefined;
  if (group?.name) return `grants ${group.domain?.name}/${group.name}`;
  const groups = local.find((l) => typeof l.groups === "string") as
    { domain?: { name?: string } } | undefined;
  if (groups) return `grants the whitelisted groups of ${groups.domain?.name ?? "?"}`;
  return "user only";
}

function explain(o: { stack: string; claims: string; stacksDir?: string }): CliResult {
  const file = requireStackFile("mapping explain", o.stack, o.stacksDir);
  const model = buildModel(parseStackFileAt(file, o.stack).config, o.stack);
  const claims = readJson(o.claims) as Record<string, unknown>;
  const { outcome, trace } = explainAccess(model, claims);
  const rules = model.federation.mapping.rules;
  const lines = [
    `stack ${o.stack}: mapping ${model.federation.mappingId} (${rules.length} rules), issuer ${model.keycloak.issuer}`,
  ];
  for (const t of trace) {
    const label = ruleLabel(rules[t.rule]?.local ?? []);
    lines.push(
      t.matched
        ? `  rule ${t.rule} (${label}): matched`
        : `  rule ${t.rule} (${label}): no match: remote[${t.requirement}] ${t.type}: ${t.reason}`,
    );
  }
  if (outcome.denied) {
    lines.push(`result: denied (${outcome.reason})`);
  } else {
    lines.push(`result: user ${outcome.user.name ?? "?"} (id ${outcome.user.id ?? "?"})`);
    lines.push(`  groups: ${outcome.groups.join(", ") || "none"}`);
    for (const [target, roles] of Object.entries(outcome.roles))
      lines.push(
        `  ${target.includes("/") ? "project" : "domain "} ${target}: ${roles.join(", ")}`,
      );
    if (Object.keys(outcome.roles).length === 0) lines.push("  no roles");
  }
  return { code: 0, stdout: `${lines.join("\n")}\n`, stderr: "" };
}

function lint(file: string, o: { claimPrefix: string }): CliResult {
  const findings = lintMapping(readJson(file), {
    issuerAttributes: remoteIdAttributes(o.claimPrefix),
    azpAttribute: `${o.claimPrefix}azp`,
  });
  const text = findings.map(formatFinding).join("\n");
  const errors = findings.filter((f) => f.severity === "error").length;
  return {
    code: errors > 0 ? 1 : 0,
    stdout: findings.length ? `${text}\n` : `${file}: no findings\n`,
    stderr: "",
  };
}

/** Runs the CLI on argv (without node and script); never exits the process. */
export function main(argv: readonly string[]): CliResult {
  const program = new Command("mapping");
  return runCli(program, argv, (set) => {
    program
      .command("evaluate")
      .description("evaluate a mapping like keystone-manage mapping_engine")
      .requiredOption("--rules <file>", "mapping rules (JSON)")
      .option("--input <file>", "assertion file: KEY: value lines, ';' separates values")
      .option("--claims <file>", "decoded access token (JSON), converted as mod_auth_openidc does")
      .option("--prefix <prefix>", "keep only assertion keys starting with this prefix")
      .option("--claim-prefix <prefix>", "OIDCClaimPrefix used with --claims", "OIDC-")
      .option(
        "--keystone <major>",
        "behave like this Keystone release: 22 (Zed) or later, e.g. 30 (schema_version, role keys)",
        "22",
      )
      .action((o: EvaluateOptions) => set(evaluate(o)));
    program
      .command("explain")
      .description(
        "which rules match a token on a stack, why the others do not, and the resulting access",
      )
      .requiredOption("--stack <stack>", "committed stack name")
      .requiredOption("--claims <file>", "decoded access token (JSON)")
      .option("--stacks-dir <dir>", "folder of the stack files (default stacks/)")
      .action((o: { stack: string; claims: string; stacksDir?: string }) => set(explain(o)));
    program
      .command("lint")
      .description("check a mapping for the engine's pitfalls and missing safeguards")
      .argument("<file>", "mapping rules (JSON)")
      .option("--claim-prefix <prefix>", "OIDCClaimPrefix the mapping is written for", "OIDC-")
      .action((file: string, o: { claimPrefix: string }) => set(lint(file, o)));
  });
}

if (require.main === module) finish(main(process.argv.slice(2)));
