import { beforeAll, describe, expect, it } from "vitest";
import { runWithMocks, type Registration, valueOf } from "../support/mock-runtime";
import { readFixture } from "../support/stack-files";
import { PROJECT_NAMESPACE as PROJECT } from "../../infra/stack-files/stack-file";
import { secretValue } from "./stacks/common";

let regs: Registration[] = [];
beforeAll(async () => {
  const file = readFixture("test-template");
  const config = {
    ...file.config,
    [`${PROJECT}:smokeCheck`]: JSON.stringify({
      enabled: true,
      username: "smoke",
      project: "test-acme/web",
    }),
    [`${PROJECT}:smokeCheckPassword`]: "smoke-secret-pw",
  };
  regs = (
    await runWithMocks(
      "test-template",
      async () => {
        const { loadStackConfig } = await import("../../infra/config/load");
        const { declareStack } = await import("../../infra/stack");
        await valueOf(declareStack(loadStackConfig(), "test-template").outputs.protocolId);
      },
      { config, secretKeys: [...file.secretKeys, `${PROJECT}:smokeCheckPassword`] },
    )
  ).registrations;
});

describe("smoke check (opt-in)", () => {
  it("runs the login script with secret environment only", () => {
    const smoke = regs.filter((r) => r.type === "command:local:Command");
    expect(smoke.map((r) => r.name)).toEqual(["smoke-check-login"]);
    const i = smoke[0]!.inputs;
    expect(String(i.create)).toMatch(
      /"[^"]*node[^"]*" "[^"]*infra\/components\/smoke-login\.cjs"$/,
    );
    expect(JSON.stringify(i.create)).not.toContain("smoke-secret-pw");
    expect(secretValue(i.environment)).toMatchObject({
      OKF_TOKEN_URL:
        "https://id.test.example.com/realms/openstack-test/protocol/openid-connect/token",
      OKF_CLIENT_ID: "keystone",
      OKF_USERNAME: "smoke",
      OKF_PASSWORD: "smoke-secret-pw",
      OKF_KEYSTONE_AUTH_URL:
        "https://keystone.test.example.com:5000/v3/OS-FEDERATION/identity_providers/keycloak-openstack-test/protocols/openid/auth",
      OKF_PROJECT: "test-acme/web",
    });
  });
});
