import { z } from 'zod';
import { MemberCountry } from '../countries/country-schemas';
import { Duration } from 'luxon';
import { storableText } from '../kernel/text';
import { ISO_DURATION, MAX_ADVANCE_YEARS, MAX_SPEED, MIN_SPEED, simulatedNow, type ExerciseClock } from './clock';
import { PARTICIPANT_ROLES, ROLES } from './exercise-types';

export const ExerciseIdParams = z.strictObject({ id: z.guid({ error: 'must be an exercise id (UUID)' }) });

export const ParticipantParams = z.strictObject({
  id: z.guid({ error: 'must be an exercise id (UUID)' }),
  pid: z.guid({ error: 'must be a participant id (UUID)' }),
});

/** A participant's display name ("Instructor Dupont"), shown wherever the participant appears. */
export const PARTICIPANT_NAME_MAX = 100;

export const AddParticipantBody = z
  .strictObject({
    role: z.enum(PARTICIPANT_ROLES),
    country: MemberCountry.optional(),
    name: storableText(PARTICIPANT_NAME_MAX, 'a display name, such as "Instructor Dupont"').optional(),
  })
  .meta({
    id: 'AddParticipant',
    description: '`country` is required for an ncb, and only an ncb has a country',
  });

export const ParticipantCreated = z
  .object({
    id: z.uuid(),
    role: z.enum(ROLES),
    country: z.string().optional(),
    name: z.string().optional(),
    token: z.string().meta({ description: 'shown once; only its hash is stored' }),
  })
  .meta({ id: 'ParticipantCreated' });

export const ParticipantResponse = z
  .object({
    id: z.uuid(),
    role: z.enum(ROLES),
    country: z.string().optional(),
    key: z.string().optional().meta({ description: 'the scenario’s key for this participant' }),
    name: z.string().optional(),
    createdAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Participant', description: 'A participant; its token is never shown again' });
export const ParticipantList = z.object({ items: z.array(ParticipantResponse) }).meta({ id: 'ParticipantList' });

const FreezeWhilePaused = z.boolean().meta({
  description: 'true: while the clock is paused, teams (ncb, gs, ccf) change nothing (409 EXERCISE_PAUSED)',
});

export const MeResponse = z
  .object({
    participantId: z.uuid(),
    role: z.enum(ROLES),
    country: z.string().optional(),
    key: z.string().optional(),
    name: z.string().optional(),
    exercise: z.object({
      id: z.uuid(),
      name: z.string(),
      title: z.string().nullable(),
      freezeWhilePaused: FreezeWhilePaused,
    }),
  })
  .meta({ id: 'Me' });

export const ClockResponse = z
  .object({
    now: z.iso.datetime().meta({ description: 'the exercise’s simulated time' }),
    running: z.boolean(),
    speed: z.number().meta({ description: 'simulated seconds per wall second' }),
    freezeWhilePaused: FreezeWhilePaused,
  })
  .meta({ id: 'Clock' });

export const ResetResponse = z
  .object({
    run: z.int().min(2).meta({ description: 'the run the reset started' }),
    clock: ClockResponse,
  })
  .meta({ id: 'ExerciseReset', description: 'The run a reset started, and its clock (back at the start, paused)' });

export const ClockActionResponse = ClockResponse.extend({
  deadlinesFired: z.int().meta({ description: 'timed transitions that fell due and fired with this action' }),
  injectsFired: z.int().meta({ description: 'scenario injects that fell due and fired with this action' }),
  injectsFailed: z.int().meta({
    description: 'injects that fell due but were refused (a team got there first, say); the report says why',
  }),
}).meta({ id: 'ClockActionResult' });

/** Forward only, and at most ten years a step, so that a typo cannot fire a century of deadlines. */
const POSITIVE = 'must be a positive ISO 8601 duration such as P30D, PT6H or P6Y';
const ADVANCE_LIMIT = `must be at most ${MAX_ADVANCE_YEARS} years`;
const advanceBy = z
  .string()
  .regex(ISO_DURATION, POSITIVE)
  .refine((v) => Duration.fromISO(v).isValid && Duration.fromISO(v).as('milliseconds') > 0, POSITIVE)
  .refine((v) => !Duration.fromISO(v).isValid || Duration.fromISO(v).as('years') <= MAX_ADVANCE_YEARS, ADVANCE_LIMIT)
  .meta({ description: `By how much: ${POSITIVE}; ${ADVANCE_LIMIT}.`, examples: ['PT2H', 'P30D', 'P6Y'] });

/** How fast a clock may run: a number that means something, so that no due time underflows or overflows. */
export const ClockSpeed = z
  .number()
  .min(MIN_SPEED, `must be at least ${MIN_SPEED} (a thousandth of real time)`)
  .max(MAX_SPEED, `must be at most ${MAX_SPEED} (a simulated year each second)`)
  .meta({
    description:
      `simulated seconds per wall second, from ${MIN_SPEED} (a thousandth of real time) ` +
      `to ${MAX_SPEED.toLocaleString('en')} (a year a second)`,
    examples: [1, 60, 3600],
  });

export const ClockActionBody = z
  .discriminatedUnion(
    'action',
    [
      z.strictObject({ action: z.literal('pause') }),
      z.strictObject({ action: z.literal('resume') }),
      z.strictObject({ action: z.literal('advance'), by: advanceBy }),
      z.strictObject({ action: z.literal('set_speed'), speed: ClockSpeed }),
    ],
    { error: 'action must be pause, resume, advance or set_speed' },
  )
  .meta({ id: 'ClockAction' });

export const clockView = (clock: ExerciseClock) => ({
  now: simulatedNow(clock).toISOString(),
  running: clock.running,
  speed: clock.speed,
  freezeWhilePaused: clock.freezeWhilePaused,
});
