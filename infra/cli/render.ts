/**
 * npm run render -- --stack <stack> [--out <dir>] [--with-secrets]
 * Writes every host-side artifact of a committed stack, offline and without credentials. Secrets
 * appear as references unless --with-secrets is given (then PULUMI_CONFIG_PASSPHRASE decrypts the
 * stack's clientSecret / oidcCryptoPassphrase, and files holding them get mode 0600).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Command } from "commander";
import { parseStackConfig } from "../config/parse";
import { decryptValue, keyFromSalt } from "../config/passphrase";
import { formatIssue } from "../config/issues";
import { SECRET_MARKER, weakSecretIssues } from "../config/secrets";
import { readStackFileOffline } from "../stack-files/stack-file";
import { renderAll, type RenderSecrets } from "../model/artifacts";
import { buildModel } from "../model/deployment-model";
import { type CliResult, finish, requireStackFile, runCli } from "./run";

const ROOT = join(__dirname, "..", "..");

interface RenderOptions {
  stack: string;
  stacksDir?: string;
  out?: string;
  withSecrets?: boolean;
  caBundle?: string;
  jwksUri?: string;
}

function render(o: RenderOptions): CliResult {
  const file = readStackFileOffline(requireStackFile("render", o.stack, o.stacksDir));
  const config = parseStackConfig(file.raw, { stack: o.stack, secretKeys: file.secretKeys }).config;
  const secrets: { clientSecret?: string; cryptoPassphrase?: string } = {};
  if (o.withSecrets) {
    const passphrase = process.env.PULUMI_CONFIG_PASSPHRASE;
    if (!passphrase || !file.encryptionsalt)
      return {
        code: 2,
        stdout: "",
        stderr:
          "render: --with-secrets needs PULUMI_CONFIG_PASSPHRASE and a passphrase-encrypted stack file\n",
      };
    const key = keyFromSalt(passphrase, file.encryptionsalt);
    if (file.secure.clientSecret)
      secrets.clientSecret = decryptValue(key, file.secure.clientSecret);
    if (file.secure.oidcCryptoPassphrase)
      secrets.cryptoPassphrase = decryptValue(key, file.secure.oidcCryptoPassphrase);
    const weak = weakSecretIssues(
      { clientSecret: secrets.clientSecret, oidcCryptoPassphrase: secrets.cryptoPassphrase },
      SECRET_MARKER,
    );
    if (weak.length > 0)
      return {
        code: 2,
        stdout: "",
        stderr: weak.map((w) => `render: ${formatIssue(w)}\n`).join(""),
      };
  }
  const out = o.out ?? join(ROOT, "out", o.stack);
  const apache = {
    ...(o.caBundle ? { caBundlePath: o.caBundle } : {}),
    ...(o.jwksUri ? { jwksUri: o.jwksUri } : {}),
  };
  let artifacts;
  try {
    artifacts = renderAll(buildModel(config, o.stack), {
      secrets: secrets as RenderSecrets,
      apache,
    });
  } catch (e) {
    return {
      code: 2,
      stdout: "",
      stderr: `render: --${(e as Error).message.replace(/^jwksUri/, "jwks-uri")}\n`,
    };
  }
  const lines: string[] = [];
  for (const a of artifacts) {
    const path = join(out, a.path);
    mkdirSync(dirname(path), { recursive: true });
    // A new file with its final mode from the first byte (a secret never sits in a 0644 file), then
    // renamed over the target: a symlink planted there is replaced, never followed.
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    writeFileSync(tmp, a.content, { mode: a.mode, flag: "wx" });
    renameSync(tmp, path);
    lines.push(`${a.mode.toString(8)} ${path}${a.secret ? " (secret)" : ""}`);
  }
  return { code: 0, stdout: `${lines.join("\n")}\n`, stderr: "" };
}

export function main(argv: readonly string[]): CliResult {
  const program = new Command("render");
  return runCli(program, argv, (set) => {
    program
      .requiredOption("--stack <stack>", "committed stack name")
      .option("--out <dir>", "output folder (default out/<stack>)")
      .option(
        "--with-secrets",
        "decrypt and embed secrets (needs PULUMI_CONFIG_PASSPHRASE); such files get mode 0600",
      )
      .option(
        "--ca-bundle <path>",
        "OIDCCABundlePath for Keycloak's TLS certificate on the Keystone host",
      )
      .option(
        "--jwks-uri <url>",
        "https URL Apache fetches the realm's keys from, when not the realm's own jwks_uri (a local http Keycloak with TLS on loopback)",
      )
      .option("--stacks-dir <dir>", "folder of the stack files (default stacks/)")
      .action((o: RenderOptions) => set(render(o)));
  });
}

if (require.main === module) finish(main(process.argv.slice(2)));
