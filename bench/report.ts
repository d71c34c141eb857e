/** Turns the results into the stdout table and the JSON file; no measuring here. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult } from './measure';

export const APPROVE_TARGET_MS = 20;
export const THROUGHPUT_TARGET_RATIO = 0.5;

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
  sql: RunResult;
  /** HTTP events/s ÷ SQL events/s: the share of the baseline the API reaches (1 = no overhead). */
  ratio: number;
  /** The fixed script (bench/fixed-baseline.ts): lock, update, append, commit, whatever the app does. */
  fixed: RunResult;
  /** HTTP events/s ÷ fixed-script events/s: how far the app is from the machine. */
  fixedRatio: number;
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
  approve: ApproveResult;
  /** Every acknowledged record in the database was counted as a success, and no more. */
  sanity: { acknowledgedExpected: number; acknowledgedInDatabase: number };
}

const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

/** Left-aligns the first column and right-aligns the rest. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

function failures(label: string, r: RunResult): string[] {
  return Object.entries(r.failures).map(([message, count]) => `  ! ${label}: ${count} × ${message}`);
}

export function formatReport(r: Results): string {
  const m = r.machine;
  const out = [
    `notice-simulator benchmark, ${r.generatedAt}`,
    `machine: ${m.cpus} × ${m.cpuModel}, ${f(m.memoryGiB)} GiB, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres}`,
    `settings: ${Object.entries(r.settings).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`,
    '',
    `Event throughput: circulation ACKNOWLEDGE, each a state change on a distinct record (target: HTTP ≥ ${THROUGHPUT_TARGET_RATIO} × SQL)`,
    table([
      ['concurrency', 'HTTP ev/s', 'p50 ms', 'p95 ms', 'SQL ev/s', 'p50 ms', 'p95 ms', 'HTTP/SQL', 'target', 'fixed ev/s', 'HTTP/fixed', 'failed'],
      ...r.throughput.map((t) => [
        String(t.concurrency),
        f(t.http.perSecond),
        f(t.http.p50Ms, 2),
        f(t.http.p95Ms, 2),
        f(t.sql.perSecond),
        f(t.sql.p50Ms, 2),
        f(t.sql.p95Ms, 2),
        f(t.ratio, 2),
        t.targetMet ? 'met' : 'NOT met',
        f(t.fixed.perSecond),
        f(t.fixedRatio, 2),
        `${t.http.failed}/${t.sql.failed}/${t.fixed.failed}`,
      ]),
    ]),
    ...r.throughput.flatMap((t) => [
      ...failures(`HTTP c=${t.concurrency}`, t.http),
      ...failures(`SQL c=${t.concurrency}`, t.sql),
      ...failures(`fixed c=${t.concurrency}`, t.fixed),
    ]),
    'fixed: the fixed script of bench/fixed-baseline.ts (lock the notice row, update it, append a history row), which never follows the app',
    '',
    `APPROVE with its ${r.settings.recipients}-record fan-out, sequential (target: HTTP median < ${APPROVE_TARGET_MS} ms)`,
    table([
      ['', 'n', 'median ms', 'p95 ms', 'failed'],
      ['HTTP', String(r.approve.http.ok), f(r.approve.http.p50Ms, 2), f(r.approve.http.p95Ms, 2), String(r.approve.http.failed)],
      ['SQL', String(r.approve.sql.ok), f(r.approve.sql.p50Ms, 2), f(r.approve.sql.p95Ms, 2), String(r.approve.sql.failed)],
      ['HTTP/SQL', '', f(r.approve.ratio, 2), '', ''],
    ]),
    ...failures('HTTP APPROVE', r.approve.http),
    ...failures('SQL APPROVE', r.approve.sql),
    `target ${r.approve.targetMet ? 'met' : 'NOT met'}: HTTP median ${f(r.approve.http.p50Ms, 2)} ms vs ${APPROVE_TARGET_MS} ms`,
    '',
    `sanity: ${r.sanity.acknowledgedInDatabase} acknowledged records in the database, ${r.sanity.acknowledgedExpected} counted as successes` +
      (r.sanity.acknowledgedInDatabase === r.sanity.acknowledgedExpected ? ' (ok)' : ' (MISMATCH)'),
  ];
  return out.join('\n');
}

export async function writeJson(results: Results, file = path.join(__dirname, 'results', 'latest.json')): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
