import { XMLValidator } from 'fast-xml-parser';
import type { Participant } from '../../src/exercises/exercise-types';
import type { HistoryEntry, StoredNotice } from '../../src/notices/notice-store-type';
import { buildExerciseReport } from '../../src/reports/exercise-report';
import { renderReportHtml } from '../../src/reports/report-html';
import { typedText } from '../../src/reports/report-text';
import { eventsChartSpec } from '../../src/reports/report-timeline';

const START = Date.parse('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(START + minutes * 60_000);
const NAME = '<img src=x onerror=alert(1)>';

const participant = (id: string, role: Participant['role'], country: string | null, name: string | null): Participant => ({
  id, exerciseId: 'ex', role, country, key: id, name, createdAt: at(0), revokedAt: null,
});
const PARTICIPANTS = [participant('mc', 'ncb', 'MC', null), participant('fr', 'ncb', 'FR', NAME), participant('gs', 'gs', null, 'Task force')];
const actors = { mc: { role: 'ncb' as const, country: 'MC' }, fr: { role: 'ncb' as const, country: 'FR' }, gs: { role: 'gs' as const } };

let seq = 0;
function e(by: keyof typeof actors, type: string, minutes: number, extra: Partial<HistoryEntry> = {}): HistoryEntry & { noticeId: string } {
  seq += 1;
  return { noticeId: 'N', seq, type, actor: actors[by], participantId: by, from: null, to: 'x', country: null, at: at(minutes), recordedAt: at(minutes), payload: {}, ...extra };
}

const notice: StoredNotice = {
  id: 'N', exerciseId: 'ex', type: 'RED', state: 'published', requestingCountry: 'MC', run: 1, exerciseRun: null, version: 1, lastEventAt: null,
  snapshot: { value: 'published', context: {} } as never, publishedAt: at(60), expiresAt: null, recipients: null, createdAt: at(0), updatedAt: at(0),
};

function report() {
  seq = 0;
  const history = [
    e('mc', 'CREATE', 0, { to: 'draft' }),
    e('mc', 'SUBMIT', 10, { to: 'submitted' }),
    e('gs', 'START_REVIEW', 20, { to: 'under_review' }),
    e('gs', 'REQUEST_INFO', 30, { to: 'info_requested', payload: { question: 'Which <court>?' } }),
    e('mc', 'PROVIDE_INFO', 40, { to: 'under_review', payload: { answer: 'Monaco', changes: { offence: { law: 'art. 309' } } } }),
    e('gs', 'APPROVE', 60, { to: 'published', payload: { article3Cleared: true } }),
    e('fr', 'REPORT_HIT', 30 * 24 * 60, { country: 'FR', to: 'hit', payload: { details: 'Seen at <b>Nice</b> airport' } }),
    e('fr', 'PROVISIONAL_ARREST', 30 * 24 * 60 + 51, { country: 'FR', to: 'provisional_arrest', payload: { details: 'Held' } }),
  ];
  return buildExerciseReport({
    exercise: { id: '00000000-0000-4000-8000-000000000000', name: 'Story', scenario: null },
    now: at(40 * 24 * 60), participants: PARTICIPANTS, notices: [notice], history, injects: [], noticeKeys: new Map([['N', 'petrovic']]), records: new Map(),
  });
}

describe('the debrief’s story', () => {
  it('keeps what teams typed with each event, corrected fields in words', () => {
    const { timeline } = report();
    expect(timeline[3]!.typed).toEqual([{ field: 'question', label: 'Question to the NCB', text: 'Which <court>?' }]);
    expect(timeline[4]!.typed).toEqual([
      { field: 'answer', label: 'Answer', text: 'Monaco' },
      { field: 'changes', label: 'Corrections to the request', text: 'Applicable law' },
    ]);
    expect(timeline[6]!.typed).toEqual([{ field: 'details', label: 'Details', text: 'Seen at <b>Nice</b> airport' }]);
  });

  it('gives a refusal’s grounds in words, and a CCF decision’s reference', () => {
    expect(typedText({ reason: 'Political', grounds: ['ARTICLE_3', 'OTHER'] })).toEqual([
      { field: 'reason', label: 'Reason', text: 'Political' },
      { field: 'grounds', label: 'Grounds of the refusal', text: 'Article 3: political, military, religious or racial character; Other' },
    ]);
    expect(typedText({ decisionRef: 'CCF/2026/12' })).toEqual([{ field: 'decisionRef', label: 'CCF decision reference', text: 'CCF/2026/12' }]);
    expect(typedText({ article3Cleared: true, recipientCount: 195 })).toEqual([]);
  });

  it('names participants by name and country, or by role and country', () => {
    const r = report();
    expect(r.participants.map((p) => p.label)).toEqual(['National Central Bureau (Monaco)', `${NAME} (France)`, 'Task force (General Secretariat)']);
    expect(r.timeline[0]!.actor.name).toBe('National Central Bureau (Monaco)');
  });

  it('times the approval from the answer, and the arrest 51 minutes after the hit', () => {
    const r = report();
    const gs = r.participants.find((p) => p.key === 'gs')!;
    expect(gs.responses.map((x) => [x.type, x.after.type, x.seconds])).toEqual([['START_REVIEW', 'SUBMIT', 600], ['REQUEST_INFO', 'SUBMIT', 1200], ['APPROVE', 'PROVIDE_INFO', 1200]]);
    const fr = r.participants.find((p) => p.key === 'fr')!;
    expect(fr.responses[1]).toMatchObject({ type: 'PROVISIONAL_ARREST', after: { type: 'REPORT_HIT', seq: 7, country: 'FR' }, seconds: 51 * 60 });
  });

  it('prints the hit’s and the arrest’s labels in lanes of their own, though their marks almost touch', () => {
    const spec = eventsChartSpec(report()) as { layer: { data: { values: { caption: string; ly: number; py: number }[] } }[] };
    const marks = spec.layer[2]!.data.values;
    const hit = marks.find((m) => m.caption.startsWith('7 Hit reported (FR): Seen at <b>Nice</b>'))!;
    const arrest = marks.find((m) => m.caption === '8 Provisionally arrested (FR): Held')!;
    expect(hit.py).toBe(arrest.py);
    expect(arrest.ly).toBeGreaterThan(hit.ly);
  });

  it('renders markup in names and typed text as text, in the tables and the charts, with well-formed SVG', async () => {
    const html = await renderReportHtml(report());
    expect(html).not.toMatch(/<img|<b>|<court>/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; (France)');
    expect(html).toContain('Which &lt;court&gt;?');
    expect(html).toContain('51m after 7 Hit reported (FR)');
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(3);
    for (const svg of svgs) expect(XMLValidator.validate(svg)).toBe(true);
    expect(svgs[1]).toContain('>8 Provisionally arrested (FR): Held</text>');
    expect(svgs[2]).toContain('>median 20m</text>');
  });
});
