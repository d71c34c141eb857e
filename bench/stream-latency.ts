/**
 * Stream latency across processes: two server processes on the bench database, as behind a load
 * balancer; notices are created through one, one at a time, and the other's live stream is timed from
 * the write's answer to the message's arrival. The streams' poll is set to 60 s, so every message comes
 * through LISTEN/NOTIFY. Goal (issue 14): p95 under 100 ms.
 *
 * `npm run bench:stream`; BENCH_DATABASE_URL (dropped and recreated), BENCH_STREAM_EVENTS (default 200).
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { startBenchServer } from './bench-server';
import { MONACO_RED_REQUEST } from '../src/notices/example-requests';
import { createApi, createBenchExercise, tokenOf } from './api';
import { percentile } from './measure';
import { recreateDatabase } from './run';

const POLL_MS = 60_000;

interface Server {
  url: string;
  stop(): Promise<void>;
}

function startServer(databaseUrl: string): Promise<Server> {
  const child = fork(__filename, ['--serve'], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SERVER_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`benchmark server exited with code ${code}`)));
    child.once('message', (message: { url: string }) =>
      resolve({
        url: message.url,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      }),
    );
  });
}

async function serve(): Promise<void> {
  const server = await startBenchServer({ streamPollMs: POLL_MS });
  process.once('SIGTERM', () => {
    void server.stop().then(() => process.exit(0));
  });
  process.send?.({ url: server.url });
}

/** Opens the exercise's stream and calls `onEvent` with each notice-event's notice id and type as it arrives. */
function openStream(
  url: string,
  token: string,
  onEvent: (noticeId: string, type: string) => void,
): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!block.includes('event: notice-event')) continue;
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const parsed = JSON.parse(data.slice(6)) as { noticeId: string; type: string };
          onEvent(parsed.noticeId, parsed.type);
        }
      });
      resolve(() => req.destroy());
    });
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/notice_sim_bench';
  const events = Number(process.env.BENCH_STREAM_EVENTS || 200);
  if (!Number.isInteger(events) || events < 1) throw new Error(`BENCH_STREAM_EVENTS must be a positive integer`);
  await recreateDatabase(databaseUrl);
  // The first applies the migrations; the second then finds them applied.
  const writer = await startServer(databaseUrl);
  const reader = await startServer(databaseUrl);
  const api = createApi(writer.url);
  try {
    const ex = await createBenchExercise(api, ['MC']);
    const arrived = new Map<string, number>();
    const waiting = new Map<string, () => void>();
    const close = await openStream(
      `${reader.url}/api/exercises/${ex.id}/stream`,
      tokenOf(ex, 'gs'),
      (noticeId, type) => {
        if (type !== 'CREATE') return;
        arrived.set(noticeId, performance.now());
        waiting.get(noticeId)?.();
      },
    );
    const latencies: number[] = [];
    const ncb = tokenOf(ex, 'ncb:MC');
    // A few uncounted first, while both processes warm up.
    for (let i = -10; i < events; i++) {
      const { id } = await api.expect<{ id: string }>(201, `/api/exercises/${ex.id}/notices`, ncb, MONACO_RED_REQUEST);
      const answered = performance.now();
      const at =
        arrived.get(id) ??
        (await new Promise<number>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`notice ${id} never reached the other process's stream`)),
            POLL_MS / 2,
          );
          waiting.set(id, () => {
            clearTimeout(timer);
            resolve(arrived.get(id)!);
          });
        }));
      waiting.delete(id);
      // The message may come before the answer (the writer answers once its row is numbered, and the
      // notification leaves at that moment): counted as 0.
      if (i >= 0) latencies.push(Math.max(0, at - answered));
    }
    close();
    latencies.sort((x, y) => x - y);
    const f = (n: number) => n.toFixed(2);
    console.log(
      `stream latency across two processes (write answered by one → message on the other's stream), ${events} events`,
    );
    console.log(
      `p50 ${f(percentile(latencies, 50))} ms  p95 ${f(percentile(latencies, 95))} ms  max ${f(latencies.at(-1)!)} ms  (goal: under 100 ms)`,
    );
  } finally {
    api.close();
    await reader.stop();
    await writer.stop();
  }
}

if (process.argv.includes('--serve')) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
