/** Lifecycle of a Red or Yellow notice (domain table "Notice lifecycle"): pure, timed transitions kept as data. */
import { and, assign, setup } from 'xstate';
import { anyBlockingCheckFails, runChecks, type ApprovalJudgement } from './compliance-checks';
import { applyRequestChanges } from './request-changes';
import {
  DEADLINE_CONFIG,
  expiryFrom,
  infoAnswerDueAt,
  normalizeIso,
  renewalWindowOpensAt,
  suspensionLapsesAt,
  type DeadlineConfig,
} from './deadline-config';
import type { Actor, Role } from '../exercises/exercise-types';
import type {
  CheckResult,
  NoticeDeadlineEventType,
  NoticeRequest,
  NoticeRequestChanges,
  NoticeType,
  RefusalGround,
} from './notice-types';

/** The later of two normalised ISO timestamps (they compare as strings). */
const latest = (a: string, b: string): string => (a > b ? a : b);

/** One deadline built from a timestamp that may not be set yet, or none. */
const only = (at: string | null, deadline: (at: string) => NoticeDeadline): NoticeDeadline[] =>
  at === null ? [] : [deadline(at)];

export interface NoticeDeadline {
  event: NoticeDeadlineEventType;
  at: string;
}

export interface NoticeContext {
  type: NoticeType;
  requestingCountry: string;
  request: NoticeRequest;
  checks: CheckResult[];
  /** ISO timestamps in simulated time. */
  publishedAt: string | null;
  expiresAt: string | null;
  /** Timed transitions ahead, soonest first; each fires as a `system` event when simulated time reaches its `at`. */
  deadlines: NoticeDeadline[];
  pendingQuestion: string | null;
}

export interface NoticeInput {
  requestingCountry: string;
  request: NoticeRequest;
}

/** Every event says who sends it and when, in simulated time: machines never read the wall clock. */
interface EventMeta {
  actor: Actor;
  at: string;
}

export type NoticeEvent = EventMeta &
  (
    | { type: 'UPDATE_DRAFT'; request: NoticeRequest }
    | { type: 'SUBMIT' }
    | { type: 'START_REVIEW' }
    | { type: 'REQUEST_INFO'; question: string }
    | { type: 'PROVIDE_INFO'; answer: string; changes?: NoticeRequestChanges }
    | { type: 'APPROVE'; article3Cleared: boolean; particularImportance?: boolean }
    | { type: 'REFUSE'; reason: string; grounds: RefusalGround[] }
    | { type: 'SUSPEND'; reason: string }
    | { type: 'RESUME' }
    | { type: 'RENEW'; reason: string }
    | { type: 'REPORT_LOCATED'; details?: string }
    | { type: 'WITHDRAW'; reason: string }
    | { type: 'CANCEL'; reason: string }
    | { type: 'DELETE'; decisionRef: string }
    | { type: 'OPEN_RENEWAL' }
    | { type: 'EXPIRE' }
    | { type: 'LAPSE_SUSPENSION' }
    | { type: 'INFO_TIMEOUT' }
  );

/** Guards that look only at who sends the event; `evaluateEvent` reports their failure as `forbidden`. */
export const NOTICE_ROLE_GUARDS = ['actorIs', 'actorIsOwner', 'actorIsAnyNcb'] as const;

function noticeSetup(config: DeadlineConfig) {
  return setup({
    types: {} as { context: NoticeContext; events: NoticeEvent; input: NoticeInput },
    guards: {
      actorIs: ({ event }, params: { role: Role }) => event.actor.role === params.role,
      actorIsOwner: ({ context, event }) =>
        event.actor.role === 'ncb' && event.actor.country === context.requestingCountry,
      actorIsAnyNcb: ({ event }) => event.actor.role === 'ncb' && typeof event.actor.country === 'string',
      // A draft stays of its type: a Red request cannot become a Yellow one.
      requestOfNoticeType: ({ context, event }) => event.type === 'UPDATE_DRAFT' && event.request.type === context.type,
      // Re-runs the checks with the GS's judgement, so APPROVE cannot rely on results stored earlier.
      approvalChecksPass: ({ context, event }) =>
        event.type === 'APPROVE' && !anyBlockingCheckFails(runChecks(context.request, event)),
    },
    actions: {
      recordChecks: assign({ checks: ({ context }) => runChecks(context.request) }),
      replaceRequest: assign((_, params: { request: NoticeRequest }) => ({ request: params.request })),
      askQuestion: assign((_, params: { question: string }) => ({ pendingQuestion: params.question })),
      applyAnswer: assign(({ context }, params: { changes?: NoticeRequestChanges }) => {
        const request = applyRequestChanges(context.request, params.changes);
        return { request, checks: runChecks(request) };
      }),
      publish: assign(({ context }, params: ApprovalJudgement & { at: string }) => {
        const publishedAt = normalizeIso(params.at);
        return {
          checks: runChecks(context.request, params),
          publishedAt,
          expiresAt: expiryFrom(publishedAt, config),
        };
      }),
      // Validity runs on from the old expiry, not from the renewal date (domain: "expiry moves 5 years on").
      extendValidity: assign(({ context }) => ({
        expiresAt: context.expiresAt === null ? null : expiryFrom(context.expiresAt, config),
      })),
      // Never in the past: a notice resumed after its window opened gets the window at once.
      scheduleRenewalWindow: assign(({ context, event }) => ({
        deadlines: only(context.expiresAt, (expiresAt) => ({
          event: 'OPEN_RENEWAL' as const,
          at: latest(renewalWindowOpensAt(expiresAt, config), normalizeIso(event.at)),
        })),
      })),
      scheduleExpiry: assign(({ context }) => ({
        deadlines: only(context.expiresAt, (expiresAt) => ({ event: 'EXPIRE' as const, at: expiresAt })),
      })),
      scheduleSuspensionLapse: assign(({ event }) => ({
        deadlines: [{ event: 'LAPSE_SUSPENSION' as const, at: suspensionLapsesAt(event.at, config) }],
      })),
      scheduleInfoTimeout: assign(({ event }) => ({
        deadlines: [{ event: 'INFO_TIMEOUT' as const, at: infoAnswerDueAt(event.at, config) }],
      })),
      closeQuestion: assign({ pendingQuestion: null, deadlines: [] }),
      clearDeadlines: assign({ deadlines: [] }),
    },
  });
}

const BY_GS = { type: 'actorIs', params: { role: 'gs' } } as const;
const BY_CCF = { type: 'actorIs', params: { role: 'ccf' } } as const;
const BY_SYSTEM = { type: 'actorIs', params: { role: 'system' } } as const;

/**
 * Builds the lifecycle machine of one notice type; `config` overrides the durations (the assumed
 * ones are meant to be tuned per exercise).
 */
export function createNoticeMachine(type: NoticeType, config: DeadlineConfig = DEADLINE_CONFIG) {
  const isYellow = type === 'YELLOW';
  const withdraw = {
    target: 'withdrawn',
    guard: 'actorIsOwner',
    description: 'Owner NCB withdraws: purpose achieved',
  } as const;
  const cancel = { target: 'cancelled', guard: BY_GS, description: 'GS cancels: conditions lapsed' } as const;
  const remove = { target: 'deleted', guard: BY_CCF, description: 'CCF deletes by binding decision' } as const;
  const expire = { target: 'expired', guard: BY_SYSTEM, description: 'Not renewed by the expiry date' } as const;
  const reportLocated = {
    target: 'located',
    guard: 'actorIsAnyNcb',
    description: 'An NCB reports the missing person found',
  } as const;
  // WITHDRAW and CANCEL end any live state after draft; DELETE only the published ones.
  const endings = { WITHDRAW: withdraw, CANCEL: cancel } as const;
  const publishedEndings = { ...endings, DELETE: remove } as const;

  return noticeSetup(config).createMachine({
    id: type === 'RED' ? 'notice-red' : 'notice-yellow',
    initial: 'draft',
    context: ({ input }) => ({
      type: input.request.type,
      requestingCountry: input.requestingCountry,
      request: input.request,
      checks: [],
      publishedAt: null,
      expiresAt: null,
      deadlines: [],
      pendingQuestion: null,
    }),
    states: {
      draft: {
        on: {
          UPDATE_DRAFT: {
            target: 'draft',
            guard: and(['actorIsOwner', 'requestOfNoticeType']),
            actions: { type: 'replaceRequest', params: ({ event }) => ({ request: event.request }) },
            description: 'Owner NCB saves changes to the draft; checks run only on SUBMIT',
          },
          SUBMIT: {
            target: 'submitted',
            guard: 'actorIsOwner',
            actions: 'recordChecks',
            description: 'Owner NCB submits; compliance checks run and are recorded',
          },
        },
      },
      submitted: {
        on: {
          START_REVIEW: { target: 'under_review', guard: BY_GS, description: 'GS starts the review' },
          ...endings,
        },
      },
      under_review: {
        entry: 'closeQuestion',
        on: {
          REQUEST_INFO: {
            target: 'info_requested',
            guard: BY_GS,
            actions: { type: 'askQuestion', params: ({ event }) => ({ question: event.question }) },
            description: 'GS asks the NCB for more information',
          },
          APPROVE: {
            target: 'published',
            guard: and([BY_GS, 'approvalChecksPass']),
            actions: {
              type: 'publish',
              params: ({ event }) => ({
                article3Cleared: event.article3Cleared,
                particularImportance: event.particularImportance,
                at: event.at,
              }),
            },
            description: 'GS publishes when no blocking check fails',
          },
          REFUSE: { target: 'refused', guard: BY_GS, description: 'GS refuses' },
          ...endings,
        },
      },
      info_requested: {
        entry: 'scheduleInfoTimeout',
        on: {
          PROVIDE_INFO: {
            target: 'under_review',
            guard: 'actorIsOwner',
            actions: { type: 'applyAnswer', params: ({ event }) => ({ changes: event.changes }) },
            description: 'Owner NCB answers; checks re-run on the changed data',
          },
          REFUSE: { target: 'refused', guard: BY_GS, description: 'GS refuses' },
          INFO_TIMEOUT: { target: 'refused', guard: BY_SYSTEM, description: 'No answer in time' },
          ...endings,
        },
      },
      published: {
        entry: 'scheduleRenewalWindow',
        on: {
          SUSPEND: { target: 'suspended', guard: 'actorIsOwner', description: 'Owner NCB suspends' },
          OPEN_RENEWAL: { target: 'renewal_pending', guard: BY_SYSTEM, description: 'Renewal window opens' },
          ...(isYellow ? { REPORT_LOCATED: reportLocated } : {}),
          ...publishedEndings,
        },
      },
      suspended: {
        entry: 'scheduleSuspensionLapse',
        on: {
          RESUME: { target: 'published', guard: 'actorIsOwner', description: 'Owner NCB resumes' },
          LAPSE_SUSPENSION: { target: 'withdrawn', guard: BY_SYSTEM, description: 'Suspension lapsed' },
          ...publishedEndings,
        },
      },
      renewal_pending: {
        entry: 'scheduleExpiry',
        on: {
          ...(isYellow ? { REPORT_LOCATED: reportLocated } : {}),
          RENEW: {
            target: 'published',
            guard: 'actorIsOwner',
            actions: 'extendValidity',
            description: 'Owner NCB renews; expiry moves on',
          },
          EXPIRE: expire,
          ...publishedEndings,
        },
      },
      // Found, the person's notice stays valid until its owner withdraws it, or it expires.
      ...(isYellow
        ? { located: { entry: 'scheduleExpiry' as const, on: { EXPIRE: expire, ...publishedEndings } } }
        : {}),
      refused: { type: 'final', entry: 'clearDeadlines' },
      withdrawn: { type: 'final', entry: 'clearDeadlines' },
      cancelled: { type: 'final', entry: 'clearDeadlines' },
      expired: { type: 'final', entry: 'clearDeadlines' },
      deleted: { type: 'final', entry: 'clearDeadlines' },
    },
  });
}

export type NoticeMachine = ReturnType<typeof createNoticeMachine>;

export const redNoticeMachine: NoticeMachine = createNoticeMachine('RED');
export const yellowNoticeMachine: NoticeMachine = createNoticeMachine('YELLOW');

/** The event a deadline fires: sent by the system, at the time it fell due (the API's and the simulation's alike). */
export const deadlineEvent = (deadline: NoticeDeadline): NoticeEvent =>
  ({ type: deadline.event, actor: { role: 'system' }, at: deadline.at }) as NoticeEvent;

export function noticeMachineFor(type: NoticeType): NoticeMachine {
  return type === 'RED' ? redNoticeMachine : yellowNoticeMachine;
}
