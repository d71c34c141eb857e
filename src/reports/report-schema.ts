/** The debrief report's shape: the API's response schema, and the report's types inferred from it. */
import { z } from 'zod';
import { REFUSAL_GROUNDS } from '../notices/notice-types';
import { DatabaseFiguresSchema } from './report-databases';
import { MessageFiguresSchema } from './report-messages';

const Seconds = z.number().nullable().meta({ description: 'simulated seconds' });

const TypedTextSchema = z
  .object({
    field: z.string().meta({ description: 'the event’s field: details, reason, question, answer, grounds, …' }),
    label: z.string().meta({ description: 'the field in words' }),
    text: z.string().meta({ description: 'what was typed (grounds and corrected fields in words)' }),
  })
  .meta({ description: 'text a participant typed with the event' });

const TimelineEntrySchema = z.object({
  at: z.iso.datetime(),
  recordedAt: z.iso.datetime(),
  noticeId: z.uuid(),
  notice: z.string().meta({ description: 'the scenario’s key for the notice, or its id' }),
  seq: z.int(),
  type: z.string(),
  actor: z.object({
    role: z.string(),
    country: z.string().optional(),
    participant: z.string().optional().meta({ description: 'the participant’s scenario key, or its id' }),
    name: z.string().meta({ description: 'who acted, as the report names them: “NCB Paris (France)”' }),
  }),
  from: z.string().nullable(),
  to: z.string(),
  country: z.string().optional(),
  typed: z.array(TypedTextSchema),
});

const NoticeFiguresSchema = z.object({
  id: z.uuid(),
  key: z.string().nullable(),
  type: z.enum(['RED', 'YELLOW']),
  requestingCountry: z.string(),
  state: z.string(),
  createdAt: z.iso.datetime(),
  submittedAt: z.iso.datetime().nullable(),
  publishedAt: z.iso.datetime().nullable(),
  /** First hit (Red) or location (Yellow) reported by any country. */
  firstHitAt: z.iso.datetime().nullable(),
  firstHitCountry: z.string().nullable(),
  endedAt: z.iso.datetime().nullable(),
  seconds: z.object({ submissionToPublication: Seconds, publicationToFirstHit: Seconds, publicationToEnd: Seconds }),
  records: z.record(z.string(), z.int()).meta({ description: 'circulation records by state' }),
});

const PromptSchema = z
  .object({
    type: z.string(),
    seq: z.int().meta({ description: 'its place in the same notice’s history' }),
    at: z.iso.datetime(),
    country: z.string().optional().meta({ description: 'the record’s country, for a record’s event' }),
  })
  .meta({ description: 'the event that prompted the action' });

const ParticipantFiguresSchema = z.object({
  id: z.uuid(),
  key: z.string().nullable(),
  name: z.string().nullable(),
  label: z.string().meta({ description: 'the name as the report shows it: “NCB Paris (France)”, or role and country' }),
  role: z.string(),
  country: z.string().nullable(),
  actions: z.int(),
  byType: z.record(z.string(), z.int()),
  responseSeconds: z.object({ count: z.int(), median: Seconds, mean: Seconds, max: Seconds }),
  responses: z
    .array(
      z.object({
        at: z.iso.datetime(),
        notice: z.string(),
        seq: z.int().meta({ description: 'the action’s place in its notice’s history' }),
        type: z.string(),
        country: z.string().optional(),
        rule: z.string().meta({ description: 'the response rule that chose `after` (`latest-seen`: the fallback)' }),
        after: PromptSchema,
        seconds: z.number(),
      }),
    )
    .meta({
      description:
        'each action with the simulated time since the event that prompted it (the response rules: START_REVIEW ' +
        'from SUBMIT; APPROVE, REFUSE, REQUEST_INFO from the latest SUBMIT or PROVIDE_INFO; PROVIDE_INFO from ' +
        'REQUEST_INFO; ACKNOWLEDGE, REPORT_HIT from APPROVE; PROVISIONAL_ARREST from the record’s REPORT_HIT; ' +
        'SURRENDER from the record’s PROVISIONAL_ARREST; RENEW from OPEN_RENEWAL; WITHDRAW from the SURRENDER ' +
        'or REPORT_LOCATED that achieved the purpose; anything else from the latest earlier event on the notice ' +
        'by someone else that this participant could see)',
    }),
});

const ExpectationOutcomeSchema = z.object({
  id: z.string(),
  description: z.string(),
  notice: z.string().nullable().meta({ description: 'the notice’s key; null for an expected answer' }),
  message: z.string().optional().meta({ description: 'an expected answer’s: the message’s key' }),
  expects: z.string(),
  score: z.int(),
  outcome: z.enum(['met', 'missed', 'pending']),
  from: z.iso.datetime().nullable().meta({ description: 'start of the window, once its reference point happened' }),
  due: z.iso.datetime().nullable().meta({ description: 'end of the window' }),
  happenedAt: z.iso.datetime().nullable().meta({ description: 'when the expected state or event happened' }),
});

const InjectErrorSchema = z.object({
  status: z.int(),
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});

const InjectOutcomeSchema = z.object({
  seq: z.int(),
  at: z.iso.datetime(),
  as: z.string().nullable(),
  note: z.string().nullable(),
  does: z.string(),
  status: z.enum(['pending', 'done', 'failed', 'skipped']),
  error: InjectErrorSchema.nullable(),
});

const RefusalsSchema = z
  .object({
    total: z.int(),
    byGround: z
      .record(z.enum(REFUSAL_GROUNDS), z.int())
      .meta({ description: 'a refusal on several grounds counts for each' }),
    unanswered: z.int().meta({ description: 'refused because a request for information went unanswered in time' }),
  })
  .meta({ description: 'requests refused, by ground (INTERPOL reports refusals by Art. 2 and Art. 3)' });

const ReportAggregatesSchema = z
  .object({
    above: z.int().meta({ description: 'the number of notices above which a debrief is aggregated' }),
    byState: z.array(z.object({ type: z.enum(['RED', 'YELLOW']), state: z.string(), count: z.int() })),
    eventsByMonth: z
      .array(z.object({ month: z.string().meta({ description: 'YYYY-MM' }), type: z.string(), count: z.int() }))
      .meta({ description: 'history entries by simulated month and event (the notices’ and their records’)' }),
    submissionToPublication: z.object({
      count: z.int(),
      mean: Seconds,
      p50: Seconds,
      p95: Seconds,
      days: z.array(z.int()).meta({ description: 'notices published after 0, 1, … whole days; the last: 60 or more' }),
    }),
    recordsByState: z
      .record(z.string(), z.int())
      .meta({ description: 'circulation records acted on, by state (a recipient that did nothing has none)' }),
  })
  .meta({
    description:
      'a large exercise’s debrief (more notices than `above`, no scenario): totals and distributions, in place ' +
      'of the timeline, the notices’ rows and the participants’ response times, which are then empty',
  });

export const ExerciseReportResponse = z
  .object({
    exercise: z.object({
      id: z.uuid(),
      name: z.string(),
      title: z.string().nullable(),
      briefing: z.string().nullable(),
      start: z.iso.datetime().nullable(),
      now: z.iso.datetime(),
    }),
    summary: z.object({
      notices: z.int(),
      events: z.int(),
      injects: z.object({ done: z.int(), failed: z.int(), pending: z.int(), skipped: z.int() }),
      refusals: RefusalsSchema,
      score: z.int(),
      maxScore: z.int(),
    }),
    timeline: z.array(TimelineEntrySchema),
    notices: z.array(NoticeFiguresSchema),
    participants: z.array(ParticipantFiguresSchema),
    expectations: z.array(ExpectationOutcomeSchema),
    injects: z.array(InjectOutcomeSchema),
    aggregates: ReportAggregatesSchema.nullable(),
    databases: DatabaseFiguresSchema.nullable().meta({ description: 'null where the databases are not kept' }),
    messages: MessageFiguresSchema.nullable().meta({ description: 'null where messages are not kept' }),
  })
  .meta({ id: 'ExerciseReport' });

/**
 * The debrief: what happened in an exercise, in simulated order, and how fast. Durations are in
 * simulated seconds.
 */
export type ExerciseReport = z.infer<typeof ExerciseReportResponse>;
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
export type NoticeFigures = z.infer<typeof NoticeFiguresSchema>;
export type ParticipantFigures = z.infer<typeof ParticipantFiguresSchema>;
export type ExpectationOutcome = z.infer<typeof ExpectationOutcomeSchema>;
export type InjectOutcome = z.infer<typeof InjectOutcomeSchema>;
export type Refusals = z.infer<typeof RefusalsSchema>;
export type ReportAggregates = z.infer<typeof ReportAggregatesSchema>;
export type ResponseTime = ParticipantFigures['responses'][number];
