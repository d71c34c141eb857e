import type { HistoryEntry } from '../../src/notices/notice-store-type';
import { canSeePart } from '../../src/notices/notice-visibility';
import { LATEST_SEEN, RESPONSE_RULES, promptOf, responseRuleRows } from '../../src/reports/response-rules';

const START = Date.parse('2026-03-02T09:00:00Z');
const MC = { role: 'ncb' as const, country: 'MC' };
const FR = { role: 'ncb' as const, country: 'FR' };
const IT = { role: 'ncb' as const, country: 'IT' };
const GS = { role: 'gs' as const };
const SYSTEM = { role: 'system' as const };
const participantOf = (actor: { role: string; country?: string }) =>
  actor.role === 'system' ? null : `${actor.role}${actor.country ?? ''}`;

/** A notice's history from [type, actor, record country?] rows, an hour apart. */
function history(rows: [string, { role: HistoryEntry['actor']['role']; country?: string }, string?][]): HistoryEntry[] {
  return rows.map(([type, actor, country], i) => ({
    seq: i + 1,
    type,
    actor,
    participantId: participantOf(actor),
    from: null,
    to: 'x',
    country: country ?? null,
    at: new Date(START + i * 3_600_000),
    recordedAt: new Date(START + i * 3_600_000),
    payload: {},
  }));
}

const everything = () => true;
/** What a participant with this role and country could see of Monaco's published notice. */
const seenBy = (reader: { role: HistoryEntry['actor']['role']; country?: string }) => (e: HistoryEntry) =>
  canSeePart(reader, { requestingCountry: 'MC', publishedAt: new Date(START), recipients: null, state: 'published', snapshot: { context: {} } }, e.country);

/** The prompt of the history's last event, as [type, seq, country]. */
function promptOfLast(h: HistoryEntry[], sees: (e: HistoryEntry) => boolean = everything) {
  const prompt = promptOf(h[h.length - 1]!, h, sees);
  return prompt && { rule: prompt.rule, after: [prompt.entry.type, prompt.entry.seq, prompt.entry.country] };
}

describe('the response rules', () => {
  it('times START_REVIEW from the SUBMIT', () => {
    expect(promptOfLast(history([['CREATE', MC], ['SUBMIT', MC], ['START_REVIEW', GS]]))).toEqual({ rule: 'review', after: ['SUBMIT', 2, null] });
  });

  it('times APPROVE, REFUSE and REQUEST_INFO from the latest SUBMIT or PROVIDE_INFO', () => {
    const asked = history([['SUBMIT', MC], ['START_REVIEW', GS], ['REQUEST_INFO', GS], ['PROVIDE_INFO', MC]]);
    const decided = (type: string) => promptOfLast([...asked, { ...asked[1]!, seq: 5, type, at: new Date(START + 9 * 3_600_000) }]);
    expect(decided('APPROVE')).toEqual({ rule: 'decision', after: ['PROVIDE_INFO', 4, null] });
    expect(decided('REFUSE')).toEqual({ rule: 'decision', after: ['PROVIDE_INFO', 4, null] });
    expect(promptOfLast(asked.slice(0, 3))).toEqual({ rule: 'decision', after: ['SUBMIT', 1, null] });
  });

  it('times PROVIDE_INFO from the REQUEST_INFO', () => {
    expect(promptOfLast(history([['SUBMIT', MC], ['START_REVIEW', GS], ['REQUEST_INFO', GS], ['PROVIDE_INFO', MC]]))).toEqual({ rule: 'answer', after: ['REQUEST_INFO', 3, null] });
  });

  it('times ACKNOWLEDGE and REPORT_HIT from publication, not from a later event they saw', () => {
    const published = history([['SUBMIT', MC], ['START_REVIEW', GS], ['APPROVE', GS], ['SUSPEND', MC], ['RESUME', MC]]);
    for (const type of ['ACKNOWLEDGE', 'REPORT_HIT']) {
      const h = [...published, { ...published[0]!, seq: 6, type, actor: FR, participantId: 'ncbFR', country: 'FR' }];
      expect(promptOfLast(h, seenBy(FR))).toEqual({ rule: 'publication', after: ['APPROVE', 3, null] });
    }
  });

  it('times PROVISIONAL_ARREST from the same record’s REPORT_HIT, even by the same team, not another country’s', () => {
    const h = history([['APPROVE', GS], ['REPORT_HIT', FR, 'FR'], ['REPORT_HIT', IT, 'IT'], ['PROVISIONAL_ARREST', FR, 'FR']]);
    expect(promptOfLast(h)).toEqual({ rule: 'arrest', after: ['REPORT_HIT', 2, 'FR'] });
  });

  it('times SURRENDER from the same record’s PROVISIONAL_ARREST', () => {
    const h = history([['REPORT_HIT', FR, 'FR'], ['PROVISIONAL_ARREST', FR, 'FR'], ['PROVISIONAL_ARREST', IT, 'IT'], ['SURRENDER', FR, 'FR']]);
    expect(promptOfLast(h)).toEqual({ rule: 'surrender', after: ['PROVISIONAL_ARREST', 2, 'FR'] });
  });

  it('times RENEW from the system’s OPEN_RENEWAL', () => {
    const h = history([['APPROVE', GS], ['OPEN_RENEWAL', SYSTEM], ['SUSPEND', MC], ['RESUME', MC], ['RENEW', MC]]);
    expect(promptOfLast(h)).toEqual({ rule: 'renewal', after: ['OPEN_RENEWAL', 2, null] });
  });

  it('times WITHDRAW from the surrender that achieved the purpose, on any country’s record', () => {
    const h = history([['APPROVE', GS], ['REPORT_HIT', FR, 'FR'], ['PROVISIONAL_ARREST', FR, 'FR'], ['SURRENDER', FR, 'FR'], ['ACKNOWLEDGE', IT, 'IT'], ['WITHDRAW', MC]]);
    expect(promptOfLast(h, seenBy(MC))).toEqual({ rule: 'purpose', after: ['SURRENDER', 4, 'FR'] });
  });

  it('times a Yellow notice’s WITHDRAW from its own REPORT_LOCATED', () => {
    const h = history([['APPROVE', GS], ['ACKNOWLEDGE', FR, 'FR'], ['REPORT_LOCATED', MC], ['WITHDRAW', MC]]);
    expect(promptOfLast(h, seenBy(MC))).toEqual({ rule: 'purpose', after: ['REPORT_LOCATED', 3, null] });
  });

  it('times a WITHDRAW with no purpose achieved from the latest event by someone else', () => {
    const h = history([['APPROVE', GS], ['ACKNOWLEDGE', FR, 'FR'], ['SUSPEND', MC], ['WITHDRAW', MC]]);
    expect(promptOfLast(h, seenBy(MC))).toEqual({ rule: LATEST_SEEN, after: ['ACKNOWLEDGE', 2, 'FR'] });
  });

  it('times anything else from the latest earlier event by someone else that the actor could see', () => {
    const h = history([['APPROVE', GS], ['SUSPEND', MC], ['RESUME', MC], ['CANCEL', GS]]);
    expect(promptOfLast(h)).toEqual({ rule: LATEST_SEEN, after: ['RESUME', 3, null] });
  });

  it('skips an event the actor could not see: another country’s record', () => {
    const h = history([['APPROVE', GS], ['REPORT_HIT', FR, 'FR'], ['ACKNOWLEDGE', IT, 'IT'], ['DECLINE_ACTION', FR, 'FR']]);
    // France sees its own record and the notice's events, not Italy's record; its own hit is not someone else's.
    expect(promptOfLast(h, seenBy(FR))).toEqual({ rule: LATEST_SEEN, after: ['APPROVE', 1, null] });
    // The requester sees every record: for it, Italy's acknowledgement is the latest.
    expect(promptOfLast(h, seenBy(MC))).toEqual({ rule: LATEST_SEEN, after: ['ACKNOWLEDGE', 3, 'IT'] });
  });

  it('gives the system’s deadline events no response time, and an action with nothing before it none', () => {
    expect(promptOfLast(history([['SUBMIT', MC], ['START_REVIEW', GS], ['REQUEST_INFO', GS], ['INFO_TIMEOUT', SYSTEM]]))).toBeNull();
    expect(promptOfLast(history([['CREATE', MC]]))).toBeNull();
  });

  it('names each action in one rule at most, and prints every rule in words', () => {
    const actions = RESPONSE_RULES.flatMap((r) => r.actions);
    expect(new Set(actions).size).toBe(actions.length);
    const rows = responseRuleRows();
    expect(rows).toHaveLength(RESPONSE_RULES.length + 2);
    expect(rows).toContainEqual({ actions: 'Report a provisional arrest', from: 'the latest “Hit reported” on the same country’s record' });
    expect(JSON.stringify(rows)).not.toMatch(/[A-Z]{3,}_[A-Z]/);
  });
});
