/**
 * Requests and their review: requests arrive as a Poisson process per type (the yearly rate of the
 * model's series), are submitted with the gaps the model draws, and wait in one first-come queue for
 * the General Secretariat's reviewers, who work only in working time. A review pass ends in a decision:
 * the GS's judgements (Articles 2 and 3, crime category, penalty), a request for information for a gap
 * the checks found, or approval.
 */
import type { Actor } from '../exercises/exercise-types';
import type { NoticeType, RefusalGround } from '../notices/notice-types';
import { createSimNotice } from './lifecycle';
import { completeAnswer, requestFor, type RequestFlaws } from './requests';
import { move } from './sim-notices';
import { DAY, YEAR, draw, inPeriod, isoNow, seriesValue, type Case, type SimState } from './sim-state';
import { addWorkingTime, nextWorkingTime } from './working-time';

const GS: Actor = { role: 'gs' };

const yearStart = (year: number) => Date.UTC(year, 0, 1);

function rateOf(s: SimState, type: NoticeType, year: number): number {
  const a = s.model.arrivals[type === 'RED' ? 'red' : 'yellow'];
  return seriesValue(a.issued, year, a.growthBeforeFirst, a.afterLast) * a.requestsPerNotice;
}

/** Schedules the next arrival after `from`; the rate is constant within a year, so a gap crossing one restarts. */
export function scheduleArrival(s: SimState, type: NoticeType, from: number): void {
  for (let t = from; ;) {
    const year = new Date(t).getUTCFullYear();
    const boundary = yearStart(year + 1);
    const rate = rateOf(s, type, year);
    const next = rate > 0 ? t + s.random.arrivals.exponential(YEAR / rate) : Infinity;
    if (next < boundary) {
      if (next < s.endMs) s.list.schedule(next, { kind: 'arrival', type });
      return;
    }
    if (boundary >= s.endMs) return;
    t = boundary;
  }
}

export function onArrival(s: SimState, type: NoticeType): void {
  scheduleArrival(s, type, s.now);
  const country = s.countries[s.random.arrivals.weighted(s.weights)]!;
  const owner: Actor = { role: 'ncb', country };
  const flaws = drawFlaws(s, type);
  const notice = createSimNotice(s.nextId++, { requestingCountry: country, request: requestFor(type, flaws) });
  const c: Case = {
    notice,
    country,
    owner,
    flaws,
    submittedAt: s.now,
    asked: 0,
    epoch: 0,
    deadlineEvent: '',
    deadlineAt: '',
  };
  s.log?.created(c, s.now);
  move(s, c, { type: 'SUBMIT', actor: owner, at: isoNow(s) });
  enqueue(s, c);
}

function drawFlaws(s: SimState, type: NoticeType): RequestFlaws {
  const r = s.random.arrivals;
  const none = { judicial: false, crimeCategory: false, penalty: false, article3Concern: false };
  if (type === 'RED') {
    const fails = s.model.requests.red.checkFails;
    return {
      identifiers: r.chance(fails['RED-IDENTIFIERS']),
      judicial: r.chance(fails['RED-JUDICIAL-DATA']),
      crimeCategory: r.chance(fails['RED-CRIME-CATEGORY']),
      penalty: r.chance(fails['RED-PENALTY-THRESHOLD']),
      article3Concern: r.chance(fails['RED-ARTICLE-3']),
      policeReport: false,
      adultConsent: false,
    };
  }
  const fails = s.model.requests.yellow.checkFails;
  return {
    ...none,
    identifiers: r.chance(fails['YELLOW-IDENTIFIERS']),
    policeReport: r.chance(fails['YELLOW-POLICE-REPORT']),
    adultConsent: r.chance(fails['YELLOW-ADULT-CONSENT']),
  };
}

/** The request waits for a reviewer. */
export function enqueue(s: SimState, c: Case): void {
  s.review.queue.push(c);
  startReviews(s);
}

/** Free reviewers take the longest-waiting requests, in working time (else they wake when it begins). */
export function startReviews(s: SimState): void {
  const review = s.review;
  while (review.free > 0 && review.head < review.queue.length) {
    const opens = nextWorkingTime(s.now, s.calendar);
    if (opens > s.now) {
      if (!review.wakePending) {
        review.wakePending = true;
        s.list.schedule(opens, { kind: 'reviewWake' });
      }
      return;
    }
    const c = review.queue[review.head++]!;
    if (review.head > 4096 && review.head * 2 > review.queue.length) {
      review.queue.splice(0, review.head);
      review.head = 0;
    }
    if (c.notice.value === 'submitted') move(s, c, { type: 'START_REVIEW', actor: GS, at: isoNow(s) });
    if (c.notice.value !== 'under_review') continue;
    review.free -= 1;
    const busy = draw(s.random.review, s.model.review.serviceHours) * 3_600_000;
    s.list.schedule(addWorkingTime(s.now, busy, s.calendar), { kind: 'reviewDone', c, busy });
  }
}

export function onReviewDone(s: SimState, c: Case, busy: number): void {
  s.review.free += 1;
  if (inPeriod(s)) s.review.busyInPeriod += busy;
  decide(s, c);
  startReviews(s);
}

/** Checks the GS judges itself (above), rather than asking the owner about. */
const JUDGED: ReadonlySet<string> = new Set(['RED-ARTICLE-3', 'RED-PENALTY-THRESHOLD']);

function decide(s: SimState, c: Case): void {
  const red = c.notice.type === 'RED';
  const r = s.random.review;
  const q = s.model.requests;
  const f = c.flaws;
  const refuse = (grounds: RefusalGround[]) =>
    move(s, c, { type: 'REFUSE', reason: 'Not compliant', grounds, actor: GS, at: isoNow(s) });
  // The GS's judgements come first; a gap the checks found is asked about once, then refused.
  if (c.asked === 0) {
    if (red && f.crimeCategory) return void refuse(['CRIME_CATEGORY']);
    if (red && r.chance(q.red.article2Refused)) return void refuse(['ARTICLE_2']);
    if (red && f.article3Concern && r.chance(q.red.article3RefusedOnConcern)) return void refuse(['ARTICLE_3']);
    if (!red && r.chance(q.yellow.otherRefused)) return void refuse(['OTHER']);
  }
  const particularImportance = red && f.penalty && r.chance(q.red.particularImportance);
  if (red && f.penalty && !particularImportance) return void refuse(['PENALTY_THRESHOLD']);
  const gap = c.notice.context.checks.some((check) => check.blocking && !check.passed && !JUDGED.has(check.id));
  if (gap) return void (c.asked === 0 ? ask(s, c) : refuse(['INSUFFICIENT_DATA']));
  if (c.asked === 0 && r.chance(red ? q.red.clarification : q.yellow.clarification)) return ask(s, c);
  const at = isoNow(s);
  if (!move(s, c, { type: 'APPROVE', article3Cleared: true, particularImportance, actor: GS, at })) {
    throw new Error(`notice ${c.notice.id}: the model approved what the rules refuse (${c.notice.value})`);
  }
}

function ask(s: SimState, c: Case): void {
  c.asked += 1;
  move(s, c, { type: 'REQUEST_INFO', question: 'Please complete the request', actor: GS, at: isoNow(s) });
  awaitAnswer(s, c);
}

/** The owner of a request asked for information answers, by the model's chance and delay, or never. */
export function awaitAnswer(s: SimState, c: Case): void {
  const answers = s.model.requests.answers;
  if (s.random.review.chance(answers.answered)) {
    s.list.schedule(s.now + draw(s.random.review, answers.answerDays) * DAY, { kind: 'answer', c });
  }
}

/** The owner answers; past the 60 days the notice was refused by the system and takes no answer. */
export function onAnswer(s: SimState, c: Case): void {
  if (c.notice.value !== 'info_requested') return;
  const changes = s.random.review.chance(s.model.requests.answers.fixes) ? completeAnswer(c.notice.type) : undefined;
  const answer = { type: 'PROVIDE_INFO', answer: 'See the changes', ...(changes && { changes }) } as const;
  if (move(s, c, { ...answer, actor: c.owner, at: isoNow(s) })) enqueue(s, c);
}
