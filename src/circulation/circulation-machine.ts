/** What one recipient country does with a published notice (domain table "Circulation"): a pure machine. */
import { and, setup } from 'xstate';
import type { Actor, Role } from '../exercises/exercise-types';
import { CIRCULATING_STATES, isCirculating, type NoticeState, type NoticeType } from '../notices/notice-types';

export const CIRCULATION_STATES = [
  'received',
  'acknowledged',
  'hit',
  'provisional_arrest',
  'surrendered',
  'declined',
  'located',
  'closed',
] as const;
export type CirculationState = (typeof CIRCULATION_STATES)[number];

/** `declined` is not final: the record stays open until the notice ends and the system closes it. */
export const FINAL_CIRCULATION_STATES: readonly CirculationState[] = ['surrendered', 'located', 'closed'];

export const CIRCULATION_EVENT_TYPES = [
  'ACKNOWLEDGE',
  'REPORT_HIT',
  'PROVISIONAL_ARREST',
  'DECLINE_ACTION',
  'SURRENDER',
  'REPORT_LOCATED',
  'CLOSE',
] as const;
export type CirculationEventType = (typeof CIRCULATION_EVENT_TYPES)[number];

export interface CirculationContext {
  noticeType: NoticeType;
  /** The recipient country (ISO 3166-1 alpha-2). */
  country: string;
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
    | { type: 'CLOSE' }
  );

/** Guards on who sends the event; `evaluateEvent` reports their failure as `forbidden`. */
export const CIRCULATION_ROLE_GUARDS = ['actorIs', 'actorIsCountryNcb'] as const;

/**
 * Guards on the record alone (its notice type), fixed for the record's life: passed to `evaluateEvent`
 * as `stateGuards`, so a Red-only event on a Yellow record is `invalid_state`, not a failed guard.
 */
export const CIRCULATION_STATE_GUARDS = ['noticeTypeIs'] as const;

/** Why a circulation event whose role and type fit was still refused (the `guard_failed` case), or null. */
export function circulationGuardFailure(event: CirculationEvent): string | null {
  if (event.type === 'CLOSE' || isCirculating(event.noticeState)) return null;
  const active = CIRCULATING_STATES.join(' or ');
  return `The notice is ${event.noticeState}: a circulation record only moves while the notice is ${active}.`;
}

const circulationSetup = setup({
  types: {} as { context: CirculationContext; events: CirculationEvent; input: CirculationInput },
  guards: {
    actorIs: ({ event }, params: { role: Role }) => event.actor.role === params.role,
    actorIsCountryNcb: ({ context, event }) => event.actor.role === 'ncb' && event.actor.country === context.country,
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
  context: ({ input }) => ({ noticeType: input.noticeType, country: input.country }),
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
    provisional_arrest: {
      on: {
        SURRENDER: {
          target: 'surrendered',
          guard: and([RED, 'actorIsCountryNcb', 'noticeIsActive']),
          description: 'Extradited to the requesting country',
        },
        CLOSE: close,
      },
    },
    declined: { on: { CLOSE: close } },
    surrendered: { type: 'final' },
    located: { type: 'final' },
    closed: { type: 'final' },
  },
});

export type CirculationMachine = typeof circulationMachine;
