/**
 * A bounded concurrent login load for the login benchmark: WORKERS users, each logging in again as
 * soon as the last login ended, for SECONDS. One login is the federated authentication (a fresh JWT
 * through Apache + mod_auth_openidc + Keystone's mapping: the unscoped token) and then the project
 * scope; both are timed apart.
 */
import { performance } from "node:perf_hooks";

export interface LoginTimes {
  /** JWT -> unscoped token: the request the mapping is evaluated on. */
  readonly federated: number;
  /** Federated login plus the project-scoped token. */
  readonly total: number;
}

export interface LoadResult {
  readonly logins: number;
  readonly errors: number;
  readonly seconds: number;
  readonly times: LoginTimes[];
  /** The first error's description, if any. */
  readonly firstError?: string;
}

/** One login; resolves with its times, or throws with what failed. */
export type Login = () => Promise<LoginTimes>;

export async function runLoad(login: Login, workers: number, seconds: number): Promise<LoadResult> {
  const times: LoginTimes[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const end = start + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      try {
        times.push(await login());
      } catch (e) {
        errors++;
        firstError ??= e instanceof Error ? e.message : String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  const elapsed = (performance.now() - start) / 1000;
  return {
    logins: times.length,
    errors,
    seconds: elapsed,
    times,
    ...(firstError !== undefined ? { firstError } : {}),
  };
}

/** The p-th percentile (nearest rank) of xs. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export interface Summary {
  readonly logins: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly federated: { p50: number; p95: number; p99: number };
  readonly total: { p50: number; p95: number; p99: number };
}

/** Summarises several runs of the same phase as one. */
export function summarise(runs: readonly LoadResult[]): Summary {
  const times = runs.flatMap((r) => r.times);
  const of = (pick: (t: LoginTimes) => number) => {
    const xs = times.map(pick);
    return { p50: percentile(xs, 50), p95: percentile(xs, 95), p99: percentile(xs, 99) };
  };
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  return {
    logins: times.length,
    errors: runs.reduce((n, r) => n + r.errors, 0),
    perSecond: times.length / seconds,
    federated: of((t) => t.federated),
    total: of((t) => t.total),
  };
}
