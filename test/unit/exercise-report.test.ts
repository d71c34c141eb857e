import { buildExerciseReport, type ReportInput } from '../../src/reports/exercise-report';
import type { HistoryEntry, StoredNotice } from '../../src/notices/notice-store-type';
import { parseScenario, type Scenario } from '../../src/scenarios/scenario-schema';

const START = '2026-01-01T00:00:00.000Z';
const t = (hours: number) => new Date(Date.parse(START) + hours * 3_600_000);

function notice(id: string, state: string, type: 'RED' | 'YELLOW' = 'YELLOW'): StoredNotice {
  return {
    id,
    exerciseId: 'ex',
    type,
    state,
    requestingCountry: 'MC',
    run: 1,
    exerciseRun: 1,
    version: 1,
    snapshot: { value: state, context: {} } as never,
    publishedAt: null,
    expiresAt: null,
    lastEventAt: null,
    recipients: null,
    createdAt: t(0),
    updatedAt: t(0),
  };
}

let seq = 0;
function entry(noticeId: string, type: string, from: string | null, to: string, hours: number, extra: Partial<HistoryEntry> = {}): HistoryEntry & { noticeId: string } {
  seq += 1;
  return { noticeId, seq, type, actor: { role: 'ncb', country: 'MC' }, participantId: 'mc', from, to, country: null, at: t(hours), recordedAt: t(hours), payload: {}, ...extra };
}

function scenario(expectations: unknown[]): Scenario {
  const parsed = parseScenario(
    JSON.stringify({
      title: 'T',
      briefing: 'B',
      start: START,
      participants: [{ key: 'mc', role: 'ncb', country: 'MC' }],
      injects: [
        { at: 'PT0S', as: 'mc', create: { notice: 'a', request: { type: 'YELLOW', subject: { familyName: 'X', forename: 'Y', sex: 'female', dateOfBirth: '2016-01-01', nationalities: ['MC'] }, disappearance: { date: '2025-12-31', place: 'Monaco', country: 'MC', circumstances: 'Gone', policeReport: { reference: 'R', date: '2025-12-31' } } } } },
        { at: 'PT1H', as: 'mc', create: { notice: 'b', request: { type: 'YELLOW', subject: { familyName: 'X', forename: 'Z', sex: 'male', dateOfBirth: '2016-01-01', nationalities: ['MC'] }, disappearance: { date: '2025-12-31', place: 'Monaco', country: 'MC', circumstances: 'Gone', policeReport: { reference: 'R', date: '2025-12-31' } } } } },
      ],
      expectations,
    }),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.scenario;
}

function input(notices: StoredNotice[], history: (HistoryEntry & { noticeId: string })[], s: Scenario, nowHours: number): ReportInput {
  return {
    exercise: { id: 'ex', name: 'T', scenario: s },
    now: t(nowHours),
    participants: [{ id: 'mc', exerciseId: 'ex', role: 'ncb', country: 'MC', key: 'mc', name: null, createdAt: t(0), revokedAt: null }],
    notices,
    history,
    injects: [],
    noticeKeys: new Map([
      ['A', 'a'],
      ['B', 'b'],
    ]),
    records: new Map(),
  };
}

describe('the debrief report', () => {
  it('counts a location the requester reported on its own notice as the first location', () => {
    const history = [
      entry('A', 'CREATE', null, 'draft', 0),
      entry('A', 'SUBMIT', 'draft', 'submitted', 1),
      entry('A', 'START_REVIEW', 'submitted', 'under_review', 2, { actor: { role: 'gs' }, participantId: null }),
      entry('A', 'APPROVE', 'under_review', 'published', 3, { actor: { role: 'gs' }, participantId: null, payload: { recipients: 195 } }),
      entry('A', 'REPORT_LOCATED', 'published', 'located', 10),
    ];
    const report = buildExerciseReport(input([notice('A', 'located')], history, scenario([]), 20));
    expect(report.notices[0]).toMatchObject({ firstHitAt: t(10).toISOString(), firstHitCountry: 'MC', seconds: { publicationToFirstHit: 7 * 3600 } });
  });

  it('judges an expectation missed once its reference notice has ended without the reference event, pending before', () => {
    const s = scenario([
      { id: 'after-a', description: 'b is published within a day of a’s publication', notice: 'b', reaches: 'published', within: 'P1D', from: { notice: 'a', event: 'APPROVE' }, score: 5 },
    ]);
    const created = [entry('A', 'CREATE', null, 'draft', 0), entry('B', 'CREATE', null, 'draft', 1)];
    const open = buildExerciseReport(input([notice('A', 'draft'), notice('B', 'draft')], created, s, 5));
    expect(open.expectations[0]).toMatchObject({ outcome: 'pending', due: null });
    const refused = [...created, entry('A', 'SUBMIT', 'draft', 'submitted', 2), entry('A', 'REFUSE', 'submitted', 'refused', 3, { actor: { role: 'gs' }, participantId: null })];
    const ended = buildExerciseReport(input([notice('A', 'refused'), notice('B', 'draft')], refused, s, 5));
    expect(ended.expectations[0]).toMatchObject({ outcome: 'missed', due: null });
    expect(ended.summary).toMatchObject({ score: 0, maxScore: 5 });
  });

  it('judges late as missed, and in time as met, measured from the reference point', () => {
    const s = scenario([{ id: 'quick', description: 'a submitted within two hours', notice: 'a', happens: { type: 'SUBMIT' }, within: 'PT2H', score: 3 }]);
    const late = buildExerciseReport(input([notice('A', 'submitted')], [entry('A', 'CREATE', null, 'draft', 0), entry('A', 'SUBMIT', 'draft', 'submitted', 3)], s, 4));
    expect(late.expectations[0]).toMatchObject({ outcome: 'missed', happenedAt: t(3).toISOString(), due: t(2).toISOString() });
    const onTime = buildExerciseReport(input([notice('A', 'submitted')], [entry('A', 'CREATE', null, 'draft', 0), entry('A', 'SUBMIT', 'draft', 'submitted', 2)], s, 4));
    expect(onTime.expectations[0]).toMatchObject({ outcome: 'met' });
    expect(onTime.summary.score).toBe(3);
  });
});
