/**
 * Pulumi's passphrase secrets provider, for example stack files and tests: AES-256-GCM with a key
 * from PBKDF2-SHA256 (1,000,000 iterations) over the passphrase and the stack's salt. Values read
 * `v1:<nonce b64>:<ciphertext+tag b64>`; a stack's `encryptionsalt` is `v1:<salt b64>:` followed by
 * the encryption of the word "pulumi", which lets Pulumi check the passphrase.
 */
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "node:crypto";

const keyCache = new Map<string, Buffer>();

function keyFor(passphrase: string, salt: Buffer): Buffer {
  const id = `${salt.toString("base64")}\u0000${passphrase}`;
  let key = keyCache.get(id);
  if (!key) {
    key = pbkdf2Sync(passphrase, salt, 1_000_000, 32, "sha256");
    keyCache.set(id, key);
  }
  return key;
}

export function encryptValue(key: Buffer, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const body = Buffer.concat([
    cipher.update(plaintext, "utf8"),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return `v1:${nonce.toString("base64")}:${body.toString("base64")}`;
}

export function decryptValue(key: Buffer, value: string): string {
  const [version, nonceB64, bodyB64] = value.split(":");
  if (version !== "v1" || nonceB64 === undefined || bodyB64 === undefined)
    throw new Error("not a v1 passphrase-encrypted value");
  const body = Buffer.from(bodyB64, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonceB64, "base64"));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([
    decipher.update(body.subarray(0, body.length - 16)),
    decipher.final(),
  ]).toString("utf8");
}

/** A new `encryptionsalt` and the key it implies. */
export function newSalt(passphrase: string): { encryptionsalt: string; key: Buffer } {
  const salt = randomBytes(8);
  const key = keyFor(passphrase, salt);
  return { encryptionsalt: `v1:${salt.toString("base64")}:${encryptValue(key, "pulumi")}`, key };
}

/** The key of an existing `encryptionsalt`; throws when the passphrase is wrong. */
export function keyFromSalt(passphrase: string, encryptionsalt: string): Buffer {
  const [version, saltB64, ...check] = encryptionsalt.split(":");
  if (version !== "v1" || saltB64 === undefined) throw new Error("unsupported encryptionsalt");
  const key = keyFor(passphrase, Buffer.from(saltB64, "base64"));
  if (decryptValue(key, check.join(":")) !== "pulumi") throw new Error("incorrect passphrase");
  return key;
}
