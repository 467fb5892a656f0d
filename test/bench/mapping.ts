/**
 * Benchmark (not a test): time per evaluation of generated mappings with 1, 100, 1,000 and 5,000
 * rules, by our engine, by Keystone's RuleProcessor in-process (timed inside Python) and by
 * `keystone-manage mapping_engine` (one process per call, as operators use it). Reports figures.
 *   npx tsx test/bench/mapping.ts
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { evaluateMapping } from "../../infra/verify/mapping-engine";
import { generateMapping } from "../../infra/model/mapping/generate";

const ISSUER = "https://id.example.com/realms/openstack";

function mappingWith(rules: number) {
  return generateMapping({
    issuer: ISSUER,
    clientIds: ["keystone", "keystone-cli"],
    remoteIdAttribute: "HTTP_OIDC_ISS",
    claimPrefix: "OIDC-",
    claims: { userId: "sub", username: "preferred_username", access: "openstack_access" },
    brokerClaim: "identity_provider",
    userType: "ephemeral",
    userDomain: "federated-users",
    denyWithoutGroup: true,
    groups: Array.from({ length: rules }, (_, i) => ({
      tenant: `t${i % 10}`,
      claimValue: `t${i % 10}-team${i}`,
      keystoneGroup: `t${i % 10}-team${i}`,
      domain: `t${i % 10}`,
    })),
  });
}

function assertionFor(rules: number): Record<string, string> {
  const held = [0, Math.floor(rules / 2), rules - 1].map((i) => `t${i % 10}-team${i}`);
  return {
    "OIDC-sub": "u-1",
    "OIDC-preferred_username": "alice",
    HTTP_OIDC_ISS: ISSUER,
    "OIDC-azp": "keystone",
    "OIDC-openstack_access": [...held, "other"].join(";"),
  };
}

function oursPerCase(rules: number): number {
  const mapping = mappingWith(rules);
  const assertion = assertionFor(rules);
  const n = Math.max(20, Math.floor(20_000 / rules));
  evaluateMapping(mapping, assertion);
  const t = performance.now();
  for (let i = 0; i < n; i++) evaluateMapping(mapping, assertion);
  return (performance.now() - t) / n;
}

function keystoneInProcess(rules: number): number {
  const n = Math.max(5, Math.floor(2_000 / rules));
  const line = JSON.stringify({ rules: mappingWith(rules), assertion: assertionFor(rules) });
  const out = execFileSync("/usr/bin/python3", [join(__dirname, "keystone-engine.py")], {
    input: `${line}\n`.repeat(n),
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const secs = out
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { seconds: number }).seconds)
    .slice(1);
  return (secs.reduce((a, b) => a + b, 0) / secs.length) * 1000;
}

function keystoneCli(rules: number, calls: number): number {
  const dir = mkdtempSync(join(tmpdir(), "okf-bench-"));
  writeFileSync(join(dir, "rules.json"), JSON.stringify(mappingWith(rules)));
  writeFileSync(
    join(dir, "input.txt"),
    Object.entries(assertionFor(rules))
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n"),
  );
  const t = performance.now();
  for (let i = 0; i < calls; i++) {
    const r = spawnSync(
      "keystone-manage",
      ["mapping_engine", "--rules", join(dir, "rules.json"), "--input", join(dir, "input.txt")],
      { encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`keystone-manage failed: ${r.stderr.slice(0, 300)}`);
  }
  return (performance.now() - t) / calls;
}

const rows: string[] = [
  "(both engines: schema validation + evaluation per case)",
  "rules   ours ms/case   RuleProcessor ms/case   keystone-manage ms/call   x vs RuleProcessor   x vs CLI",
];
for (const rules of [1, 100, 1000, 5000]) {
  const ours = oursPerCase(rules);
  const rp = keystoneInProcess(rules);
  const cli = rules <= 1000 ? keystoneCli(rules, 3) : Number.NaN;
  rows.push(
    `${String(rules).padStart(5)}   ${ours.toFixed(4).padStart(12)}   ${rp.toFixed(4).padStart(21)}   ${Number.isNaN(cli) ? "(not run)".padStart(23) : cli.toFixed(1).padStart(23)}   ${(rp / ours).toFixed(1).padStart(18)}   ${Number.isNaN(cli) ? "" : (cli / ours).toFixed(0).padStart(8)}`,
  );
}
console.log(rows.join("\n"));
const small = mappingWith(4);
const a = assertionFor(4);
const t = performance.now();
for (let i = 0; i < 10_000; i++) evaluateMapping(small, a);
console.log(
  `10,000 evaluations of a 4-rule mapping: ${((performance.now() - t) / 1000).toFixed(3)} s`,
);
