/**
 * How the debrief times a response, written once: each action is timed from the event that prompted it
 * (issue 12). The table below is what the report applies and what its "How response times are measured"
 * table prints; an action no rule names, or whose prompt is missing, is timed from the latest earlier
 * event by someone else that the actor could see. The `system`'s deadline events are not responses.
 */
import { eventLabel } from '../kernel/labels';
import type { HistoryEntry } from '../notices/notice-store-type';

/** Where the prompt is looked for: the notice's own events, the same record's, or either. */
export type PromptScope = 'notice' | 'record' | 'any';

export interface ResponseRule {
  id: string;
  /** The actions this rule times. */
  actions: readonly string[];
  /** The events that prompt them. */
  after: readonly string[];
  on: PromptScope;
  /** `latest`: the most recent such event before the action; `first`: the earliest one. */
  pick: 'latest' | 'first';
}

export const RESPONSE_RULES: readonly ResponseRule[] = [
  { id: 'review', actions: ['START_REVIEW'], after: ['SUBMIT'], on: 'notice', pick: 'latest' },
  {
    id: 'decision',
    actions: ['APPROVE', 'REFUSE', 'REQUEST_INFO'],
    after: ['SUBMIT', 'PROVIDE_INFO'],
    on: 'notice',
    pick: 'latest',
  },
  { id: 'answer', actions: ['PROVIDE_INFO'], after: ['REQUEST_INFO'], on: 'notice', pick: 'latest' },
  { id: 'publication', actions: ['ACKNOWLEDGE', 'REPORT_HIT'], after: ['APPROVE'], on: 'notice', pick: 'latest' },
  { id: 'arrest', actions: ['PROVISIONAL_ARREST'], after: ['REPORT_HIT'], on: 'record', pick: 'latest' },
  { id: 'surrender', actions: ['SURRENDER'], after: ['PROVISIONAL_ARREST'], on: 'record', pick: 'latest' },
  { id: 'renewal', actions: ['RENEW'], after: ['OPEN_RENEWAL'], on: 'notice', pick: 'latest' },
  // The surrender or location that achieved the purpose: any country's record, or a Yellow notice's own.
  { id: 'purpose', actions: ['WITHDRAW'], after: ['SURRENDER', 'REPORT_LOCATED'], on: 'any', pick: 'first' },
];

/** The rule for whatever the table does not name. */
export const LATEST_SEEN = 'latest-seen';

export const ruleFor = (action: string): ResponseRule | undefined =>
  RESPONSE_RULES.find((r) => r.actions.includes(action));

export interface Prompt {
  rule: string;
  entry: HistoryEntry;
}

const sameActor = (a: HistoryEntry, b: HistoryEntry): boolean =>
  a.participantId !== null && b.participantId !== null
    ? a.participantId === b.participantId
    : a.actor.role === b.actor.role && (a.actor.country ?? null) === (b.actor.country ?? null);

function inScope(rule: ResponseRule, action: HistoryEntry, e: HistoryEntry): boolean {
  if (rule.on === 'notice') return e.country === null;
  if (rule.on === 'record') return action.country !== null && e.country === action.country;
  return true;
}

/**
 * The event that prompted `action`, from its notice's history (`history`, in seq order: only the entries
 * before the action count), among the events `sees` says its actor could see; null for the `system`.
 */
export function promptOf(
  action: HistoryEntry,
  history: readonly HistoryEntry[],
  sees: (e: HistoryEntry) => boolean,
): Prompt | null {
  if (action.actor.role === 'system') return null;
  const earlier = history.filter((e) => e.seq < action.seq && sees(e));
  const rule = ruleFor(action.type);
  if (rule) {
    const candidates = earlier.filter((e) => rule.after.includes(e.type) && inScope(rule, action, e));
    const entry = rule.pick === 'first' ? candidates[0] : candidates[candidates.length - 1];
    if (entry) return { rule: rule.id, entry };
  }
  const entry = [...earlier].reverse().find((e) => !sameActor(e, action));
  return entry ? { rule: LATEST_SEEN, entry } : null;
}

const SCOPE_WORDS: Record<PromptScope, string> = {
  notice: 'on the notice',
  record: 'on the same country’s record',
  any: 'on any country’s record or on the notice',
};

const quoted = (codes: readonly string[]) => codes.map((c) => `“${eventLabel(c, 'done')}”`).join(' or ');

/** The table in words, for the report: what is timed, and from what. */
export function responseRuleRows(): { actions: string; from: string }[] {
  return [
    ...RESPONSE_RULES.map((r) => ({
      actions: r.actions.map((a) => eventLabel(a, 'action')).join(', '),
      from: `the ${r.pick} ${quoted(r.after)} ${SCOPE_WORDS[r.on]}`,
    })),
    {
      actions: 'Any other action (or one whose prompt is missing)',
      from: 'the latest earlier event by someone else that the actor could see',
    },
    { actions: 'Deadlines the system applies', from: 'not timed: nobody responded' },
  ];
}
