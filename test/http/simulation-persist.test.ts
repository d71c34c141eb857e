import pino from 'pino';
import request from 'supertest';
import { getInitialSnapshot, transition, type AnyMachineSnapshot } from 'xstate';
import { parse as parseYaml } from 'yaml';
import { noticeMachineFor, type NoticeEvent } from '../../src/notices/notice-machine';
import type { NoticeType } from '../../src/notices/notice-types';
import { createHeatStore } from '../../src/diagrams/heat-store';
import { exerciseHeat } from '../../src/diagrams/heatmap';
import { createNoticeStore } from '../../src/notices/notice-store';
import { buildServices, type Services } from '../../src/server';
import { parseModel, shippedModelText } from '../../src/simulation/model';
import { persistReplication, type Persisted } from '../../src/simulation/persist';
import { replicate } from '../../src/simulation/run';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { bearer } from '../support/fixtures';

/** interpol-2024 at a twentieth of its arrivals, with a one-year warm-up: a thousand notices or so. */
function smallModel() {
  const data = parseYaml(shippedModelText('interpol-2024')!) as Record<string, unknown>;
  const parsed = parseModel(data, {
    warmUpFrom: '2023-01-01',
    arrivals: { red: { issued: { '2024': 700 } }, yellow: { issued: { '2023': 150 } } },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.model;
}

interface EventRow {
  notice_id: string;
  seq: number;
  type: string;
  actor_role: string;
  actor_country: string | null;
  from_state: string | null;
  to_state: string;
  country: string | null;
  at: Date;
  payload: Record<string, unknown>;
  exercise_seq: string;
}

/** What the API's transition adds to an event's fields in the history; the rest is the event as sent. */
const ADDED = ['failingChecks', 'recipientCount', 'deadline', 'closedRecords'];

function eventOf(row: EventRow): NoticeEvent {
  const fields = Object.fromEntries(Object.entries(row.payload).filter(([key]) => !ADDED.includes(key)));
  const actor = row.actor_country ? { role: row.actor_role, country: row.actor_country } : { role: row.actor_role };
  return { ...fields, type: row.type, actor, at: row.at.toISOString() } as unknown as NoticeEvent;
}

describe.each(databaseKinds())('a simulated year persisted as an exercise [%s]', (kind) => {
  let services: Services;
  let persisted: Persisted;

  beforeAll(async () => {
    services = buildServices(await openTestDatabase(kind), pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
    const spec = { model: smallModel(), years: 1, seed: 7, modelName: 'small' };
    persisted = await persistReplication({ prisma: services.db.prisma, exercises: services.exercises }, spec, {
      batchSize: 150,
    });
  }, 120_000);
  afterAll(() => services?.db.close());

  const exerciseId = () => persisted.exercise.exercise.id;

  it('leaves no exercise behind when the writing stops half-way', async () => {
    const counts = async () => [await services.db.prisma.exercise.count(), await services.db.prisma.notice.count()];
    const before = await counts();
    let batches = 0;
    const spec = { model: smallModel(), years: 1, seed: 8, modelName: 'small' };
    const stopped = persistReplication({ prisma: services.db.prisma, exercises: services.exercises }, spec, {
      batchSize: 150,
      onProgress: () => {
        // The third batch written, the caller gives up (an interrupted command does the same).
        if (++batches === 3) throw new Error('stopped half-way');
      },
    });
    await expect(stopped).rejects.toThrow('stopped half-way');
    expect(batches).toBeGreaterThanOrEqual(3);
    // Neither the exercise nor any of the notices its first batches wrote.
    expect(await counts()).toEqual(before);
  }, 60_000);
  const query = <T>(sql: string) => services.db.prisma.$queryRawUnsafe<T[]>(sql, exerciseId());

  it('replays every notice’s history, through the API’s machines, to the state and snapshot stored', async () => {
    const notices = await query<{
      id: string;
      type: NoticeType;
      state: string;
      snapshot: any;
      version: number;
      last_seq: number;
    }>(`SELECT id, type, state, snapshot, version, last_seq FROM notices WHERE exercise_id = $1::uuid`);
    const events = await query<EventRow>(
      `SELECT * FROM notice_events WHERE exercise_id = $1::uuid ORDER BY notice_id, seq`,
    );
    const records = await query<{ notice_id: string; country: string; state: string }>(
      `SELECT c.notice_id, c.country, c.state FROM circulation_records c JOIN notices n ON n.id = c.notice_id
        WHERE n.exercise_id = $1::uuid`,
    );
    expect(notices.length).toBe(persisted.notices);
    expect(notices.length).toBeGreaterThan(500);
    const byNotice = new Map<string, EventRow[]>();
    for (const e of events) byNotice.set(e.notice_id, [...(byNotice.get(e.notice_id) ?? []), e]);
    const storedRecords = new Map(records.map((r) => [`${r.notice_id}/${r.country}`, r.state]));
    let moves = 0;
    for (const notice of notices) {
      const history = byNotice.get(notice.id)!;
      expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
      expect(notice.last_seq).toBe(history.length);
      const machine = noticeMachineFor(notice.type);
      const [first, ...rest] = history.filter((e) => e.country === null);
      let snapshot: AnyMachineSnapshot =
        first!.type === 'IMPORTED'
          ? machine.resolveState(first!.payload.snapshot as never)
          : getInitialSnapshot(machine, {
              requestingCountry: first!.actor_country!,
              request: first!.payload.request as never,
            });
      expect(['IMPORTED', 'CREATE']).toContain(first!.type);
      for (const row of rest) {
        expect(String(snapshot.value)).toBe(row.from_state);
        const next = transition(machine, snapshot, eventOf(row))[0];
        expect(String(next.value)).toBe(row.to_state);
        snapshot = next;
        moves += 1;
      }
      expect(String(snapshot.value)).toBe(notice.state);
      expect(JSON.parse(JSON.stringify(snapshot.context))).toEqual(notice.snapshot.context);
      expect(notice.version).toBe(1 + rest.length);
      // Each record's entries chain from one state to the next, and end where its row is.
      const countries = new Set(history.flatMap((e) => (e.country ? [e.country] : [])));
      for (const country of countries) {
        const chain = history.filter((e) => e.country === country);
        chain.slice(1).forEach((e, i) => expect(e.from_state).toBe(chain[i]!.to_state));
        const last = chain[chain.length - 1]!.to_state;
        const stored = storedRecords.get(`${notice.id}/${country}`);
        expect(stored === last || (stored === 'closed' && notice.snapshot.context.publishedAt)).toBeTruthy();
      }
    }
    expect(moves).toBeGreaterThan(1000);
    expect(records.length).toBe(persisted.records);
  });

  it('numbers the exercise’s history in the order it happened, and opens on the stock of 1 January', async () => {
    const rows = await query<{ exercise_seq: string; at: Date; type: string }>(
      `SELECT exercise_seq, at, type FROM notice_events WHERE exercise_id = $1::uuid ORDER BY exercise_seq`,
    );
    expect(rows.map((r) => Number(r.exercise_seq))).toEqual(rows.map((_, i) => i + 1));
    rows.slice(1).forEach((r, i) => expect(r.at.getTime()).toBeGreaterThanOrEqual(rows[i]!.at.getTime()));
    const [exercise] = await query<{ last_event_seq: string; sim_start: Date; sim_epoch: Date; running: boolean }>(
      `SELECT last_event_seq, sim_start, sim_epoch, running FROM exercises WHERE id = $1::uuid`,
    );
    expect(Number(exercise!.last_event_seq)).toBe(rows.length);
    expect(exercise).toMatchObject({
      sim_start: new Date('2024-01-01'),
      sim_epoch: new Date('2025-01-01'),
      running: false,
    });
    const imported = rows.filter((r) => r.type === 'IMPORTED' && r.at.getTime() === Date.parse('2024-01-01'));
    const { figures } = persisted.result;
    // Kept with a log, the replication drew what it draws without one.
    expect(figures).toEqual(replicate({ model: smallModel(), years: 1, seed: 7 }, 0).figures);
    // The stock on the first day: the valid notices and those in review, each once (records besides).
    expect(imported.length).toBeGreaterThanOrEqual(figures.redValidAtStart + figures.yellowValidAtStart);
  });

  it('counts the heatmap in the database as the loaded notices and history count it', async () => {
    const notices = createNoticeStore(services.db.prisma);
    const reader = { role: 'observer' } as const;
    const [all, history, records] = await Promise.all([
      notices.list(exerciseId(), { run: 1, reader, limit: 1_000_000, offset: 0 }),
      notices.exerciseHistory(exerciseId(), 1),
      notices.recordCounts(exerciseId(), 1),
    ]);
    const heat = createHeatStore(services.db.prisma);
    for (const machine of ['notice-red', 'notice-yellow', 'circulation'] as const) {
      const counted = await heat.heat(exerciseId(), 1, machine, reader);
      expect(counted).toEqual(exerciseHeat(machine, all, history, records));
      expect(Object.keys(counted.transitions).length).toBeGreaterThan(3);
    }
    // Over HTTP, the facilitator's heatmap of this exercise is the database's count.
    const http = request(services.app);
    const red = await http
      .get(`/api/exercises/${exerciseId()}/heatmap?machine=notice-red`)
      .set(bearer(persisted.exercise.facilitatorToken))
      .expect(200);
    const byState = Object.fromEntries(
      red.body.states.map((s: { state: string; count: number }) => [s.state, s.count]),
    );
    expect(byState.published).toBe((await heat.heat(exerciseId(), 1, 'notice-red', reader)).states.published);
  });

  it('serves the exercise to its facilitator as any other: notices, the figures of the year, the debrief', async () => {
    const http = request(services.app);
    const token = persisted.exercise.facilitatorToken;
    const published = await http
      .get(`/api/exercises/${exerciseId()}/notices?state=published&limit=1`)
      .set(bearer(token))
      .expect(200);
    expect(published.body.items).toHaveLength(1);
    const [counted] = await query<{ issued: number }>(
      `SELECT count(*)::int AS issued FROM notice_events e JOIN notices n ON n.id = e.notice_id
        WHERE e.exercise_id = $1::uuid AND e.type = 'APPROVE' AND n.type = 'RED'`,
    );
    expect(counted!.issued).toBe(persisted.result.figures.redIssued);
    const history = await http.get(`/api/notices/${published.body.items[0].id}/history`).set(bearer(token)).expect(200);
    expect(history.body.items[0].type).toMatch(/^(IMPORTED|CREATE)$/);
    // The debrief of so many notices: totals and distributions, no lane per notice.
    const report = await http.get(`/api/exercises/${exerciseId()}/report`).set(bearer(token)).expect(200);
    const { aggregates, summary } = report.body;
    expect(summary.notices).toBe(persisted.notices);
    expect(report.body.exercise.start).toBe('2024-01-01T00:00:00.000Z');
    expect(report.body.timeline).toEqual([]);
    expect(aggregates.byState.reduce((sum: number, row: { count: number }) => sum + row.count, 0)).toBe(
      persisted.notices,
    );
    const { figures } = persisted.result;
    expect(aggregates.submissionToPublication.count).toBeGreaterThan(0);
    // Those submitted in the year and published in it; some published in it were submitted before.
    expect(aggregates.submissionToPublication.count).toBeLessThanOrEqual(figures.redIssued + figures.yellowIssued);
    expect(aggregates.submissionToPublication.days.reduce((a: number, b: number) => a + b, 0)).toBe(
      aggregates.submissionToPublication.count,
    );
    expect(summary.refusals.total).toBe(
      figures.redRefused + figures.yellowRefused + figures.redRefusedBySystem + figures.yellowRefusedBySystem,
    );
    expect(summary.refusals.byGround.ARTICLE_3).toBe(figures.refusedArticle3);
    const page = await http.get(`/api/exercises/${exerciseId()}/report?format=html`).set(bearer(token)).expect(200);
    expect(page.text).toContain('At this scale');
    expect(page.text).toContain('From submission to publication');
    expect(page.text.match(/<svg/g)?.length).toBe(2);
  }, 120_000);
});
