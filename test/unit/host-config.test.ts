/**
 * Delivery of the rendered host configuration under the mock runtime: one command per file and
 * target, content through stdin, re-triggered only by a content hash, secrets kept secret, then one
 * reload per target.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { runWithMocks, type Registration, valueOf } from "../support/mock-runtime";
import { readFixture } from "../support/stack-files";
import { PROJECT_NAMESPACE as PROJECT } from "../../infra/stack-files/stack-file";
import { secretValue } from "./stacks/common";

const SIG = "4dabf18193072939515e22adb298388d";
const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH0z0ry0oe0cLWsBG4Y4mX2JPpZbmu2U7w2u1Te3kS8Z";
let regs: Registration[] = [];
let outputs: Record<string, unknown> = {};

beforeAll(async () => {
  const file = readFixture("test-template");
  const config = {
    ...file.config,
    [`${PROJECT}:delivery`]: JSON.stringify({
      enabled: true,
      targets: [
        {
          name: "keystone1",
          kind: "ssh",
          host: "keystone1.test.example.com",
          hostKey: HOST_KEY,
          artifacts: ["apache", "keystone"],
          directory: "/etc/okf",
          reloadCommand: "systemctl reload apache2",
        },
        { name: "kolla", kind: "local", artifacts: ["kolla"], directory: "/etc/kolla" },
      ],
    }),
    [`${PROJECT}:deliverySshKey`]:
      "-----BEGIN OPENSSH PRIVATE KEY-----\nTEST\n-----END OPENSSH PRIVATE KEY-----",
    [`${PROJECT}:oidcCryptoPassphrase`]: "crypto-passphrase-for-the-delivery-test",
  };
  const run = await runWithMocks(
    "test-template",
    async () => {
      const { loadStackConfig } = await import("../../infra/config/load");
      const { declareStack } = await import("../../infra/stack");
      const o = declareStack(loadStackConfig(), "test-template").outputs;
      return {
        hostConfiguration: o.hostConfiguration,
        withSecrets: await valueOf(o.hostConfigurationWithSecrets),
        withSecretsIsSecret: await pulumi.isSecret(o.hostConfigurationWithSecrets),
      };
    },
    {
      config,
      secretKeys: [
        ...file.secretKeys,
        `${PROJECT}:deliverySshKey`,
        `${PROJECT}:oidcCryptoPassphrase`,
      ],
    },
  );
  regs = run.registrations;
  outputs = run.result;
});

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

describe("host configuration delivery", () => {
  it("writes each selected file on its target from stdin, with its mode", () => {
    const remote = regs.filter((r) => r.type === "command:remote:Command");
    expect(remote.map((r) => r.name).sort()).toEqual([
      "host-config-keystone1-apache-keystone-oidc-conf",
      "host-config-keystone1-keystone-keystone-federation-conf",
      "host-config-keystone1-keystone-rules-json",
      "host-config-keystone1-reload",
    ]);
    const apache = remote.find(
      (r) => r.name === "host-config-keystone1-apache-keystone-oidc-conf",
    )!.inputs;
    expect(apache.create).toBe("install -D -m 600 /dev/stdin '/etc/okf/apache/keystone-oidc.conf'");
    // The key makes the whole connection secret.
    expect(secretValue(apache.connection)).toMatchObject({
      host: "keystone1.test.example.com",
      user: "root",
      port: 22,
      hostKey: HOST_KEY,
      privateKey: expect.stringContaining("TEST"),
    });
    // Every remote command pins the host key, the reload included.
    for (const r of remote)
      expect(secretValue(r.inputs.connection), r.name).toMatchObject({ hostKey: HOST_KEY });
    const local = regs.filter((r) => r.type === "command:local:Command");
    expect(local.map((r) => String(r.inputs.create)).sort()).toEqual(
      [
        "install -D -m 644 /dev/stdin '/etc/kolla/kolla/globals.d/okf-federation.yml'",
        "install -D -m 644 /dev/stdin '/etc/kolla/kolla/config/keystone/federation/oidc/okf-mapping.json'",
        "install -D -m 644 /dev/stdin '/etc/kolla/kolla/config/keystone/federation/oidc/metadata/id.test.example.com%2Frealms%2Fopenstack-test.provider'",
        "install -D -m 600 /dev/stdin '/etc/kolla/kolla/config/keystone/federation/oidc/metadata/id.test.example.com%2Frealms%2Fopenstack-test.client'",
        "install -D -m 644 /dev/stdin '/etc/kolla/kolla/config/keystone/federation/oidc/metadata/id.test.example.com%2Frealms%2Fopenstack-test.conf'",
      ].sort(),
    );
  });

  it("keeps secret file contents secret and triggers on the content hash", () => {
    expect(outputs.withSecretsIsSecret, "hostConfigurationWithSecrets is a secret output").toBe(
      true,
    );
    const withSecrets = outputs.withSecrets as Record<string, string>;
    const apacheContent = withSecrets["apache/keystone-oidc.conf"]!;
    expect(apacheContent).toContain(
      'OIDCCryptoPassphrase "crypto-passphrase-for-the-delivery-test"',
    );
    const apache = regs.find(
      (r) => r.name === "host-config-keystone1-apache-keystone-oidc-conf",
    )!.inputs;
    expect((apache.stdin as Record<string, unknown>)[SIG]).toBeDefined();
    expect(secretValue(apache.stdin)).toBe(apacheContent);
    expect(secretValue(apache.triggers)).toEqual([sha(apacheContent)]); // a secret element makes the whole list secret
    const rules = regs.find((r) => r.name === "host-config-keystone1-keystone-rules-json")!.inputs;
    expect(rules.stdin).toBe(withSecrets["keystone/rules.json"]);
    expect(rules.triggers).toEqual([sha(withSecrets["keystone/rules.json"]!)]);
    const reload = regs.find((r) => r.name === "host-config-keystone1-reload")!.inputs;
    expect(reload.create).toBe("systemctl reload apache2");
    expect(secretValue(reload.triggers)).toEqual([
      sha(
        [
          apacheContent,
          withSecrets["keystone/keystone-federation.conf"]!,
          withSecrets["keystone/rules.json"]!,
        ]
          .map(sha)
          .join("\n"),
      ),
    ]);
  });

  it("exports the host configuration with references in plain outputs", () => {
    const plain = outputs.hostConfiguration as Record<string, string>;
    expect(plain["apache/keystone-oidc.conf"]).toContain(
      'OIDCCryptoPassphrase "${OKF_OIDC_CRYPTO_PASSPHRASE}"',
    );
    expect(JSON.stringify(plain)).not.toContain("crypto-passphrase-for-the-delivery-test");
  });
});
