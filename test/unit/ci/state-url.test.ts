/**
 * scripts/state-url.sh, the one writer of the object-store backend URL (scripts/pulumi.sh, the
 * workflows and the state suite use it): the exact URL, and a clear refusal of each bad input.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SCRIPT = join(__dirname, "..", "..", "..", "scripts", "state-url.sh");

function run(env: Record<string, string>, args: string[] = []) {
  const r = spawnSync("bash", [SCRIPT, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

const good = {
  OKF_STATE_BUCKET: "okf-state",
  OKF_STATE_ENDPOINT: "https://swift.example.com:8080",
};

describe("scripts/state-url.sh", () => {
  it("writes the path-style S3 URL with the endpoint, the region and checksums only where required", () => {
    expect(run(good)).toEqual({
      code: 0,
      stdout:
        "s3://okf-state?endpoint=https://swift.example.com:8080&use_path_style=true&region=us-east-1" +
        "&request_checksum_calculation=when_required&response_checksum_validation=when_required",
      stderr: "",
    });
    expect(run({ ...good, OKF_STATE_REGION: "RegionOne" }).stdout).toContain("&region=RegionOne&");
    expect(run(good, ["--env"]).stdout).toMatch(/^PULUMI_BACKEND_URL=s3:\/\/okf-state\?endpoint=/);
  });

  it("prints nothing for --env without a bucket (the workflows then use Pulumi Cloud)", () => {
    expect(run({}, ["--env"])).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it.each([
    [{}, "OKF_STATE_BUCKET is not set"],
    [
      { ...good, OKF_STATE_BUCKET: "Okf_State" },
      "OKF_STATE_BUCKET='Okf_State' is not an S3 bucket name",
    ],
    [{ ...good, OKF_STATE_ENDPOINT: "" }, "OKF_STATE_ENDPOINT='' is not an http(s) URL"],
    [
      { ...good, OKF_STATE_ENDPOINT: "https://swift.example.com/?x=1&y=2" },
      "OKF_STATE_ENDPOINT='https://swift.example.com/?x=1&y=2' is not an http(s) URL",
    ],
    [{ ...good, OKF_STATE_REGION: "us east" }, "OKF_STATE_REGION='us east' is not a region name"],
  ])("refuses %j, naming the variable and the fix", (env, message) => {
    const r = run(env as Record<string, string>);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/; (set|use) /);
  });

  it("never puts a credential into the URL", () => {
    const r = run({
      ...good,
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "s3cr3t-value",
    });
    expect(r.stdout).not.toContain("AKIDEXAMPLE");
    expect(r.stdout).not.toContain("s3cr3t-value");
  });
});
