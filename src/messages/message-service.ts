/**
 * I-24/7 messages: a team (an NCB, the GS, the CCF) writes to others about a notice, one of its
 * circulation records or a hit; a reply joins its thread; a recipient's first read is its receipt. The
 * sender and the recipients see a message, and the facilitator and observers see them all. The
 * `system` tells and prompts teams through the same rows (`tell`).
 */
import { randomUUID } from 'node:crypto';
import { simulatedNow } from '../exercises/clock';
import { actorOf, type Principal } from '../exercises/exercise-types';
import { EarlierRunError, type RunOf } from '../exercises/runs';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors';
import type { NoticeStore } from '../notices/notice-store-type';
import { canSeeNotice, canSeePart, isRecipientOf, type Reader } from '../notices/notice-visibility';
import type { AboutInput, ListMessagesInput, MessageDto, SendMessageInput } from './message-schemas';
import type { MessageAbout, MessageStore, NewMessage, StoredMessage } from './message-store';
import { addressOf, canSeeMessage } from './message-visibility';

/** A scenario inject's message: at its own time, with its key, marked done in the same transaction. */
export interface ScriptedMessage {
  at: Date;
  key: string;
  within: Parameters<MessageStore['send']>[1];
}

export interface MessageService {
  send(principal: Principal, exerciseId: string, body: SendMessageInput, script?: ScriptedMessage): Promise<MessageDto>;
  get(principal: Principal, messageId: string): Promise<MessageDto>;
  list(principal: Principal, exerciseId: string, query: ListMessagesInput): Promise<MessageDto[]>;
  read(principal: Principal, messageId: string): Promise<MessageDto>;
  /** The id of the message a scenario inject sent with this key in the run, if any. */
  idOfKey(exerciseId: string, run: number, key: string): Promise<string | null>;
}

const SENDERS: ReadonlySet<string> = new Set(['ncb', 'gs', 'ccf']);

/** An exercise gone meanwhile reads as null; any other failure (the database away) stays what it is. */
const goneAsNull = (error: unknown): null => {
  if (error instanceof NotFoundError) return null;
  throw error;
};

export const toMessageDto = (m: StoredMessage): MessageDto => ({
  id: m.id,
  run: m.run,
  threadId: m.threadId,
  ...(m.replyTo && { replyTo: m.replyTo }),
  from: m.sender,
  sender: m.senderActor,
  to: m.recipients,
  priority: m.priority,
  subject: m.subject,
  body: m.body,
  ...(m.about && { about: m.about }),
  at: m.at.toISOString(),
  reads: m.reads.map((r) => ({ by: r.by, at: r.at.toISOString() })),
});

export function createMessageService(deps: {
  store: MessageStore;
  notices: Pick<NoticeStore, 'find'>;
  /** The run of a hit the reader sees in the exercise, or null (the databases feature answers). */
  hitRun: (exerciseId: string, reader: Reader, hitId: string) => Promise<number | null>;
  runOf: RunOf;
  onCommitted: (exerciseId: string) => Promise<void>;
  wallNow?: () => Date;
}): MessageService {
  const { store } = deps;
  const wallNow = deps.wallNow ?? (() => new Date());
  const readerOf = (p: Principal): Reader => ({ role: p.role, country: p.country });

  async function visible(principal: Principal, messageId: string): Promise<StoredMessage> {
    const message = await store.find(messageId);
    if (!message || message.exerciseId !== principal.exerciseId || !canSeeMessage(readerOf(principal), message)) {
      throw new NotFoundError('Message');
    }
    return message;
  }

  /** The `about` as given, checked: the caller sees it, and it is of the message's run. */
  async function checkedAbout(principal: Principal, about: AboutInput, run: number): Promise<MessageAbout> {
    const reader = readerOf(principal);
    const ofRun = (field: string, what: string, of: number) => {
      if (of !== run) throw ValidationError.of(field, `must be ${what} id (UUID) of the exercise’s current run`);
    };
    if (about.hitId !== undefined) {
      const hitRun = await deps.hitRun(principal.exerciseId, reader, about.hitId);
      if (hitRun === null) throw new NotFoundError('Hit');
      ofRun('body.about.hitId', 'a hit', hitRun);
      return { hitId: about.hitId };
    }
    const noticeId = about.noticeId!;
    const notice = await deps.notices.find(noticeId);
    if (!notice || notice.exerciseId !== principal.exerciseId || !canSeeNotice(reader, notice)) {
      throw new NotFoundError('Notice');
    }
    ofRun('body.about.noticeId', 'a notice', notice.run);
    if (about.country === undefined) return { noticeId };
    const record =
      notice.publishedAt !== null && isRecipientOf(notice, about.country) && canSeePart(reader, notice, about.country);
    if (!record) throw new NotFoundError('Circulation record');
    return { noticeId, country: about.country };
  }

  return {
    async send(principal, exerciseId, body, script) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      const sender = addressOf(principal);
      if (!SENDERS.has(principal.role) || sender === null) {
        throw new ForbiddenError(
          'Messages are sent by the teams (an ncb, the gs, the ccf); the facilitator and observers read',
        );
      }
      const run = await deps.runOf(exerciseId);
      // A message the caller cannot see is not found (visible() says so).
      const parent = body.replyTo ? await visible(principal, body.replyTo) : null;
      if (parent && parent.run !== run) {
        throw ValidationError.of(
          'body.replyTo',
          'must be a message id (UUID) you can see, of the exercise’s current run',
        );
      }
      const to = body.to ?? (parent ? [parent.sender] : []);
      if (to.includes(sender)) throw ValidationError.of('body.to', 'must not name the sender itself');
      if (to.includes('system')) {
        throw ValidationError.of('body.to', 'must name a recipient: the message replied to came from the system');
      }
      const about = body.about ? await checkedAbout(principal, body.about, run) : (parent?.about ?? null);
      const id = randomUUID();
      const message: NewMessage = {
        id,
        exerciseId,
        run,
        threadId: parent?.threadId ?? id,
        replyTo: parent?.id ?? null,
        sender,
        senderActor: actorOf(principal),
        participantId: principal.participantId,
        recipients: to,
        priority: body.priority,
        subject: body.subject,
        body: body.body,
        about,
        at: script?.at ?? simulatedNow(principal.clock, wallNow()),
        scenarioKey: script?.key,
      };
      if (!(await store.send(message, script?.within))) {
        const current = await deps.runOf(exerciseId).catch(goneAsNull);
        if (current === null) throw new NotFoundError('Exercise');
        throw new EarlierRunError('message', run, current);
      }
      await deps.onCommitted(exerciseId);
      return toMessageDto({ ...message, reads: [] });
    },

    idOfKey: (exerciseId, run, key) => store.idOfKey(exerciseId, run, key),

    async get(principal, messageId) {
      return toMessageDto(await visible(principal, messageId));
    },

    async list(principal, exerciseId, query) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      const run = await deps.runOf(exerciseId, query.run);
      const messages = await store.list(exerciseId, readerOf(principal), {
        run,
        box: query.box,
        noticeId: query.noticeId,
        threadId: query.threadId,
        unread: query.unread === 'true',
        limit: query.limit,
        offset: query.offset,
      });
      return messages.map(toMessageDto);
    },

    async read(principal, messageId) {
      const message = await visible(principal, messageId);
      const own = addressOf(principal);
      if (own === null || !message.recipients.includes(own)) {
        throw new ForbiddenError('Only a recipient marks a message read');
      }
      if (message.reads.some((r) => r.by === own)) return toMessageDto(message);
      const at = simulatedNow(principal.clock, wallNow());
      if (!(await store.markRead(message, own, principal.participantId, at))) {
        throw new EarlierRunError('message', message.run, await deps.runOf(message.exerciseId).catch(goneAsNull));
      }
      await deps.onCommitted(message.exerciseId);
      return toMessageDto((await store.find(messageId)) ?? message);
    },
  };
}

/** A `system` message to the teams concerned, written with the change that prompts it. */
export function systemMessage(
  fields: Omit<NewMessage, 'id' | 'threadId' | 'replyTo' | 'sender' | 'senderActor' | 'participantId'>,
): NewMessage {
  const id = randomUUID();
  return {
    ...fields,
    id,
    threadId: id,
    replyTo: null,
    sender: 'system',
    senderActor: { role: 'system' },
    participantId: null,
  };
}
