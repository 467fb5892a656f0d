/**
 * Staging and production stacks never run with secrets under a passphrase this repository
 * publishes: the program refuses before any resource, and the invariants refuse a stack file whose
 * salt such a passphrase opens.
 */
import { describe, expect, it } from "vitest";
import { exampleSecretIssue } from "../../../infra/config/example-secrets";
import { readStackFileOffline, stackFilePath } from "../../../infra/stack-files/stack-file";
import { runWithMocks } from "../../support/mock-runtime";
import { FIXTURES_DIR } from "../../support/stack-files";

const salt = (stack: string) =>
  readStackFileOffline(stackFilePath(stack, FIXTURES_DIR)).encryptionsalt;

describe("secrets under a published example passphrase", () => {
  it("are found from the stack file's salt on staging and production, not on test stacks", () => {
    expect(exampleSecretIssue("staging", { encryptionsalt: salt("staging") })).toMatchObject({
      path: "(secrets)",
      message:
        'the staging stack\'s secrets are encrypted with "example-passphrase", a passphrase this repository publishes',
    });
    expect(exampleSecretIssue("production", { encryptionsalt: salt("prod") })).toBeDefined();
    expect(exampleSecretIssue("test", { encryptionsalt: salt("test-template") })).toBeUndefined();
    expect(
      exampleSecretIssue("production", { passphrase: "correct horse battery staple" }),
    ).toBeUndefined();
  });

  it("stop pulumi up of a production stack before any resource, naming the fix", async () => {
    const saved = process.env.PULUMI_CONFIG_PASSPHRASE;
    process.env.PULUMI_CONFIG_PASSPHRASE = "example-passphrase";
    try {
      const run = runWithMocks("prod", async () => {
        const { loadStackConfig } = await import("../../../infra/config/load");
        const { declareStack } = await import("../../../infra/stack");
        declareStack(loadStackConfig(), "prod");
      });
      await expect(run).rejects.toThrow(
        /invalid configuration for stack "prod" \(1 problem\):\n {2}\(secrets\): the production stack's secrets are encrypted with "example-passphrase".*pulumi stack change-secrets-provider/,
      );
    } finally {
      if (saved === undefined) delete process.env.PULUMI_CONFIG_PASSPHRASE;
      else process.env.PULUMI_CONFIG_PASSPHRASE = saved;
    }
  });
});
