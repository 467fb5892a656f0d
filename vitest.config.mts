import { defineConfig } from "vitest/config";

// Five suites. `unit` is pure and runs anywhere; `integration` needs the real Keystone (and its
// mapping engine), `e2e` needs Keystone under Apache with mod_auth_openidc, and `system` adds the
// real Pulumi CLI and the real Keycloak, and `state` runs that CLI with its state in a real object
// store (Swift with its S3 API). The scripts in scripts/ install and start those services;
// with CI=true a service that cannot start fails the suite.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "system",
          include: ["test/system/**/*.test.ts"],
          testTimeout: 900_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "state",
          include: ["test/state/**/*.test.ts"],
          testTimeout: 900_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
