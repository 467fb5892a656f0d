/**
 * Proves the Keystone dynamic provider survives Pulumi's closure serialization under plain Node
 * (not vitest, which would serialize imported packages by value).
 *   node --import tsx test/support/serialize-provider.ts serialize OUTDIR   -> writes <name>.js per provider
 *   node test/support/serialize-provider.ts is not needed for `run`: the test loads the files with plain node.
 * Before serializing it configures the provider with recognisable fake secrets, so a test can prove
 * that no credential is captured into the text Pulumi stores in state.
 */
import { PROJECT_NAMESPACE } from "../../infra/stack-files/stack-file";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { identityProviderProvider } from "../../infra/providers/keystone/identity-provider";
import { mappingProvider } from "../../infra/providers/keystone/mapping";
import { protocolProvider } from "../../infra/providers/keystone/protocol";
import { configureFromStack } from "../../infra/providers/keystone/runtime";

export const MARKERS = {
  password: "MARKER-PASSWORD-7f3a",
  appSecret: "MARKER-APPCRED-91bc",
  token: "MARKER-TOKEN-55de",
};

async function serialize(outDir: string): Promise<void> {
  // The same function Pulumi's dynamic.Resource uses (runtime/closure/serializeClosure).
  const sc = require("@pulumi/pulumi/runtime/closure/serializeClosure") as {
    serializeFunction(
      f: () => unknown,
      args: { allowSecrets: boolean },
    ): Promise<{ text: string; containsSecrets: boolean }>;
  };
  process.env.OS_PASSWORD = MARKERS.password;
  process.env.OS_APPLICATION_CREDENTIAL_SECRET = MARKERS.appSecret;
  process.env.OS_TOKEN = MARKERS.token;
  configureFromStack(
    (k) =>
      ({
        [`${PROJECT_NAMESPACE}:keystone`]: JSON.stringify({
          url: "http://127.0.0.1:1",
          credentials: { method: "password", username: "admin" },
        }),
        [`${PROJECT_NAMESPACE}:keystonePassword`]: MARKERS.password,
      })[k],
  );
  mkdirSync(outDir, { recursive: true });
  const providers = {
    "identity-provider": identityProviderProvider,
    mapping: mappingProvider,
    protocol: protocolProvider,
  };
  const summary: Record<string, { bytes: number; containsSecrets: boolean }> = {};
  for (const [name, provider] of Object.entries(providers)) {
    const sf = await sc.serializeFunction(() => provider, { allowSecrets: true });
    writeFileSync(join(outDir, `${name}.js`), sf.text);
    summary[name] = { bytes: sf.text.length, containsSecrets: sf.containsSecrets };
  }
  console.log(JSON.stringify(summary));
}

if (require.main === module) {
  const [cmd, outDir] = process.argv.slice(2);
  if (cmd !== "serialize" || !outDir) {
    console.error("usage: node --import tsx test/support/serialize-provider.ts serialize OUTDIR");
    process.exit(2);
  }
  serialize(outDir).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
