/**
 * A forecast: the engine started from a live system's current state (Wynn et al. 2007) instead of an
 * empty one. Today's notices, each in its state with its machine context as stored, go on under the
 * model's rates for the horizon: requests in review join the GS's queue, valid notices draw their next
 * outcomes, deadlines fall due. No new request arrives: the question is what becomes of today's notices.
 * Seeded as a replication is (the same seed gives the same figures).
 */
import type { NoticeContext } from '../notices/notice-machine';
import { isFinalNoticeState, type NoticeType } from '../notices/notice-types';
import { runEvents, type ReplicationResult } from './engine';
import type { Model } from './model';
import { streamAt } from '../kernel/random';
import type { RequestFlaws } from './requests';
import { enteredState, scheduleDeadline } from './sim-notices';
import { awaitAnswer, enqueue } from './sim-review';
import { DAY, IN_REVIEW, VALID, changeInReview, createState, type Case } from './sim-state';

/** A notice of a live exercise as its store holds it. */
export interface LiveNotice {
  type: NoticeType;
  state: string;
  context: NoticeContext;
  requestingCountry: string;
}

export interface ForecastSpec {
  model: Model;
  /** The exercise's simulated now (ISO) and the notices the forecast is over. */
  from: { at: string; notices: LiveNotice[] };
  horizonDays: number;
  seed: number;
}

/** What the GS judges in a review, read off the checks the machine ran on the notice as it stands. */
function flawsOf(context: NoticeContext): RequestFlaws {
  const failing = new Set(context.checks.filter((c) => !c.passed).map((c) => c.id));
  return {
    identifiers: failing.has('RED-IDENTIFIERS') || failing.has('YELLOW-IDENTIFIERS'),
    judicial: failing.has('RED-JUDICIAL-DATA'),
    crimeCategory: failing.has('RED-CRIME-CATEGORY'),
    penalty: failing.has('RED-PENALTY-THRESHOLD'),
    article3Concern: failing.has('RED-ARTICLE-3'),
    policeReport: failing.has('YELLOW-POLICE-REPORT'),
    adultConsent: failing.has('YELLOW-ADULT-CONSENT'),
  };
}

export function forecastReplication(spec: ForecastSpec, replication: number): ReplicationResult {
  const random = {
    arrivals: streamAt(spec.seed, replication * 3),
    review: streamAt(spec.seed, replication * 3 + 1),
    life: streamAt(spec.seed, replication * 3 + 2),
  };
  const startMs = Date.parse(spec.from.at);
  const s = createState(spec.model, random, startMs, startMs + spec.horizonDays * DAY);
  s.now = startMs;
  for (const live of spec.from.notices) {
    // A draft is the owner's to submit or not; an ended notice takes no event.
    if (live.state === 'draft' || isFinalNoticeState(live.state)) continue;
    const notice = { id: s.nextId++, type: live.type, value: live.state, context: live.context, done: false };
    const owner = { role: 'ncb' as const, country: live.requestingCountry };
    const asked = live.state === 'info_requested' ? 1 : 0;
    const c: Case = {
      notice,
      country: live.requestingCountry,
      owner,
      flaws: flawsOf(live.context),
      submittedAt: startMs,
      asked,
      epoch: 0,
      deadlineEvent: '',
      deadlineAt: '',
    };
    if (VALID.has(live.state)) {
      s.valid[live.type] += 1;
      enteredState(s, c);
    }
    if (IN_REVIEW.has(live.state)) {
      changeInReview(s, 1);
      if (live.state === 'info_requested') awaitAnswer(s, c);
      else enqueue(s, c);
    }
    scheduleDeadline(s, c);
  }
  return runEvents(s);
}
