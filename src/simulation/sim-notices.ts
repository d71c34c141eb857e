/**
 * How a simulated notice moves and what follows each move: the machine takes the event (./lifecycle.ts),
 * then the engine counts it, schedules the notice's next deadline and, in a valid state, its next outcome
 * (a hit, a location, a withdrawal, … at the model's yearly rates). Circulation records move by the
 * circulation machine's table, and exist only where a country acts.
 */
import { circulationMachine, type CirculationContext, type CirculationEvent } from '../circulation/circulation-machine';
import type { Actor } from '../exercises/exercise-types';
import { tableOf, type MachineTable } from '../kernel/machine-table';
import { canonicalMillis } from '../kernel/utc-calendar';
import type { NoticeDeadline, NoticeEvent } from '../notices/notice-machine';
import type { NoticeState } from '../notices/notice-types';
import { fireDeadline, send } from './lifecycle';
import type { Distribution } from './model';
import {
  DAY,
  IN_REVIEW,
  VALID,
  YEAR,
  changeInReview,
  draw,
  inPeriod,
  isoNow,
  monthOf,
  type Case,
  type OwnerEvent,
  type RecordStep,
  type SimRecord,
  type SimState,
} from './sim-state';

const GS: Actor = { role: 'gs' };
const CCF: Actor = { role: 'ccf' };
const SYSTEM: Actor = { role: 'system' };

const recordTable = (() => {
  const table = tableOf(circulationMachine);
  if (!table) throw new Error('the circulation machine did not compile into a table');
  return table as unknown as MachineTable<CirculationContext, CirculationEvent>;
})();

const lifeOf = (s: SimState, c: Case) => s.model.published[c.notice.type === 'RED' ? 'red' : 'yellow'];

/** Sends a notice event; when the machine takes it, does what follows. */
export function move(s: SimState, c: Case, event: NoticeEvent): boolean {
  const before = c.notice.value;
  if (!send(c.notice, event)) return false;
  moved(s, c, before, event);
  return true;
}

/** Fires a deadline the notice still has. */
export function onDeadline(s: SimState, c: Case, deadline: NoticeDeadline): void {
  const before = c.notice.value;
  if (fireDeadline(c.notice, deadline)) moved(s, c, before, { type: deadline.event, actor: SYSTEM, at: isoNow(s) });
}

function moved(s: SimState, c: Case, before: string, event: NoticeEvent): void {
  s.events += 1;
  s.log?.noticeMoved(c, before, event, s.now);
  const after = c.notice.value;
  if (VALID.has(before) !== VALID.has(after)) s.valid[c.notice.type] += VALID.has(after) ? 1 : -1;
  if (IN_REVIEW.has(before) !== IN_REVIEW.has(after)) changeInReview(s, IN_REVIEW.has(after) ? 1 : -1);
  if (IN_REVIEW.has(before) && !IN_REVIEW.has(after) && inPeriod(s)) {
    const days = (s.now - c.submittedAt) / DAY;
    s.reviewDays.push(days);
    s.series.reviewDaysHistogram[Math.min(60, Math.floor(days))]! += 1;
  }
  if (before !== after) c.epoch += 1;
  if (inPeriod(s)) tally(s, c, before, event);
  scheduleDeadline(s, c);
  if (before !== after) enteredState(s, c);
  if (c.notice.done && c.records) {
    for (const record of c.records.values()) moveRecord(s, c, record, { type: 'CLOSE' }, SYSTEM);
  }
}

/** What a notice's new state brings: its next outcome, a renewal, a resumption or a withdrawal. */
export function enteredState(s: SimState, c: Case): void {
  const life = lifeOf(s, c);
  const r = s.random.life;
  switch (c.notice.value) {
    case 'published':
      scheduleLife(s, c);
      break;
    case 'renewal_pending':
      scheduleLife(s, c);
      if (r.chance(life.renewal)) later(s, c, 'RENEW', life.renewalDays, c.epoch);
      break;
    case 'suspended':
      if (r.chance(life.resumeOnSuspension)) later(s, c, 'RESUME', life.resumeDays, c.epoch);
      break;
    case 'located':
      if (r.chance(s.model.published.yellow.withdrawOnLocation)) later(s, c, 'WITHDRAW', life.withdrawDays, -1);
      break;
  }
}

/** The owner sends `event` after a drawn delay, if the notice is still in the state of `epoch` (-1: any). */
function later(s: SimState, c: Case, event: OwnerEvent, days: Distribution, epoch: number): void {
  s.list.schedule(s.now + draw(s.random.life, days) * DAY, { kind: 'owner', c, event, epoch });
}

export function onOwner(s: SimState, c: Case, event: OwnerEvent, epoch: number): void {
  if (epoch !== -1 && epoch !== c.epoch) return;
  const reason = event === 'WITHDRAW' ? 'Purpose achieved' : 'Still sought';
  move(s, c, { type: event, ...(event !== 'RESUME' && { reason }), actor: c.owner, at: isoNow(s) } as NoticeEvent);
}

function tally(s: SimState, c: Case, before: string, event: NoticeEvent): void {
  const red = c.notice.type === 'RED';
  const after = c.notice.value;
  const counts = s.counts;
  const month = monthOf(s);
  if (after === 'published' && event.type === 'APPROVE') {
    counts[red ? 'redIssued' : 'yellowIssued'] += 1;
    s.series[red ? 'redIssued' : 'yellowIssued'][month]! += 1;
  }
  if (IN_REVIEW.has(before) && (after === 'published' || after === 'refused')) counts.reviewsCompleted += 1;
  if (after === 'refused') {
    const byGs = event.type === 'REFUSE';
    counts[red ? (byGs ? 'redRefused' : 'redRefusedBySystem') : byGs ? 'yellowRefused' : 'yellowRefusedBySystem'] += 1;
    if (event.type === 'REFUSE' && event.grounds.includes('ARTICLE_2')) counts.refusedArticle2 += 1;
    if (event.type === 'REFUSE' && event.grounds.includes('ARTICLE_3')) counts.refusedArticle3 += 1;
  }
  if (after === 'cancelled') counts[red ? 'redCancelled' : 'yellowCancelled'] += 1;
  if (red && after === 'withdrawn') counts.redWithdrawn += 1;
  if (red && after === 'expired') counts.redExpired += 1;
  if (red && after === 'deleted') counts.redDeleted += 1;
  if (after === 'located' && before !== after) counts.yellowLocated += 1;
  if (VALID.has(before) && c.notice.done) s.series.ended[month]! += 1;
}

/** Schedules the notice's soonest deadline when it is a new one (one already past falls due now). */
export function scheduleDeadline(s: SimState, c: Case): void {
  const deadline = c.notice.context.deadlines[0];
  if (!deadline) return;
  if (deadline.at === c.deadlineAt && deadline.event === c.deadlineEvent) return;
  c.deadlineEvent = deadline.event;
  c.deadlineAt = deadline.at;
  const at = canonicalMillis(deadline.at) ?? Date.parse(deadline.at);
  s.list.schedule(Math.max(s.now, at), { kind: 'deadline', c, deadline });
}

type Outcome = 'hit' | 'locate' | 'withdraw' | 'suspend' | 'cancel' | 'delete';

const OUTCOMES: Record<'RED' | 'YELLOW', Outcome[]> = {
  RED: ['hit', 'withdraw', 'suspend', 'cancel', 'delete'],
  YELLOW: ['locate', 'withdraw', 'suspend', 'cancel', 'delete'],
};
/** A valid notice's competing outcomes' yearly rates, in OUTCOMES' order, and their sum; kept per model part. */
const rateCache = new WeakMap<object, { rates: number[]; total: number }>();

function lifeRates(s: SimState, c: Case): { rates: number[]; total: number } {
  const life = lifeOf(s, c);
  let cached = rateCache.get(life);
  if (!cached) {
    const found =
      c.notice.type === 'RED' ? s.model.published.red.hitsPerYear : s.model.published.yellow.locationsPerYear;
    const rates = [
      found,
      life.withdrawalsPerYear,
      life.suspensionsPerYear,
      life.cancellationsPerYear,
      life.deletionsPerYear,
    ];
    rateCache.set(life, (cached = { rates, total: rates.reduce((sum, rate) => sum + rate, 0) }));
  }
  return cached;
}

/** The next outcome of a valid notice: the soonest of its competing rates. */
export function scheduleLife(s: SimState, c: Case): void {
  const { total } = lifeRates(s, c);
  if (total > 0)
    s.list.schedule(s.now + s.random.life.exponential(1 / total) * YEAR, { kind: 'life', c, epoch: c.epoch });
}

/** An outcome falls due; a notice still in the same valid state then draws its next one (rates are memoryless). */
export function onLife(s: SimState, c: Case, epoch: number): void {
  if (epoch !== c.epoch) return;
  const what = OUTCOMES[c.notice.type][s.random.life.weighted(lifeRates(s, c).rates)]!;
  const at = isoNow(s);
  switch (what) {
    case 'hit':
      hit(s, c);
      break;
    case 'locate': {
      const country = otherCountry(s, c);
      // Reported on the country's record, the notice moves too (circulation-effects.ts does the same).
      if (moveRecord(s, c, recordOf(c, country), { type: 'REPORT_LOCATED', details: 'Person located' })) {
        move(s, c, { type: 'REPORT_LOCATED', details: 'Person located', actor: { role: 'ncb', country }, at });
      }
      break;
    }
    case 'withdraw':
      move(s, c, { type: 'WITHDRAW', reason: 'No longer sought', actor: c.owner, at });
      break;
    case 'suspend':
      move(s, c, { type: 'SUSPEND', reason: 'Operational reasons', actor: c.owner, at });
      break;
    case 'cancel':
      move(s, c, { type: 'CANCEL', reason: 'Conditions no longer met', actor: GS, at });
      break;
    case 'delete':
      move(s, c, { type: 'DELETE', decisionRef: 'CCF decision', actor: CCF, at });
      break;
  }
  const state = c.notice.value;
  if (c.epoch === epoch && (state === 'published' || state === 'renewal_pending')) scheduleLife(s, c);
}

function hit(s: SimState, c: Case): void {
  const red = s.model.published.red;
  const record = recordOf(c, otherCountry(s, c));
  if (!moveRecord(s, c, record, { type: 'REPORT_HIT', details: 'Subject found' })) return;
  if (inPeriod(s)) s.counts.noticeHits += 1;
  if (s.random.life.chance(red.arrestOnHit))
    step(s, c, record, 'PROVISIONAL_ARREST', draw(s.random.life, red.arrestDays));
  else if (s.random.life.chance(red.declineOnHit)) step(s, c, record, 'DECLINE_ACTION', 1);
}

const step = (s: SimState, c: Case, record: SimRecord, event: RecordStep, days: number) =>
  s.list.schedule(s.now + days * DAY, { kind: 'record', c, record, event });

export function onRecord(s: SimState, c: Case, record: SimRecord, event: RecordStep): void {
  if (!moveRecord(s, c, record, event === 'DECLINE_ACTION' ? { type: event, reason: 'National law' } : { type: event }))
    return;
  const red = s.model.published.red;
  const r = s.random.life;
  if (event === 'PROVISIONAL_ARREST') {
    if (inPeriod(s)) s.counts.provisionalArrests += 1;
    if (r.chance(red.surrenderOnArrest)) step(s, c, record, 'SURRENDER', draw(r, red.surrenderDays));
  } else if (event === 'SURRENDER') {
    if (inPeriod(s)) s.counts.surrenders += 1;
    if (r.chance(red.withdrawOnSurrender)) later(s, c, 'WITHDRAW', red.withdrawDays, -1);
  }
}

/** A member country other than the requester, by the model's weights. */
function otherCountry(s: SimState, c: Case): string {
  for (;;) {
    const code = s.countries[s.random.life.weighted(s.weights)]!;
    if (code !== c.country) return code;
  }
}

/** Records' starts per notice type and country, shared as notices' are (see lifecycle.ts). */
const recordStarts = new Map<string, { value: string; context: CirculationContext }>();

function recordOf(c: Case, country: string): SimRecord {
  c.records ??= new Map();
  let record = c.records.get(country);
  if (!record) {
    const key = `${c.notice.type}:${country}`;
    let start = recordStarts.get(key);
    if (!start) {
      recordStarts.set(key, (start = recordTable.start({ noticeType: c.notice.type, country })));
    }
    record = { value: start.value, context: start.context, country };
    c.records.set(country, record);
  }
  return record;
}

function moveRecord(
  s: SimState,
  c: Case,
  record: SimRecord,
  body: { type: string; details?: string; reason?: string },
  actor?: Actor,
): boolean {
  // Built field by field: a spread of the bodies' several shapes was a tenth of this function's cost.
  const built: Record<string, unknown> = { type: body.type };
  if (body.details !== undefined) built.details = body.details;
  if (body.reason !== undefined) built.reason = body.reason;
  built.actor = actor ?? { role: 'ncb', country: record.country };
  built.at = isoNow(s);
  built.noticeState = c.notice.value as NoticeState;
  const event = built as unknown as CirculationEvent;
  const next = recordTable.next(record.value, record.context, event);
  if (!next) return false;
  const before = record.value;
  record.value = next.value;
  record.context = next.context;
  s.events += 1;
  s.log?.recordMoved(c, record, before, event, s.now);
  return true;
}
