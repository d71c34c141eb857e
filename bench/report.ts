/** Turns the results into the stdout table and the JSON files; no measuring here. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult, SharedRunResult } from './measure';
import type { MemorySample } from './server-process';

/** Issue 14's targets: the concurrency-16 throughput row, APPROVE's median, and the ten exercises. */
export const THROUGHPUT_TARGET = { concurrency: 16, eventsPerSecond: 1000, fixedRatio: 0.3, fixedRatioGoal: 0.5 };
export const APPROVE_TARGET_MS = 3;
export const EXERCISES_TARGET = { totalRatio: 1.5, minShareOfFair: 0.5 };

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
}

export interface ThroughputLevel {
  concurrency: number;
  http: RunResult;
  /** The app's own statements sent directly (bench/sql.ts): what the app adds on top of its SQL. */
  sql: RunResult;
  /** HTTP events/s ÷ mirrored-SQL events/s (1 = no overhead). */
  ratio: number;
  /** The fixed script (bench/fixed-baseline.ts): lock, update, append, commit, whatever the app does. */
  fixed: RunResult;
  /** HTTP events/s ÷ fixed-script events/s: how far the app is from the machine. */
  fixedRatio: number;
  /** Only the concurrency-16 row has a target; null elsewhere. */
  targetMet: boolean | null;
}

export interface ExercisesResult {
  exercises: number;
  /** Total workers, spread over the exercises as `workers` says. */
  concurrency: number;
  workers: number[];
  http: SharedRunResult;
  /** The fixed script's events/s at the same concurrency in this run (it has no exercises). */
  fixedPerSecond: number;
  /** The one-exercise HTTP events/s at the same concurrency in this run. */
  oneExercisePerSecond: number;
  /** Total events/s ÷ one exercise's. */
  ratio: number;
  /** Each exercise's events ÷ its fair share (its workers' part of the total). */
  shareOfFair: number[];
  minShareOfFair: number;
  targetMet: boolean;
}

export interface ApproveResult {
  http: RunResult;
  sql: RunResult;
  /** HTTP median ÷ SQL median: how many times longer the API takes (1 = no overhead). */
  ratio: number;
  targetMet: boolean;
}

export interface Results {
  generatedAt: string;
  machine: Machine;
  settings: Record<string, unknown>;
  throughput: ThroughputLevel[];
  /** With several server processes, the same run first on one (its warm-up uncounted), for comparison. */
  oneProcess?: { concurrency: number; http: RunResult; fixedRatio: number } | null;
  exercises: ExercisesResult;
  approve: ApproveResult;
  /** The server's memory after a forced GC, after the warm-up and at the end of the run. */
  memory: { afterWarmup: MemorySample; end: MemorySample };
  /** Every acknowledged record in the database was counted as a success, and no more. */
  sanity: { acknowledgedExpected: number; acknowledgedInDatabase: number };
}

export const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Left-aligns the first column and right-aligns the rest. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
    .join('\n');
}

function failures(label: string, r: RunResult): string[] {
  return Object.entries(r.failures).map(([message, count]) => `  ! ${label}: ${count} × ${message}`);
}

const met = (ok: boolean | null) => (ok === null ? '' : ok ? 'met' : 'NOT met');

export function machineLine(m: Machine): string {
  return `machine: ${m.cpus} × ${m.cpuModel}, ${f(m.memoryGiB)} GiB, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres}`;
}

export function formatReport(r: Results): string {
  const ex = r.exercises;
  const a = r.approve;
  const rows: string[][] = [
    [
      'scenario',
      'conc',
      'ev/s',
      'p50 ms',
      'p95 ms',
      'fixed ev/s',
      'ev/s÷fixed',
      'SQL ev/s',
      'SQL p50',
      'ev/s÷SQL',
      'target',
      'failed',
    ],
    ...(r.oneProcess
      ? [
          [
            'ACKNOWLEDGE, 1 exercise, 1 process',
            String(r.oneProcess.concurrency),
            f(r.oneProcess.http.perSecond),
            f(r.oneProcess.http.p50Ms, 2),
            f(r.oneProcess.http.p95Ms, 2),
            '',
            f(r.oneProcess.fixedRatio, 2),
            '',
            '',
            '',
            '',
            String(r.oneProcess.http.failed),
          ],
        ]
      : []),
    ...r.throughput.map((t) => [
      'ACKNOWLEDGE, 1 exercise',
      String(t.concurrency),
      f(t.http.perSecond),
      f(t.http.p50Ms, 2),
      f(t.http.p95Ms, 2),
      f(t.fixed.perSecond),
      f(t.fixedRatio, 2),
      f(t.sql.perSecond),
      f(t.sql.p50Ms, 2),
      f(t.ratio, 2),
      met(t.targetMet),
      `${t.http.failed}/${t.sql.failed}/${t.fixed.failed}`,
    ]),
    [
      `ACKNOWLEDGE, ${ex.exercises} exercises`,
      String(ex.concurrency),
      f(ex.http.perSecond),
      f(ex.http.p50Ms, 2),
      f(ex.http.p95Ms, 2),
      f(ex.fixedPerSecond),
      f(ex.http.perSecond / ex.fixedPerSecond, 2),
      '',
      '',
      '',
      met(ex.targetMet),
      String(ex.http.failed),
    ],
    [
      `APPROVE (publication to ${String(r.settings.recipients)})`,
      '1',
      f(a.http.perSecond),
      f(a.http.p50Ms, 2),
      f(a.http.p95Ms, 2),
      '',
      '',
      f(a.sql.perSecond),
      f(a.sql.p50Ms, 2),
      f(a.http.perSecond / a.sql.perSecond, 2),
      met(a.targetMet),
      `${a.http.failed}/${a.sql.failed}`,
    ],
  ];
  const growth = (pick: (m: MemorySample) => number) =>
    `${f((100 * (pick(r.memory.end) - pick(r.memory.afterWarmup))) / pick(r.memory.afterWarmup))} %`;
  const out = [
    `notice-simulator benchmark, ${r.generatedAt}`,
    machineLine(r.machine),
    `settings: ${Object.entries(r.settings)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ')}`,
    '',
    table(rows),
    ...r.throughput.flatMap((t) => [
      ...failures(`HTTP c=${t.concurrency}`, t.http),
      ...failures(`SQL c=${t.concurrency}`, t.sql),
      ...failures(`fixed c=${t.concurrency}`, t.fixed),
    ]),
    ...(r.oneProcess ? failures('HTTP one process', r.oneProcess.http) : []),
    ...failures(`HTTP ${ex.exercises} exercises`, ex.http),
    ...failures('HTTP APPROVE', a.http),
    ...failures('SQL APPROVE', a.sql),
    '',
    'ev/s: HTTP 200s per second; p50/p95: their latency. fixed: the fixed script of bench/fixed-baseline.ts (lock the',
    'notice row, update it, append a history row, commit), which never follows the app. SQL: the statements the app sends,',
    'sent directly (bench/sql.ts). failed: HTTP/SQL/fixed. The server runs as `processes` processes (WORKERS); the',
    '"1 process" row, measured first, is the same run on one, against the fixed script of the row at its concurrency.',
    `targets: ACKNOWLEDGE at c=${THROUGHPUT_TARGET.concurrency} ≥ ${THROUGHPUT_TARGET.eventsPerSecond} ev/s and ≥ ${THROUGHPUT_TARGET.fixedRatio} of fixed ` +
      `(goal ${THROUGHPUT_TARGET.fixedRatioGoal}); APPROVE median < ${APPROVE_TARGET_MS} ms; ${ex.exercises} exercises ≥ ` +
      `${EXERCISES_TARGET.totalRatio} × one exercise at the same concurrency, none under ${EXERCISES_TARGET.minShareOfFair} of its fair share.`,
    `${ex.exercises} exercises: ${f(ex.ratio, 2)} × one exercise (${f(ex.http.perSecond)} vs ${f(ex.oneExercisePerSecond)} ev/s at c=${ex.concurrency}); ` +
      `min share ÷ fair share ${f(ex.minShareOfFair, 2)} (workers per exercise ${ex.workers.join('/')}; ` +
      `shares ÷ fair ${ex.shareOfFair.map((s) => f(s, 2)).join(' ')})`,
    `server memory after a forced GC, after warm-up → end: RSS ${mib(r.memory.afterWarmup.rss)} → ${mib(r.memory.end.rss)} (${growth((m) => m.rss)}), ` +
      `heap used ${mib(r.memory.afterWarmup.heapUsed)} → ${mib(r.memory.end.heapUsed)} (${growth((m) => m.heapUsed)}); ` +
      'the five-minute figure is `npm run bench:soak`',
    `sanity: ${r.sanity.acknowledgedInDatabase} acknowledged records in the database, ${r.sanity.acknowledgedExpected} counted as successes` +
      (r.sanity.acknowledgedInDatabase === r.sanity.acknowledgedExpected ? ' (ok)' : ' (MISMATCH)'),
  ];
  return out.join('\n');
}

const RESULTS_DIR = path.join(__dirname, 'results');

/**
 * Writes `bench/results/<prefix><YYYY-MM-DD>.json` (committed: the record of a day's run, with the
 * machine and versions inside) and `bench/results/latest<suffix>.json` (git ignores it); returns both paths.
 */
export async function writeJson(results: { generatedAt: string }, prefix = ''): Promise<string[]> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const body = `${JSON.stringify(results, null, 2)}\n`;
  const files = [
    path.join(RESULTS_DIR, `${prefix}${results.generatedAt.slice(0, 10)}.json`),
    path.join(RESULTS_DIR, `${prefix ? `latest-${prefix.replace(/-$/, '')}` : 'latest'}.json`),
  ];
  for (const file of files) await writeFile(file, body);
  return files;
}
