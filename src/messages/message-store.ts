/**
 * Messages in SQL: a message row, written at its run with the exercise's row held FOR KEY SHARE (so
 * that a reset waits for it or refuses it), and its read receipts, one per recipient address. Both are
 * numbered after commit like every history row, so the stream tells them.
 */
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { runTransaction, type Tx } from '../db/transaction';
import { takePositionSql } from '../exercises/exercise-positions';
import { actorOf, type Actor, type Role } from '../exercises/exercise-types';
import type { Reader } from '../notices/notice-visibility';
import type { Priority } from './message-schemas';
import { addressOf, messageVisibleSql } from './message-visibility';

/** What a message is about: a notice (and one of its records) or a hit. */
export type MessageAbout = { noticeId: string; country?: string | undefined } | { hitId: string };

export interface NewMessage {
  id: string;
  exerciseId: string;
  run: number;
  threadId: string;
  replyTo: string | null;
  /** The sender's address: a country's code, "gs", "ccf" or "system". */
  sender: string;
  senderActor: Actor;
  participantId: string | null;
  recipients: string[];
  priority: Priority;
  subject: string;
  body: string;
  about: MessageAbout | null;
  at: Date;
  scenarioKey?: string | undefined;
}

export interface MessageRead {
  by: string;
  at: Date;
}

export interface StoredMessage extends NewMessage {
  reads: MessageRead[];
}

export interface MessageQuery {
  run: number;
  box: 'all' | 'inbox' | 'sent';
  noticeId?: string | undefined;
  threadId?: string | undefined;
  unread?: boolean | undefined;
  limit: number;
  offset: number;
}

export interface MessageStore {
  /** Writes the message at its run: false when the exercise is gone or a reset has moved it on. */
  send(message: NewMessage, within?: (tx: Tx) => Promise<void>): Promise<boolean>;
  find(id: string): Promise<StoredMessage | null>;
  /** The id of the message a scenario inject sent with this key in the run, if any. */
  idOfKey(exerciseId: string, run: number, key: string): Promise<string | null>;
  /** What `reader` sees of the run, oldest first. */
  list(exerciseId: string, reader: Reader, query: MessageQuery): Promise<StoredMessage[]>;
  /** A recipient's read receipt (its first read only): false when a reset has ended the message's run. */
  markRead(message: StoredMessage, by: string, participantId: string | null, at: Date): Promise<boolean>;
}

/**
 * Writes a message in a transaction that already holds the exercise's row at `message.run` (a
 * `system` message told with the change that prompts it). The one INSERT of a message.
 */
export async function insertMessage(tx: Tx, m: NewMessage): Promise<void> {
  const about = m.about;
  const noticeId = about && 'noticeId' in about ? about.noticeId : null;
  const country = about && 'noticeId' in about ? (about.country ?? null) : null;
  const hitId = about && 'hitId' in about ? about.hitId : null;
  await tx.$executeRaw`
    INSERT INTO messages (id, exercise_id, run, thread_id, reply_to, sender, sender_role, participant_id, recipients,
                          priority, subject, body, about_notice_id, about_country, about_hit_id, scenario_key, at)
    VALUES (${m.id}::uuid, ${m.exerciseId}::uuid, ${m.run}, ${m.threadId}::uuid, ${m.replyTo}::uuid, ${m.sender},
            ${m.senderActor.role}::"Role", ${m.participantId}::uuid, ${m.recipients}::text[], ${m.priority},
            ${m.subject}, ${m.body}, ${noticeId}::uuid, ${country}, ${hitId}::uuid, ${m.scenarioKey ?? null}, ${m.at})`;
}

interface MessageRow {
  id: string;
  exerciseId: string;
  run: number;
  threadId: string;
  replyTo: string | null;
  sender: string;
  role: Role;
  senderCountry: string | null;
  participantId: string | null;
  recipients: string[];
  priority: Priority;
  subject: string;
  body: string;
  aboutNoticeId: string | null;
  aboutCountry: string | null;
  aboutHitId: string | null;
  scenarioKey: string | null;
  at: Date;
  reads: { by: string; at: string }[];
}

const COLUMNS = Prisma.sql`m.id, m.exercise_id AS "exerciseId", m.run, m.thread_id AS "threadId",
  m.reply_to AS "replyTo", m.sender, m.sender_role::text AS role, m.participant_id AS "participantId", m.recipients,
  m.priority, m.subject, m.body, m.about_notice_id AS "aboutNoticeId", m.about_country AS "aboutCountry",
  m.about_hit_id AS "aboutHitId", m.scenario_key AS "scenarioKey", m.at,
  COALESCE((SELECT json_agg(json_build_object('by', r.reader, 'at', r.at) ORDER BY r.at, r.reader)
              FROM message_reads r WHERE r.message_id = m.id), '[]'::json) AS reads`;

const COUNTRY = /^[A-Z]{2}$/;

function toMessage(row: MessageRow): StoredMessage {
  const about: MessageAbout | null = row.aboutNoticeId
    ? { noticeId: row.aboutNoticeId, ...(row.aboutCountry && { country: row.aboutCountry }) }
    : row.aboutHitId
      ? { hitId: row.aboutHitId }
      : null;
  return {
    id: row.id,
    exerciseId: row.exerciseId,
    run: row.run,
    threadId: row.threadId,
    replyTo: row.replyTo,
    sender: row.sender,
    senderActor: actorOf({ role: row.role, country: COUNTRY.test(row.sender) ? row.sender : null }),
    participantId: row.participantId,
    recipients: row.recipients,
    priority: row.priority,
    subject: row.subject,
    body: row.body,
    about,
    at: row.at,
    scenarioKey: row.scenarioKey ?? undefined,
    reads: row.reads.map((r) => ({ by: r.by, at: new Date(r.at) })),
  };
}

/** Holds the exercise at `run` for the transaction: false when it is gone or a reset has moved it on. */
async function holdRun(tx: Tx, exerciseId: string, run: number): Promise<boolean> {
  const held = await tx.$queryRaw<unknown[]>`${takePositionSql(Prisma.sql`${exerciseId}::uuid`, Prisma.sql`${run}`)}`;
  return held.length > 0;
}

export function createMessageStore(prisma: PrismaClient): MessageStore {
  return {
    async send(message, within) {
      return runTransaction(prisma, async (tx) => {
        if (!(await holdRun(tx, message.exerciseId, message.run))) return false;
        await insertMessage(tx, message);
        await within?.(tx);
        return true;
      });
    },

    async find(id) {
      const rows = await prisma.$queryRaw<MessageRow[]>`SELECT ${COLUMNS} FROM messages m WHERE m.id = ${id}::uuid`;
      return rows[0] ? toMessage(rows[0]) : null;
    },

    async idOfKey(exerciseId, run, key) {
      const rows = await prisma.$queryRaw<{ id: string }[]>`
        SELECT id FROM messages WHERE exercise_id = ${exerciseId}::uuid AND run = ${run} AND scenario_key = ${key}`;
      return rows[0]?.id ?? null;
    },

    async list(exerciseId, reader, query) {
      const own = reader === 'public' ? null : addressOf(reader);
      const where: Prisma.Sql[] = [
        Prisma.sql`m.exercise_id = ${exerciseId}::uuid`,
        Prisma.sql`m.run = ${query.run}`,
        messageVisibleSql(reader, 'm'),
      ];
      if (own !== null && query.box === 'inbox') where.push(Prisma.sql`${own} = ANY(m.recipients)`);
      if (own !== null && query.box === 'sent') where.push(Prisma.sql`m.sender = ${own}`);
      if (query.noticeId) where.push(Prisma.sql`m.about_notice_id = ${query.noticeId}::uuid`);
      if (query.threadId) where.push(Prisma.sql`m.thread_id = ${query.threadId}::uuid`);
      if (query.unread && own !== null) {
        where.push(Prisma.sql`${own} = ANY(m.recipients)
          AND NOT EXISTS (SELECT 1 FROM message_reads r WHERE r.message_id = m.id AND r.reader = ${own})`);
      }
      const rows = await prisma.$queryRaw<MessageRow[]>`
        SELECT ${COLUMNS} FROM messages m
         WHERE ${Prisma.join(where, ' AND ')}
         ORDER BY m.at, m.serial
         LIMIT ${query.limit} OFFSET ${query.offset}`;
      return rows.map(toMessage);
    },

    async markRead(message, by, participantId, at) {
      return runTransaction(prisma, async (tx) => {
        if (!(await holdRun(tx, message.exerciseId, message.run))) return false;
        await tx.$executeRaw`
          INSERT INTO message_reads (message_id, reader, exercise_id, participant_id, at)
          VALUES (${message.id}::uuid, ${by}, ${message.exerciseId}::uuid, ${participantId}::uuid, ${at})
          ON CONFLICT DO NOTHING`;
        return true;
      });
    },
  };
}
