/** What one recipient country does with a published notice (domain table "Circulation"): a pure machine. */
import { and, setup } from 'xstate';
import type { Actor, Role } from '../exercises/exercise-types';
import { CIRCULATING_STATES, isCirculating, type NoticeState, type NoticeType } from '../notices/notice-types';

export const CIRCULATION_STATES = [
  'received',
  'acknowledged',
  'hit',
  'provisional_arrest',
  'extradition_requested',
  'extradition_granted',
  'extradition_refused',
  'released',
  'surrendered',
  'declined',
  'located',
  'closed',
] as const;
export type CirculationState = (typeof CIRCULATION_STATES)[number];

/** `declined` is not final: the record stays open until the notice ends and the system closes it. */
export const FINAL_CIRCULATION_STATES: readonly CirculationState[] = [
  'surrendered',
  'extradition_refused',
  'released',
  'located',
  'closed',
];

/**
 * A person held after a provisional arrest: the record goes on whatever becomes of the notice (it is
 * not closed when the notice ends) until surrender, refusal or release.
 */
export const HOLDING_STATES: readonly CirculationState[] = [
  'provisional_arrest',
  'extradition_requested',
  'extradition_granted',
];

/** Events of the extradition step, taken whatever the notice's state by then. */
export const EXTRADITION_EVENT_TYPES = [
  'EXTRADITION_REQUESTED',
  'GRANT_EXTRADITION',
  'REFUSE_EXTRADITION',
  'SURRENDER',
  'RELEASE',
] as const;

/** Why a requested country refuses extradition (not the notice refusal's `grounds`). */
export const EXTRADITION_REFUSAL_BASES = [
  'nationality',
  'political_offence',
  'death_penalty',
  'fair_trial',
  'statute_of_limitations',
  'insufficient_request',
  'other',
] as const;
export type ExtraditionRefusalBasis = (typeof EXTRADITION_REFUSAL_BASES)[number];

export const CIRCULATION_EVENT_TYPES = [
  'ACKNOWLEDGE',
  'REPORT_HIT',
  'PROVISIONAL_ARREST',
  'DECLINE_ACTION',
  'SURRENDER',
  'REPORT_LOCATED',
  'EXTRADITION_REQUESTED',
  'GRANT_EXTRADITION',
  'REFUSE_EXTRADITION',
  'RELEASE',
  'CLOSE',
] as const;
export type CirculationEventType = (typeof CIRCULATION_EVENT_TYPES)[number];

export interface CirculationContext {
  noticeType: NoticeType;
  /** The recipient country (ISO 3166-1 alpha-2). */
  country: string;
  /** The notice's requesting country, which sends the formal extradition request. */
  requestingCountry?: string | undefined;
}

export type CirculationInput = CirculationContext;

/** `noticeState` is the notice's state when the event is sent: the record only moves while the notice is active. */
interface EventMeta {
  actor: Actor;
  at: string;
  noticeState: NoticeState;
}

export type CirculationEvent = EventMeta &
  (
    | { type: 'ACKNOWLEDGE' }
    | { type: 'REPORT_HIT'; details: string }
    | { type: 'PROVISIONAL_ARREST' }
    | { type: 'DECLINE_ACTION'; reason: string }
    | { type: 'SURRENDER' }
    | { type: 'REPORT_LOCATED'; details: string }
    | { type: 'EXTRADITION_REQUESTED'; details?: string | undefined }
    | { type: 'GRANT_EXTRADITION'; details?: string | undefined }
    | { type: 'REFUSE_EXTRADITION'; reason: string; basis: ExtraditionRefusalBasis }
    | { type: 'RELEASE' }
    | { type: 'CLOSE' }
  );

/** Guards on who sends the event; `evaluateEvent` reports their failure as `forbidden`. */
export const CIRCULATION_ROLE_GUARDS = ['actorIs', 'actorIsCountryNcb', 'actorIsRequester'] as const;

/**
 * Guards on the record alone (its notice type), fixed for the record's life: passed to `evaluateEvent`
 * as `stateGuards`, so a Red-only event on a Yellow record is `invalid_state`, not a failed guard.
 */
export const CIRCULATION_STATE_GUARDS = ['noticeTypeIs'] as const;

const EXTRADITION: ReadonlySet<string> = new Set(EXTRADITION_EVENT_TYPES);
export const isExtraditionEvent = (type: string): boolean => EXTRADITION.has(type);

/** Why a circulation event whose role and type fit was still refused (the `guard_failed` case), or null. */
export function circulationGuardFailure(event: CirculationEvent): string | null {
  if (event.type === 'CLOSE' || isExtraditionEvent(event.type) || isCirculating(event.noticeState)) return null;
  const active = CIRCULATING_STATES.join(' or ');
  return `The notice is ${event.noticeState}: a circulation record only moves while the notice is ${active}.`;
}

const circulationSetup = setup({
  types: {} as { context: CirculationContext; events: CirculationEvent; input: CirculationInput },
  guards: {
    actorIs: ({ event }, params: { role: Role }) => event.actor.role === params.role,
    actorIsCountryNcb: ({ context, event }) => event.actor.role === 'ncb' && event.actor.country === context.country,
    actorIsRequester: ({ context, event }) =>
      event.actor.role === 'ncb' &&
      context.requestingCountry !== undefined &&
      event.actor.country === context.requestingCountry,
    noticeTypeIs: ({ context }, params: { type: NoticeType }) => context.noticeType === params.type,
    noticeIsActive: ({ event }) => isCirculating(event.noticeState),
  },
});

const RED = { type: 'noticeTypeIs', params: { type: 'RED' } } as const;
const YELLOW = { type: 'noticeTypeIs', params: { type: 'YELLOW' } } as const;
const close = {
  target: 'closed',
  guard: { type: 'actorIs', params: { role: 'system' } },
  description: 'The notice ended: withdrawn, cancelled, expired or deleted',
} as const;

const release = {
  target: 'released',
  guard: { type: 'actorIs', params: { role: 'system' } },
  description: 'No extradition request by the deadline: the person is released',
} as const;

/** The subject turns up in the record's country: a hit (Red) or a location (Yellow), acknowledged or not. */
const found = {
  REPORT_HIT: {
    target: 'hit',
    guard: and([RED, 'actorIsCountryNcb', 'noticeIsActive']),
    description: 'Subject found in the country',
  },
  REPORT_LOCATED: {
    target: 'located',
    guard: and([YELLOW, 'actorIsCountryNcb', 'noticeIsActive']),
    description: 'Missing person found in the country',
  },
} as const;

export const circulationMachine = circulationSetup.createMachine({
  id: 'circulation',
  initial: 'received',
  context: ({ input }) => ({
    noticeType: input.noticeType,
    country: input.country,
    ...(input.requestingCountry !== undefined && { requestingCountry: input.requestingCountry }),
  }),
  states: {
    received: {
      on: {
        ACKNOWLEDGE: {
          target: 'acknowledged',
          guard: and(['actorIsCountryNcb', 'noticeIsActive']),
          description: 'Loaded into national systems',
        },
        ...found,
        CLOSE: close,
      },
    },
    acknowledged: {
      on: {
        ...found,
        CLOSE: close,
      },
    },
    hit: {
      on: {
        PROVISIONAL_ARREST: {
          target: 'provisional_arrest',
          guard: and([RED, 'actorIsCountryNcb', 'noticeIsActive']),
          description: 'Arrested under national law',
        },
        DECLINE_ACTION: {
          target: 'declined',
          guard: and([RED, 'actorIsCountryNcb', 'noticeIsActive']),
          description: 'The country declines to act',
        },
        CLOSE: close,
      },
    },
    // Held after the arrest, whatever becomes of the notice: the requester has until the release deadline.
    provisional_arrest: {
      on: {
        EXTRADITION_REQUESTED: {
          target: 'extradition_requested',
          guard: and([RED, 'actorIsRequester']),
          description: 'The requester sends the formal extradition request in time',
        },
        SURRENDER: {
          target: 'surrendered',
          guard: and([RED, 'actorIsCountryNcb']),
          description: 'Surrendered under the simplified procedure: the person consented',
        },
        RELEASE: release,
      },
    },
    extradition_requested: {
      on: {
        GRANT_EXTRADITION: {
          target: 'extradition_granted',
          guard: and([RED, 'actorIsCountryNcb']),
          description: 'Extradition granted',
        },
        REFUSE_EXTRADITION: {
          target: 'extradition_refused',
          guard: and([RED, 'actorIsCountryNcb']),
          description: 'Extradition refused, with its basis: an addendum to the notice',
        },
      },
    },
    extradition_granted: {
      on: {
        SURRENDER: {
          target: 'surrendered',
          guard: and([RED, 'actorIsCountryNcb']),
          description: 'Extradited to the requesting country',
        },
      },
    },
    extradition_refused: { type: 'final' },
    released: { type: 'final' },
    declined: { on: { CLOSE: close } },
    surrendered: { type: 'final' },
    located: { type: 'final' },
    closed: { type: 'final' },
  },
});

export type CirculationMachine = typeof circulationMachine;
