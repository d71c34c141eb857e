/** The messages' API shapes: a message to send, a message as it is read, and the lists' queries. */
import { z } from 'zod';
import { MEMBER_COUNTRIES } from '../countries/member-countries';
import { ROLES } from '../exercises/exercise-types';
import { RunQueryField } from '../exercises/runs';
import { PAGE_QUERY, storableText } from '../kernel/text';
import { TEAM_ADDRESSES } from './message-visibility';

export const PRIORITIES = ['urgent', 'routine'] as const;
export type Priority = (typeof PRIORITIES)[number];

const ADDRESSES: [string, ...string[]] = [...TEAM_ADDRESSES, ...MEMBER_COUNTRIES.map((c) => c.code)];
const ADDRESS_RULE = 'a member country’s code (its NCB), "gs" or "ccf"';

export const Address = z
  .enum(ADDRESSES, { error: `must be ${ADDRESS_RULE}` })
  .meta({ id: 'MessageAddress', description: `Who a message goes to: ${ADDRESS_RULE}`, example: 'FR' });

const NO_TWICE = 'must not name an address twice';
const TO_NEEDED = 'must name at least one recipient unless the message replies to another';
const ONE_ABOUT = 'must name a noticeId (with a country for its circulation record) or a hitId, not both';

const uuid = (of: string) => z.guid({ error: `must be ${of} id (UUID)` });

const About = z
  .strictObject({
    noticeId: uuid('a notice')
      .optional()
      .meta({ description: 'a notice you see: must be a notice id (UUID) of the exercise’s current run' }),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be a country code, two capital letters, with noticeId')
      .optional()
      .meta({
        description:
          'the circulation record of this country: must be a country code, two capital letters, with noticeId; ' +
          'must come with noticeId',
      }),
    hitId: uuid('a hit')
      .optional()
      .meta({ description: 'a hit you see: must be a hit id (UUID) of the exercise’s current run' }),
  })
  .superRefine((about, ctx) => {
    const notice = about.noticeId !== undefined;
    const hit = about.hitId !== undefined;
    if (notice === hit) ctx.addIssue({ code: 'custom', message: ONE_ABOUT, path: [] });
    if (about.country !== undefined && !notice) {
      ctx.addIssue({ code: 'custom', message: 'must come with noticeId', path: ['country'] });
    }
  })
  .meta({
    id: 'MessageAbout',
    description: `What the message is about: ${ONE_ABOUT}; a country must come with noticeId`,
  });
export type AboutInput = z.infer<typeof About>;

export const SendMessageBody = z
  .strictObject({
    to: z
      .array(Address)
      .min(1)
      .max(200)
      .refine((list) => new Set(list).size === list.length, NO_TWICE)
      .optional()
      .meta({
        description:
          `the recipients, at most 200, each ${ADDRESS_RULE}; ${NO_TWICE}; must not name the sender itself. ` +
          `Left out of a reply, the sender of the message replied to (it must name a recipient: the message ` +
          `replied to came from the system); otherwise the field ${TO_NEEDED}`,
      }),
    about: About.optional(),
    priority: z.enum(PRIORITIES).default('routine').meta({ description: 'urgent or routine (the default)' }),
    subject: storableText(200, 'the subject line'),
    body: storableText(10_000, 'the text'),
    replyTo: uuid('a message')
      .optional()
      .meta({
        description:
          'the message this one answers: must be a message id (UUID) you can see, of the exercise’s current run. ' +
          'The reply joins its thread and, left out, takes its `about`',
      }),
  })
  .superRefine((body, ctx) => {
    if (body.to === undefined && body.replyTo === undefined) {
      ctx.addIssue({ code: 'custom', message: TO_NEEDED, path: ['to'] });
    }
  })
  .meta({ id: 'SendMessage', description: 'An I-24/7 message to send' });
export type SendMessageInput = z.infer<typeof SendMessageBody>;

export const MessageIdParams = z.strictObject({ id: uuid('a message') });

export const MESSAGE_BOXES = ['all', 'inbox', 'sent'] as const;

export const ListMessagesQuery = z.strictObject({
  run: RunQueryField,
  box: z
    .enum(MESSAGE_BOXES)
    .default('all')
    .meta({
      description:
        'inbox: what you received; sent: what you sent; all (the default): both. The facilitator and observers, ' +
        'who receive and send nothing, always read all',
    }),
  noticeId: uuid('a notice')
    .optional()
    .meta({ description: 'only messages about this notice (or one of its records): must be a notice id (UUID)' }),
  threadId: uuid('a message')
    .optional()
    .meta({ description: 'only this thread: must be a message id (UUID), the thread’s first' }),
  unread: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .meta({
      description:
        'true: only what you received and have not read (a team; the facilitator and observers read all); must be ' +
        'true or false',
    }),
  ...PAGE_QUERY,
});
export type ListMessagesInput = z.infer<typeof ListMessagesQuery>;

const Actor = z.object({ role: z.enum(ROLES), country: z.string().optional() });

export const MessageResponse = z
  .object({
    id: z.uuid(),
    run: z.int(),
    threadId: z.uuid().meta({ description: 'the id of the thread’s first message' }),
    replyTo: z.uuid().optional(),
    from: z.string().meta({ description: 'the sender’s address: a country’s code, "gs", "ccf" or "system"' }),
    sender: Actor,
    to: z.array(z.string()),
    priority: z.enum(PRIORITIES),
    subject: z.string(),
    body: z.string(),
    about: z
      .object({ noticeId: z.uuid().optional(), country: z.string().optional(), hitId: z.uuid().optional() })
      .optional(),
    at: z.iso.datetime().meta({ description: 'simulated time it was sent' }),
    reads: z
      .array(z.object({ by: z.string(), at: z.iso.datetime() }))
      .meta({ description: 'read receipts: which recipient read it first when (simulated time)' }),
  })
  .meta({ id: 'Message', description: 'An I-24/7 message, with its read receipts' });
export type MessageDto = z.infer<typeof MessageResponse>;

export const MessageListResponse = z.object({ items: z.array(MessageResponse) });
