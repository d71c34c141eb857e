import { z } from 'zod';
import { ClockResponse } from '../exercises/exercise-schemas';
import { ROLES } from '../exercises/exercise-types';
import { RECORD_KINDS } from '../databases/record-schemas';
import { NOTICE_TYPES } from '../notices/notice-types';
import { PRIORITIES } from '../messages/message-schemas';

/** A change to a notice or to one of its circulation records. */
const NoticeStreamEvent = z
  .object({
    subject: z.literal('notice'),
    noticeId: z.uuid(),
    seq: z.int().meta({ description: 'the event’s number in the notice’s history' }),
    type: z.string(),
    actor: z.object({ role: z.enum(ROLES), country: z.string().optional() }),
    participantId: z.uuid().nullable(),
    from: z.string().nullable(),
    to: z.string(),
    country: z.string().optional().meta({ description: 'the circulation record’s country, for a record’s event' }),
    at: z.iso.datetime(),
    recordedAt: z.iso.datetime(),
    noticeState: z.string().meta({ description: 'the notice’s state right after this event' }),
    noticeType: z.enum(NOTICE_TYPES),
  })
  .meta({ id: 'NoticeStreamEvent' });

/** A database record created, changed or deleted by its owner (src/databases/). */
const RecordStreamEvent = z
  .object({
    subject: z.literal('record'),
    recordId: z.uuid(),
    seq: z.int().meta({ description: 'the change’s number in the record’s history' }),
    type: z.enum(['CREATE', 'UPDATE', 'DELETE']),
    kind: z.enum(RECORD_KINDS),
    ownerCountry: z.string(),
    actor: z.object({ role: z.enum(ROLES), country: z.string().optional() }),
    participantId: z.uuid().nullable(),
    at: z.iso.datetime(),
    recordedAt: z.iso.datetime(),
  })
  .meta({ id: 'RecordStreamEvent' });

/**
 * A notification for one participant: a search hit a record its country owns, or the subject of a notice
 * it requested. Only that country (and the facilitator and observers, who see everything) hears of it.
 */
const NotificationStreamEvent = z
  .object({
    subject: z.literal('notification'),
    about: z.literal('hit'),
    hitId: z.uuid(),
    searchId: z.uuid(),
    recordId: z.uuid().optional(),
    noticeId: z.uuid().optional(),
    kind: z.enum([...RECORD_KINDS, 'notice']),
    score: z.number(),
    ownerCountry: z.string(),
    searcher: z.object({ role: z.enum(ROLES), country: z.string().optional() }),
    at: z.iso.datetime(),
  })
  .meta({ id: 'NotificationStreamEvent' });

/**
 * An I-24/7 message sent (`SENT`), or read by one of its recipients (`READ`, its read receipt): told to
 * its sender and recipients (and the facilitator and observers).
 */
const MessageStreamEvent = z
  .object({
    subject: z.literal('message'),
    type: z.enum(['SENT', 'READ']),
    messageId: z.uuid(),
    threadId: z.uuid(),
    replyTo: z.uuid().optional(),
    from: z.string().meta({ description: 'the sender’s address: a country’s code, "gs", "ccf" or "system"' }),
    to: z.array(z.string()),
    priority: z.enum(PRIORITIES),
    title: z.string().meta({ description: 'the message’s subject line' }),
    about: z
      .object({ noticeId: z.uuid().optional(), country: z.string().optional(), hitId: z.uuid().optional() })
      .optional(),
    by: z.string().optional().meta({ description: 'READ: the recipient’s address that read it' }),
    at: z.iso.datetime().meta({ description: 'simulated time it was sent (SENT) or read (READ)' }),
  })
  .meta({ id: 'MessageStreamEvent' });

/**
 * The `data` of each stream message: a change to one subject of the exercise, told apart by
 * `subject` (`notice`, `record`, `notification`, `message`).
 */
export const StreamEvent = z
  .discriminatedUnion('subject', [NoticeStreamEvent, RecordStreamEvent, NotificationStreamEvent, MessageStreamEvent])
  .meta({ id: 'StreamEvent', description: 'The `data` of each `notice-event` message' });
export type StreamEventData = z.infer<typeof StreamEvent>;

/** The `data` of a `reset` message: the facilitator started the exercise's next run (src/exercises/runs.ts). */
export const StreamReset = z
  .object({
    run: z.int().min(2).meta({ description: 'the run the reset started: lists show it from now on' }),
    clock: ClockResponse.meta({ description: 'the clock the run starts on: back at the start, paused' }),
  })
  .meta({ id: 'StreamReset', description: 'The `data` of each `reset` message' });
export type StreamResetData = z.infer<typeof StreamReset>;

/** What a stream message carries: a StreamEvent (`event: notice-event`) or a StreamReset (`event: reset`). */
export const StreamMessage = z
  .union([StreamEvent, StreamReset])
  .meta({ id: 'StreamMessage', description: 'The `data` of a message: a StreamEvent, or a StreamReset' });
