/**
 * Replaces `secure: "@encrypt:<plaintext>"` markers in a stack file with values encrypted by
 * Pulumi's passphrase provider, adding the stack's `encryptionsalt` when it has none. This is how
 * the committed example stacks got their `secure:` values without the Pulumi CLI; with the CLI,
 * `pulumi config set --secret <key> <value>` does the same.
 *   PULUMI_CONFIG_PASSPHRASE=... npx tsx scripts/encrypt-stack-secrets.ts stacks/Pulumi.dev.yaml
 */
import { readFileSync, writeFileSync } from "node:fs";
import { encryptValue, keyFromSalt, newSalt } from "../infra/config/passphrase";

const passphrase = process.env.PULUMI_CONFIG_PASSPHRASE;
if (!passphrase) {
  console.error("set PULUMI_CONFIG_PASSPHRASE");
  process.exit(2);
}
for (const file of process.argv.slice(2)) {
  let text = readFileSync(file, "utf8");
  if (!text.includes("@encrypt:")) continue;
  const existing = /^encryptionsalt: (\S+)$/m.exec(text);
  let key: Buffer;
  if (existing?.[1]) {
    key = keyFromSalt(passphrase, existing[1]);
  } else {
    const s = newSalt(passphrase);
    key = s.key;
    text = text.replace(/^config:$/m, `encryptionsalt: ${s.encryptionsalt}\nconfig:`);
  }
  text = text.replace(
    /secure: "@encrypt:([^"]*)"/g,
    (_m, plain: string) => `secure: ${encryptValue(key, plain)}`,
  );
  writeFileSync(file, text);
  console.log(`encrypted secrets in ${file}`);
}
