/** Timing helpers: a fixed-size worker pool over a fixed job list, and percentiles. */

export interface RunResult {
  /** Jobs that succeeded (HTTP 200, or a committed SQL transaction). */
  ok: number;
  failed: number;
  /** Wall time from the first job started to the last one finished. */
  seconds: number;
  /** Successful jobs per second of wall time. */
  perSecond: number;
  /** Latency of the successful jobs, in milliseconds. */
  p50Ms: number;
  p95Ms: number;
  /** Failure messages and how often each occurred, so a failing run is visible rather than just slower. */
  failures: Record<string, number>;
}

/** Nearest-rank percentile of an ascending list; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Runs `count` jobs with at most `concurrency` in flight (a closed loop: each worker starts its next job
 * when the previous one ends). Workers stop taking jobs after `maxSeconds`, so a slow run ends anyway.
 */
export async function runConcurrent(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
  maxSeconds = Number.POSITIVE_INFINITY,
): Promise<RunResult> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      const index = next++;
      const t0 = performance.now();
      try {
        await job(index);
        latencies.push(performance.now() - t0);
      } catch (error) {
        const key = error instanceof Error ? error.message.slice(0, 120) : String(error);
        failures[key] = (failures[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const failed = Object.values(failures).reduce((a, b) => a + b, 0);
  return {
    ok: latencies.length,
    failed,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    failures,
  };
}

/** Maps with bounded parallelism, for setup work that is not measured; fails on the first error. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** One party of a shared run: its own workers, its own jobs. */
export interface Party {
  workers: number;
  job: (index: number) => Promise<void>;
}

export interface SharedRunResult extends RunResult {
  /** Successful jobs of each party, in the order given. */
  okByParty: number[];
}

/**
 * Runs several parties at once, each a closed loop of its own workers over its own jobs, until
 * `total` jobs have been started across all of them (or `maxSeconds`). No party is handed a quota:
 * how many jobs each finishes is what the server gave it, which is the share to compare.
 */
export async function runShared(
  parties: readonly Party[],
  total: number,
  maxSeconds = Number.POSITIVE_INFINITY,
): Promise<SharedRunResult> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const okByParty = parties.map(() => 0);
  const nextByParty = parties.map(() => 0);
  let started = 0;
  const t0 = performance.now();
  const deadline = t0 + maxSeconds * 1000;
  const worker = async (party: number) => {
    while (started < total && performance.now() < deadline) {
      started++;
      const index = nextByParty[party]!++;
      const t = performance.now();
      try {
        await parties[party]!.job(index);
        latencies.push(performance.now() - t);
        okByParty[party]!++;
      } catch (error) {
        const key = error instanceof Error ? error.message.slice(0, 120) : String(error);
        failures[key] = (failures[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(parties.flatMap((p, i) => Array.from({ length: Math.max(1, p.workers) }, () => worker(i))));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ok: latencies.length,
    failed: Object.values(failures).reduce((a, b) => a + b, 0),
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    failures,
    okByParty,
  };
}

/** Splits `total` workers over `parties` as evenly as whole workers allow (16 over 10: six get 2, four get 1). */
export function spreadWorkers(total: number, parties: number): number[] {
  return Array.from({ length: parties }, (_, i) => Math.floor(total / parties) + (i < total % parties ? 1 : 0));
}
