import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { fixtureModel, FIXTURES_DIR } from "../../support/stack-files";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../infra/cli/render";
import { parseStackConfig } from "../../../infra/config/parse";
import { renderAll } from "../../../infra/model/artifacts";
import { pyStr } from "../../../infra/model/artifacts/horizon";
import { buildModel } from "../../../infra/model/deployment-model";
import { listStacks } from "../../../infra/stack-files/stack-file";
import { encryptValue, keyFromSalt } from "../../../infra/config/passphrase";

function model(stack: string) {
  return fixtureModel(stack);
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();
}

describe.each(listStacks(FIXTURES_DIR))("rendered artifacts of fixture %s", (stack) => {
  const m = model(stack);
  const artifacts = renderAll(m);

  it("take every Apache path, the JWKS URI and the claim settings from the model", () => {
    const apache = artifacts.find((a) => a.path === "apache/keystone-oidc.conf")!.content;
    for (const url of [
      m.keystone.urls.redirectUri,
      m.keystone.urls.websso,
      m.keystone.urls.webssoIdp,
      m.keystone.urls.cliAuth,
    ])
      expect(apache).toContain(`<Location "${new URL(url).pathname}">`);
    expect(apache).toContain(`OIDCOAuthVerifyJwksUri "${m.keycloak.endpoints.jwks}"`);
    expect(apache).toContain('OIDCClaimDelimiter ";"');
    expect(apache).toContain('OIDCPKCEMethod "S256"');
    const conf = artifacts.find((a) => a.path === "keystone/keystone-federation.conf")!.content;
    expect(conf).toContain(`remote_id_attribute = ${m.federation.remoteIdAttribute}`);
    for (const d of m.horizon.trustedDashboards) expect(conf).toContain(`trusted_dashboard = ${d}`);
  });

  it("carry references, not secret values, unless secrets are passed; then only 0600 files hold them", () => {
    expect(artifacts.every((a) => a.mode === 0o644 && !a.secret)).toBe(true);
    const withSecrets = renderAll(m, {
      secrets: { clientSecret: "CS-9f8e7d6c5b", cryptoPassphrase: "PP-0a1b2c3d4e" },
    });
    for (const a of withSecrets) {
      const holds = a.content.includes("CS-9f8e7d6c5b") || a.content.includes("PP-0a1b2c3d4e");
      expect(a.secret, a.path).toBe(holds);
      expect(a.mode, a.path).toBe(holds ? 0o600 : 0o644);
    }
    expect(withSecrets.filter((a) => a.secret).map((a) => a.path)).toContain(
      "apache/keystone-oidc.conf",
    );
  });
});

/** `render --with-secrets` of the staging fixture into `out`, with its example passphrase. */
function renderStagingWithSecrets(out: string) {
  process.env.PULUMI_CONFIG_PASSPHRASE = "example-passphrase";
  try {
    return main([
      "--stack",
      "staging",
      "--stacks-dir",
      FIXTURES_DIR,
      "--out",
      out,
      "--with-secrets",
    ]);
  } finally {
    delete process.env.PULUMI_CONFIG_PASSPHRASE;
  }
}

describe("render CLI", () => {
  it("writes every artifact with its mode", () => {
    const out = mkdtempSync(join(tmpdir(), "okf-render-"));
    const r = main(["--stack", "dev", "--stacks-dir", FIXTURES_DIR, "--out", out]);
    expect(r.code).toBe(0);
    const artifacts = renderAll(model("dev"));
    expect(files(out)).toEqual(artifacts.map((a) => a.path).sort());
    for (const a of artifacts)
      expect(readFileSync(join(out, a.path), "utf8"), a.path).toBe(a.content);
    expect(statSync(join(out, "apache/keystone-oidc.conf")).mode & 0o777).toBe(0o644);
  });

  it("embeds secrets only with --with-secrets and the passphrase, in 0600 files", () => {
    const out = mkdtempSync(join(tmpdir(), "okf-render-"));
    expect(renderStagingWithSecrets(out).code).toBe(0);
    const apache = join(out, "apache/keystone-oidc.conf");
    expect(statSync(apache).mode & 0o777).toBe(0o600);
    expect(readFileSync(apache, "utf8")).toContain(
      'OIDCCryptoPassphrase "staging-oidc-crypto-passphrase-for-examples"',
    );
    expect(
      main(["--stack", "staging", "--stacks-dir", FIXTURES_DIR, "--out", out, "--with-secrets"]),
    ).toMatchObject({ code: 2 });
  });

  it("--with-secrets refuses a crypto passphrase under 32 characters, naming the key and its length only, and writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "okf-render-weak-"));
    const text = readFileSync(join(FIXTURES_DIR, "Pulumi.staging.yaml"), "utf8");
    const salt = /^encryptionsalt: (\S+)$/m.exec(text)![1]!;
    const weak = encryptValue(keyFromSalt("example-passphrase", salt), "short-passphrase-1");
    writeFileSync(
      join(dir, "Pulumi.staging.yaml"),
      text.replace(
        /(oidcCryptoPassphrase:\n {4}secure: )\S+/,
        (_m, head: string) => `${head}${weak}`,
      ),
    );
    const out = join(dir, "out");
    process.env.PULUMI_CONFIG_PASSPHRASE = "example-passphrase";
    let r;
    try {
      r = main(["--stack", "staging", "--stacks-dir", dir, "--out", out, "--with-secrets"]);
    } finally {
      delete process.env.PULUMI_CONFIG_PASSPHRASE;
    }
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("render: oidcCryptoPassphrase: is 18 characters long");
    expect(r.stderr).not.toContain("short-passphrase-1");
    expect(() => readdirSync(out)).toThrow();
  });

  it("--with-secrets replaces a symlink planted at a target instead of writing through it, leaving a 0600 file", () => {
    const out = mkdtempSync(join(tmpdir(), "okf-render-"));
    const victim = join(mkdtempSync(join(tmpdir(), "okf-victim-")), "victim.txt");
    writeFileSync(victim, "untouched\n");
    mkdirSync(join(out, "apache"), { recursive: true });
    symlinkSync(victim, join(out, "apache/keystone-oidc.conf"));
    expect(renderStagingWithSecrets(out).code).toBe(0);
    expect(readFileSync(victim, "utf8")).toBe("untouched\n");
    const apache = join(out, "apache/keystone-oidc.conf");
    expect(lstatSync(apache).isSymbolicLink()).toBe(false);
    expect(lstatSync(apache).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(out, "apache")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("quotes Python strings safely", () => {
    expect(pyStr('Acme "Prod" \\ Cloud')).toBe('"Acme \\"Prod\\" \\\\ Cloud"');
  });
});

describe("keystone.conf overlay for large mappings", () => {
  it("raises Keystone's request size limit when the mapping would exceed it (HTTP 413 measured with 1,000 groups)", async () => {
    const { renderKeystoneConf, mappingRequestBytes, KEYSTONE_MAX_BODY_DEFAULT } =
      await import("../../../infra/model/artifacts/keystone-conf");
    const tenants = [
      { name: "big", projects: Array.from({ length: 400 }, (_, i) => ({ name: `p${i}` })) },
    ];
    const access = Array.from({ length: 400 }, (_, i) => ({
      tenant: "big",
      group: `g${i}`,
      grants: [{ role: "member", project: `p${i}` }],
    }));
    const raw = {
      environment: "test",
      keycloak: { url: "https://id.example.com", admin: { clientId: "a" } },
      keycloakAdminSecret: "x",
      realm: { name: "r" },
      keystone: { url: "https://k.example.com", cloud: "c" },
      tenants,
      access,
      // One rule per group: the layout whose mapping outgrows Keystone's default limit first.
      federation: { ruleLayout: "perGroup" },
    };
    const big = buildModel(
      parseStackConfig(raw, { stack: "big", secretKeys: new Set(["keycloakAdminSecret"]) }).config,
      "big",
    );
    const bytes = mappingRequestBytes(big);
    expect(bytes).toBeGreaterThan(KEYSTONE_MAX_BODY_DEFAULT);
    expect(renderKeystoneConf(big)).toContain(
      `[oslo_middleware]\n# the mapping request is ${bytes} bytes; Keystone's default limit is 114688\nmax_request_body_size = ${Math.ceil((bytes * 2) / 65536) * 65536}\n`,
    );
    expect(renderKeystoneConf(model("dev"))).not.toContain("oslo_middleware");
  });
});
