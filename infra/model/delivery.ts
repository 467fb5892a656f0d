/**
 * Which rendered files go to which delivery target, and the content hash that re-triggers a copy
 * (and the reload) only when a file changes. Pure.
 */
import { createHash } from "node:crypto";
import type { DeliveryTargetSpec } from "./types";
import type { Artifact } from "./artifacts";

export interface DeliveryFile {
  /** Absolute path on the target. */
  readonly destination: string;
  readonly artifact: Artifact;
}

export function filesFor(
  target: DeliveryTargetSpec,
  artifacts: readonly Artifact[],
): DeliveryFile[] {
  return artifacts
    .filter((a) => target.artifacts.some((folder) => a.path.startsWith(`${folder}/`)))
    .map((a) => ({
      destination: `${target.directory.replace(/\/+$/, "")}/${a.path}`,
      artifact: a,
    }));
}

export function contentHash(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

/** A shell command that writes stdin to `path` with `mode`, creating folders (POSIX `install`). */
export function installCommand(path: string, mode: number): string {
  const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  return `install -D -m ${mode.toString(8)} /dev/stdin ${q(path)}`;
}
