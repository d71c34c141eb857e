import { z } from 'zod';
import { ROLES } from '../exercises/exercise-types';
import { NOTICE_TYPES } from '../notices/notice-types';

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

/**
 * The `data` of each stream message: a change to one subject of the exercise, told apart by
 * `subject` (`notice` today; database records and messages join the union as they come).
 */
export const StreamEvent = z
  .discriminatedUnion('subject', [NoticeStreamEvent])
  .meta({ id: 'StreamEvent', description: 'The `data` of each `notice-event` message' });
export type StreamEventData = z.infer<typeof StreamEvent>;
