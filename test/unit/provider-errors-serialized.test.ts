/**
 * The engine runs the Keystone provider from the text Pulumi's closure serialization makes of it.
 * Its errors must keep their message there: an Error subclass, serialized, loses it (the operator
 * saw "Unknown Error"). Serialized with Pulumi's own serializer, run with plain Node against a
 * closed port.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_NAMESPACE } from "../../infra/stack-files/stack-file";

const ROOT = join(__dirname, "..", "..");

describe("the serialized Keystone provider's errors", () => {
  it("keep the verb, the path and what went wrong", () => {
    const out = mkdtempSync(join(tmpdir(), "okf-serialized-"));
    execFileSync(
      process.execPath,
      ["--import", "tsx", join(ROOT, "test", "support", "serialize-provider.ts"), "serialize", out],
      { cwd: ROOT, stdio: "pipe" },
    );
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, "test", "support", "run-serialized-provider.cjs"),
        join(out, "identity-provider.js"),
        "read",
        JSON.stringify(["some-idp", {}]),
      ],
      {
        encoding: "utf8",
        env: {
          ...process.env,
          OKF_STACK_CONFIG: JSON.stringify({
            [`${PROJECT_NAMESPACE}:keystone`]: JSON.stringify({
              url: "http://127.0.0.1:1",
              credentials: { method: "password", username: "admin" },
            }),
            [`${PROJECT_NAMESPACE}:keystonePassword`]: "not-a-real-password",
          }),
        },
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^Keystone POST \/auth\/tokens failed: no usable answer after 5 attempts \(last: connect ECONNREFUSED 127\.0\.0\.1:1\); is Keystone at http:\/\/127\.0\.0\.1:1\/v3 up\?$/,
    );
  });
});
