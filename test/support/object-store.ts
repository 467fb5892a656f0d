/**
 * A real object store for the state-backend suite: OpenStack Swift from Debian's packages with its
 * S3 API (scripts/swift.sh), on loopback, read back through the S3 API with the AWS SDK and on disk.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { notStarted, REPO } from "./keystone-service";

const SWIFT_SH = join(REPO, "scripts", "swift.sh");
const STATE_URL_SH = join(REPO, "scripts", "state-url.sh");
/** The tempauth user scripts/swift.sh creates: account `okf`, user `state`. */
const ACCESS_KEY = "okf:state";

export interface ObjectStore {
  readonly endpoint: string;
  readonly bucket: string;
  /** What an operator exports for scripts/pulumi.sh: the bucket, the endpoint, the credentials. */
  readonly cliEnv: Record<string, string>;
  /** The backend URL scripts/state-url.sh makes from cliEnv (the form the workflows use). */
  readonly backendUrl: string;
  readonly secretKey: string;
  /** Every object in the bucket: key -> content. */
  objects(prefix?: string): Promise<Map<string, string>>;
  /** Every object file Swift keeps on its device, raw. */
  rawDataFiles(): string[];
  stop(): void;
  start(): void;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

/** Starts Swift in `dir` on `port` with `bucket` created; undefined (with a reason) outside CI. */
export async function startObjectStore(
  dir: string,
  port: number,
  bucket: string,
): Promise<ObjectStore | undefined> {
  const stop = () => void spawnSync("bash", [SWIFT_SH, "stop", dir], { stdio: "ignore" });
  const start = () =>
    void execFileSync("bash", [SWIFT_SH, "start", dir, String(port)], {
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 600_000,
    });
  try {
    stop();
    spawnSync("rm", ["-rf", dir]);
    start();
    const endpoint = `http://127.0.0.1:${port}`;
    const secretKey = readFileSync(join(dir, "secret-key"), "utf8");
    const s3 = new S3Client({
      endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: secretKey },
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const cliEnv = {
      OKF_STATE_BUCKET: bucket,
      OKF_STATE_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: secretKey,
    };
    const backendUrl = execFileSync("bash", [STATE_URL_SH], {
      env: { ...process.env, ...cliEnv },
      encoding: "utf8",
    }).trim();
    return {
      endpoint,
      bucket,
      cliEnv,
      backendUrl,
      secretKey,
      objects: async (prefix) => {
        const out = new Map<string, string>();
        let token: string | undefined;
        do {
          const page = await s3.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
          );
          for (const o of page.Contents ?? []) {
            const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
            out.set(o.Key!, (await got.Body?.transformToString()) ?? "");
          }
          token = page.NextContinuationToken;
        } while (token);
        return out;
      },
      rawDataFiles: () => listFiles(join(dir, "srv")).filter((f) => f.endsWith(".data")),
      stop,
      start,
    };
  } catch (e) {
    stop();
    return notStarted("the object store (Swift with s3api)", e, 600);
  }
}
