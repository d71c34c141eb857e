import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { actorOf, type Role } from '../exercises/exercise-types';
import type { RecordKind } from '../databases/record-schemas';
import { recordEntryVisibleSql } from '../databases/record-visibility';
import { noticeVisibleSql, partVisibleSql, type Reader } from '../notices/notice-visibility';
import { clockView } from '../exercises/exercise-schemas';
import { messageVisibleSql } from '../messages/message-visibility';
import type { StreamEventData, StreamResetData } from './stream-schema';

/**
 * The exercise's history as a feed a client can resume without missing anything. Every change of
 * any subject gets its position in the exercise after its transaction committed, in commit order, from
 * the exercise's sequencer (exercises/exercise-sequencer.ts): positions are gap-free and none is given
 * below one already given, so reading past the last position a client saw gives exactly what it missed.
 * A row not numbered yet is not in the feed (`exercise_seq > n` leaves out NULL); `now()` is the
 * counter, the last position given.
 */

export type FeedPosition = number;

/** A message of the feed: a change to a subject (`notice-event`), or a reset starting the next run. */
export type FeedEvent =
  | { position: FeedPosition; event: 'notice-event'; data: StreamEventData }
  | { position: FeedPosition; event: 'reset'; data: StreamResetData };

export const formatPosition = (p: FeedPosition) => String(p);

/** A position this feed could have sent: a whole number from 0 (before the first event) up. */
export function parsePosition(text: string): FeedPosition | null {
  return /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : null;
}

interface Row {
  exercise_seq: bigint;
  notice_id: string;
  seq: number;
  type: string;
  actor_role: Role;
  actor_country: string | null;
  participant_id: string | null;
  from_state: string | null;
  to_state: string;
  country: string | null;
  at: Date;
  recorded_at: Date;
  notice_state: string;
  notice_type: 'RED' | 'YELLOW';
}

interface RecordRow {
  exercise_seq: bigint;
  record_id: string;
  seq: number;
  type: 'CREATE' | 'UPDATE' | 'DELETE';
  actor_role: Role;
  actor_country: string | null;
  participant_id: string | null;
  at: Date;
  recorded_at: Date;
  kind: RecordKind;
  owner_country: string;
}

interface HitRow {
  exercise_seq: bigint;
  id: string;
  search_id: string;
  record_id: string | null;
  notice_id: string | null;
  matched_kind: RecordKind | 'notice';
  score: number;
  owner_country: string;
  searcher_role: Role;
  searcher_country: string | null;
  at: Date;
}

interface MessageRow {
  exercise_seq: bigint;
  kind: 'SENT' | 'READ';
  id: string;
  thread_id: string;
  reply_to: string | null;
  sender: string;
  recipients: string[];
  priority: 'urgent' | 'routine';
  subject: string;
  about_notice_id: string | null;
  about_country: string | null;
  about_hit_id: string | null;
  by: string | null;
  at: Date;
}

/** Who is told of a hit: the owner's country, the facilitator and observers. */
const notifiedSql = (reader: Reader) =>
  reader === 'public'
    ? Prisma.sql`FALSE`
    : reader.role === 'facilitator' || reader.role === 'observer'
      ? Prisma.sql`TRUE`
      : reader.role === 'ncb' && reader.country
        ? Prisma.sql`h.owner_country = ${reader.country}`
        : Prisma.sql`FALSE`;

export interface EventFeed {
  /** The exercise's last position so far: where a client that wants only new events starts. */
  now(exerciseId: string): Promise<FeedPosition>;
  /** What `reader` may see after `after`, in feed order, up to `limit`. */
  after(exerciseId: string, after: FeedPosition, reader: Reader, limit?: number): Promise<FeedEvent[]>;
}

export function createEventFeed(prisma: PrismaClient): EventFeed {
  return {
    async now(exerciseId) {
      const row = await prisma.exercise.findUnique({ where: { id: exerciseId }, select: { lastEventSeq: true } });
      return Number(row?.lastEventSeq ?? 0);
    },

    async after(exerciseId, after, reader, limit = 500) {
      const [rows, recordRows, hitRows, messageRows, resets] = await Promise.all([
        prisma.$queryRaw<Row[]>`
        SELECT e.exercise_seq, e.notice_id, e.seq, e.type, e.actor_role::text AS actor_role, e.actor_country,
               e.participant_id, e.from_state, e.to_state, e.country, e.at, e.recorded_at,
               (SELECT h.to_state FROM notice_events h
                 WHERE h.notice_id = e.notice_id AND h.country IS NULL AND h.seq <= e.seq
                 ORDER BY h.seq DESC LIMIT 1) AS notice_state,
               n.type::text AS notice_type
          FROM notice_events e JOIN notices n ON n.id = e.notice_id
         WHERE e.exercise_id = ${exerciseId}::uuid AND e.exercise_seq > ${after}::bigint
           AND ${noticeVisibleSql(reader, 'n')} AND ${partVisibleSql(reader, 'n', 'e')}
         ORDER BY e.exercise_seq
         LIMIT ${limit}`,
        prisma.$queryRaw<RecordRow[]>`
        SELECT e.exercise_seq, e.record_id, e.seq, e.type, e.actor_role::text AS actor_role, e.actor_country,
               e.participant_id, e.at, e.recorded_at, r.kind, r.owner_country
          FROM record_events e JOIN database_records r ON r.id = e.record_id
         WHERE e.exercise_id = ${exerciseId}::uuid AND e.exercise_seq > ${after}::bigint
           AND ${recordEntryVisibleSql(reader, 'r', 'e', { withBefore: true })}
         ORDER BY e.exercise_seq
         LIMIT ${limit}`,
        // A hit is told to the owner of what it matched (and to those who see everything, but not the GS).
        prisma.$queryRaw<HitRow[]>`
        SELECT h.exercise_seq, h.id, h.search_id, h.record_id, h.notice_id, h.matched_kind, h.score, h.owner_country,
               h.searcher_role::text AS searcher_role, h.searcher_country, h.at
          FROM hits h
         WHERE h.exercise_id = ${exerciseId}::uuid AND h.exercise_seq > ${after}::bigint AND ${notifiedSql(reader)}
         ORDER BY h.exercise_seq
         LIMIT ${limit}`,
        // A message and its read receipts are told to whoever sees the message.
        prisma.$queryRaw<MessageRow[]>`
        SELECT * FROM (
          SELECT m.exercise_seq, 'SENT' AS kind, m.id, m.thread_id, m.reply_to, m.sender, m.recipients, m.priority,
                 m.subject, m.about_notice_id, m.about_country, m.about_hit_id, NULL AS by, m.at
            FROM messages m
           WHERE m.exercise_id = ${exerciseId}::uuid AND m.exercise_seq > ${after}::bigint
             AND ${messageVisibleSql(reader, 'm')}
          UNION ALL
          SELECT r.exercise_seq, 'READ', m.id, m.thread_id, m.reply_to, m.sender, m.recipients, m.priority,
                 m.subject, m.about_notice_id, m.about_country, m.about_hit_id, r.reader, r.at
            FROM message_reads r JOIN messages m ON m.id = r.message_id
           WHERE r.exercise_id = ${exerciseId}::uuid AND r.exercise_seq > ${after}::bigint
             AND ${messageVisibleSql(reader, 'm')}
        ) x
         ORDER BY x.exercise_seq
         LIMIT ${limit}`,
        // Everyone hears of a reset, whatever it may see of the notices.
        prisma.exerciseReset.findMany({
          where: { exerciseId, exerciseSeq: { gt: after } },
          orderBy: { exerciseSeq: 'asc' },
          take: limit,
          include: { exercise: { select: { freezeWhilePaused: true } } },
        }),
      ]);
      const events: FeedEvent[] = rows.map((r) => ({
        position: Number(r.exercise_seq),
        event: 'notice-event',
        data: noticeEventOf(r),
      }));
      const recordEvents: FeedEvent[] = recordRows.map((r) => ({
        position: Number(r.exercise_seq),
        event: 'notice-event',
        data: recordEventOf(r),
      }));
      const hitEvents: FeedEvent[] = hitRows.map((h) => ({
        position: Number(h.exercise_seq),
        event: 'notice-event',
        data: {
          subject: 'notification' as const,
          about: 'hit' as const,
          hitId: h.id,
          searchId: h.search_id,
          ...(h.record_id && { recordId: h.record_id }),
          ...(h.notice_id && { noticeId: h.notice_id }),
          kind: h.matched_kind,
          score: h.score,
          ownerCountry: h.owner_country,
          searcher: actorOf({ role: h.searcher_role, country: h.searcher_country }),
          at: new Date(h.at).toISOString(),
        },
      }));
      const messageEvents: FeedEvent[] = messageRows.map((m) => ({
        position: Number(m.exercise_seq),
        event: 'notice-event',
        data: messageEventOf(m),
      }));
      const resetEvents: FeedEvent[] = resets.map((r) => ({
        position: Number(r.exerciseSeq),
        event: 'reset',
        data: {
          run: r.run,
          clock: clockView({
            simEpoch: r.simEpoch,
            wallAnchor: r.wallAnchor,
            speed: r.speed,
            running: r.running,
            freezeWhilePaused: r.exercise.freezeWhilePaused,
          }),
        },
      }));
      // Each list is complete up to its last position only when it came back short of the limit.
      const bound = Math.min(
        rows.length === limit ? Number(rows.at(-1)!.exercise_seq) : Infinity,
        recordRows.length === limit ? Number(recordRows.at(-1)!.exercise_seq) : Infinity,
        hitRows.length === limit ? Number(hitRows.at(-1)!.exercise_seq) : Infinity,
        messageRows.length === limit ? Number(messageRows.at(-1)!.exercise_seq) : Infinity,
        resets.length === limit ? Number(resets.at(-1)!.exerciseSeq) : Infinity,
      );
      return [...events, ...recordEvents, ...hitEvents, ...messageEvents, ...resetEvents]
        .filter((e) => e.position <= bound)
        .sort((a, b) => a.position - b.position)
        .slice(0, limit);
    },
  };
}

function noticeEventOf(r: Row): StreamEventData {
  return {
    subject: 'notice' as const,
    noticeId: r.notice_id,
    seq: r.seq,
    type: r.type,
    actor: actorOf({ role: r.actor_role, country: r.actor_country }),
    participantId: r.participant_id,
    from: r.from_state,
    to: r.to_state,
    ...(r.country && { country: r.country }),
    at: new Date(r.at).toISOString(),
    recordedAt: new Date(r.recorded_at).toISOString(),
    noticeState: r.notice_state,
    noticeType: r.notice_type,
  };
}

function recordEventOf(r: RecordRow): StreamEventData {
  return {
    subject: 'record' as const,
    recordId: r.record_id,
    seq: r.seq,
    type: r.type,
    kind: r.kind,
    ownerCountry: r.owner_country,
    actor: actorOf({ role: r.actor_role, country: r.actor_country }),
    participantId: r.participant_id,
    at: new Date(r.at).toISOString(),
    recordedAt: new Date(r.recorded_at).toISOString(),
  };
}

function messageEventOf(m: MessageRow): StreamEventData {
  const about = m.about_notice_id
    ? { noticeId: m.about_notice_id, ...(m.about_country && { country: m.about_country }) }
    : m.about_hit_id
      ? { hitId: m.about_hit_id }
      : undefined;
  return {
    subject: 'message' as const,
    type: m.kind,
    messageId: m.id,
    threadId: m.thread_id,
    ...(m.reply_to && { replyTo: m.reply_to }),
    from: m.sender,
    to: m.recipients,
    priority: m.priority,
    title: m.subject,
    ...(about && { about }),
    ...(m.by && { by: m.by }),
    at: new Date(m.at).toISOString(),
  };
}
