/**
 * `npm run mapping -- evaluate` against `keystone-manage mapping_engine` on the same files: the
 * same JSON text on success, the same exit status and exception class on failure.
 */
import { KEYSTONE } from "../support/keystone-release";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../infra/cli/mapping";
import { keystoneEngineAvailable } from "../support/keystone-engine";

const unavailable = keystoneEngineAvailable();
const dir = mkdtempSync(join(tmpdir(), "okf-km-"));
const conf = join(dir, "keystone.conf");
writeFileSync(
  conf,
  `[DEFAULT]\nuse_stderr = true\nlog_file =\n[database]\nconnection = sqlite://\n`,
);

function keystoneManage(
  rules: string,
  input: string,
): { code: number; stdout: string; errorClass?: string } {
  const r = spawnSync(
    KEYSTONE.manage,
    ["--config-file", conf, "mapping_engine", "--rules", rules, "--input", input],
    { encoding: "utf8" },
  );
  const m =
    /Unhandled error: (?:[\w.]+\.)?(\w+): /.exec(r.stderr) ??
    /(SystemExit|\w+Error)\b/.exec(r.stderr);
  return {
    code: r.status ?? -1,
    stdout: r.stdout,
    ...(r.status !== 0 && m ? { errorClass: m[1] } : {}),
  };
}

const CASES: { name: string; rules: unknown; input: string }[] = [
  {
    name: "dev mapping, admin token",
    rules: JSON.parse(
      readFileSync(join(__dirname, "..", "..", "mappings", "dev.rules.json"), "utf8"),
    ),
    input:
      "OIDC-sub: 42\nOIDC-preferred_username: alice\nOIDC-openstack_access: acme-admins;x\nOIDC-groups: /acme/admins\nHTTP_OIDC_ISS: http://localhost:8080/realms/openstack\nOIDC-azp: keystone\n",
  },
  {
    name: "multi-valued name and non-ASCII",
    rules: [
      {
        local: [{ user: { name: "{0}" } }, { group: { name: "{1}", domain: { id: "d" } } }],
        remote: [{ type: "A" }, { type: "B" }],
      },
    ],
    input: "A: x;y\nB: grüne-gruppe\n",
  },
  {
    name: "group_ids from a list literal",
    rules: [{ local: [{ user: { name: "u" } }, { group_ids: "{0}" }], remote: [{ type: "A" }] }],
    input: "A: ['g1']\n",
  }, // one id: Keystone returns group_ids in set order
  {
    name: "no match",
    rules: [{ local: [{ user: { name: "{0}" } }], remote: [{ type: "MISSING" }] }],
    input: "A: x\n",
  },
  {
    name: "slot out of range",
    rules: [{ local: [{ user: { name: "{1}" } }], remote: [{ type: "A" }] }],
    input: "A: x\n",
  },
  {
    name: "groups without domain",
    rules: [{ local: [{ user: { name: "u" } }, { groups: "{0}" }], remote: [{ type: "A" }] }],
    input: "A: g\n",
  },
  {
    name: "schema violation",
    rules: [{ local: [{ user: { name: "u" } }], remote: [] }],
    input: "A: x\n",
  },
];

describe.skipIf(unavailable !== undefined)(
  `mapping evaluate vs keystone-manage mapping_engine [${KEYSTONE.label}]`,
  () => {
    it.each(CASES.map((c) => [c.name, c] as const))("%s", (_n, c) => {
      const rules = join(dir, "rules.json");
      const input = join(dir, "input.txt");
      writeFileSync(rules, JSON.stringify(c.rules));
      writeFileSync(input, c.input);
      const theirs = keystoneManage(rules, input);
      const ours = main([
        "evaluate",
        "--rules",
        rules,
        "--input",
        input,
        "--keystone",
        String(KEYSTONE.major),
      ]);
      expect(ours.code).toBe(theirs.code);
      if (theirs.code === 0) expect(ours.stdout).toBe(theirs.stdout);
      else expect(ours.stderr.split(":")[0]).toBe(theirs.errorClass);
    });

    it(`keystone-manage is really ${KEYSTONE.label}`, () => {
      expect(execFileSync(KEYSTONE.manage, ["--version"], { encoding: "utf8" }).trim()).toMatch(
        new RegExp(`^${KEYSTONE.major}\\.`),
      );
    });
  },
);
