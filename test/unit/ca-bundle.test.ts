/**
 * keycloak.caBundle is a path in the configuration, but the Keycloak provider verifies TLS against
 * the certificate text it is given: the program reads the file and passes the PEM, and refuses a
 * file it cannot read or that holds no certificate, before any resource is declared.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCaBundle } from "../../infra/config/ca-bundle";
import { runWithMocks, valueOf } from "../support/mock-runtime";
import { readFixture } from "../support/stack-files";
import { PROJECT_NAMESPACE as PROJECT } from "../../infra/stack-files/stack-file";

const dir = mkdtempSync(join(tmpdir(), "okf-ca-"));
const pemFile = join(dir, "ca.pem");
execFileSync(
  "openssl",
  [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    join(dir, "k.pem"),
    "-out",
    pemFile,
    "-days",
    "1",
    "-subj",
    "/CN=test-ca",
  ],
  { stdio: "ignore" },
);

describe("keycloak.caBundle", () => {
  it("reads the PEM text; refuses a missing file and a file without a certificate", () => {
    expect(readCaBundle(pemFile, "keycloak.caBundle")).toEqual({
      pem: readFileSync(pemFile, "utf8"),
    });
    expect(readCaBundle(join(dir, "missing.pem"), "keycloak.caBundle")).toEqual({
      issue: {
        path: "keycloak.caBundle",
        message: `cannot read "${join(dir, "missing.pem")}" (ENOENT)`,
        hint: "give the path of a PEM file with the CA certificate(s), readable by the user running Pulumi",
      },
    });
    const junk = join(dir, "junk.pem");
    writeFileSync(
      junk,
      "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
    );
    expect(readCaBundle(junk, "keycloak.caBundle")).toEqual({
      issue: {
        path: "keycloak.caBundle",
        message: `"${junk}" holds 1 unreadable certificate(s)`,
        hint: "give a PEM bundle of CA certificates (-----BEGIN CERTIFICATE-----)",
      },
    });
  });

  it("the Keycloak provider gets the certificate itself, not the path", async () => {
    const { config, secretKeys } = readFixture("dev");
    const keycloak = JSON.parse(config[`${PROJECT}:keycloak`]!) as Record<string, unknown>;
    const withCa = {
      ...config,
      [`${PROJECT}:keycloak`]: JSON.stringify({ ...keycloak, caBundle: pemFile }),
    };
    const run = await runWithMocks(
      "dev",
      async () => {
        const { loadStackConfig } = await import("../../infra/config/load");
        const { declareStack } = await import("../../infra/stack");
        await valueOf(declareStack(loadStackConfig(), "dev").outputs.protocolId);
      },
      { config: withCa, secretKeys },
    );
    const provider = run.registrations.find((r) => r.type === "pulumi:providers:keycloak")!;
    expect(provider.inputs.rootCaCertificate).toBe(readFileSync(pemFile, "utf8"));
  });
});
