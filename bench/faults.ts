/**
 * `npm run bench:faults`: how long a request waits, and what it is answered, while PostgreSQL refuses
 * connections or stops answering (packets unanswered), with the server's default limits; and whether
 * a write answered 503 was applied once the network is back. PostgreSQL from DATABASE_URL (default
 * postgresql://postgres@127.0.0.1:5432/postgres), in a scratch database of its own, behind the tests'
 * TCP proxy. Before issue 13 both faults answered 500 or waited as long as the outage.
 */
import pino from 'pino';
import { Client } from 'pg';
import request from 'supertest';
import { openMigratedDatabase } from '../src/db/database';
import { DEFAULT_DATABASE_TIMEOUTS } from '../src/db/database-timeouts';
import { buildServices } from '../src/server';
import { bearer, createExercise, redRequest } from '../test/support/fixtures';
import { startTcpProxy } from '../test/support/tcp-proxy';

async function main(): Promise<void> {
  const server = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  const name = `notice_faults_${process.pid}`;
  const admin = new Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(server);
  target.pathname = `/${name}`;
  const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  const db = await openMigratedDatabase({ databaseUrl: proxy.url(target.toString()), poolSize: 4 });
  try {
    const http = request(buildServices(db, pino({ level: 'silent' }), { authFailureLimit: 1_000_000 }).app);
    const ex = await createExercise(http, ['MC']);
    const ncb = bearer(ex.tokens['ncb:MC']!);
    const direct = new Client({ connectionString: target.toString() });
    await direct.connect();
    const stored = async () => Number((await direct.query<{ n: string }>('SELECT count(*) AS n FROM notices')).rows[0]!.n);
    const timed = async (send: () => request.Test) => {
      const started = performance.now();
      const res = await send();
      return { ms: Math.round(performance.now() - started), status: res.status, code: res.body?.error?.code ?? '' };
    };
    const read = () => http.get(`/api/exercises/${ex.id}/notices`).set(ncb);
    const write = () => http.post(`/api/exercises/${ex.id}/notices`).set(ncb).send(redRequest());
    console.log(`limits: ${JSON.stringify(DEFAULT_DATABASE_TIMEOUTS)} (ms)`);
    console.log('| fault | request | answer | after (ms) | applied after the network is back |');
    console.log('|---|---|---|---|---|');
    for (const fault of ['refused', 'blackholed'] as const) {
      await read().expect(200);
      if (fault === 'refused') await proxy.refuse();
      else proxy.blackhole();
      const before = await stored();
      const r = await timed(read);
      const w = await timed(write);
      await proxy.heal();
      // Long enough for the server's own limits to roll back anything a dead network left open.
      await new Promise((resolve) => setTimeout(resolve, DEFAULT_DATABASE_TIMEOUTS.transactionMs + 2_000));
      const applied = (await stored()) - before;
      console.log(`| ${fault} | read | ${r.status} ${r.code} | ${r.ms} | |`);
      console.log(`| ${fault} | create a notice | ${w.status} ${w.code} | ${w.ms} | ${applied} |`);
    }
    await direct.end();
  } finally {
    await db.close();
    await proxy.close();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
