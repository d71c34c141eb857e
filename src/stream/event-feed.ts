import type { PrismaClient } from '../generated/prisma/client';
import type { Role } from '../notices/notice-types';

/**
 * The exercise's history as a feed a client can resume without missing anything.
 *
 * History rows get their ids when they are inserted, but transactions commit in another order: a
 * reader that went by id alone would skip a row whose transaction committed after a later one's.
 * So the feed is read in (transaction id, row id) order, and only rows written by transactions
 * older than every transaction still running (the snapshot's xmin): no such row can appear later
 * before one already read. The position is that pair, written `xid-id`.
 * (Transaction ids are compared as 32-bit: a database past 4 billion transactions would need epochs.)
 */

export interface FeedPosition {
  xid: bigint;
  id: bigint;
}

export interface FeedEvent {
  position: FeedPosition;
  noticeId: string;
  seq: number;
  type: string;
  actor: { role: Role; country?: string };
  participantId: string | null;
  from: string | null;
  to: string;
  country?: string;
  at: string;
  recordedAt: string;
  /** The notice's state once this event's transaction committed (as the feed reads it now). */
  noticeState: string;
  noticeType: 'RED' | 'YELLOW';
}

export const formatPosition = (p: FeedPosition) => `${p.xid}-${p.id}`;

export function parsePosition(text: string): FeedPosition | null {
  const match = /^(\d{1,19})-(\d{1,19})$/.exec(text.trim());
  return match ? { xid: BigInt(match[1]!), id: BigInt(match[2]!) } : null;
}

/** Who reads: an ncb sees its own notices, and of those circulated to it the notice's events and its own record's. */
export interface FeedReader {
  role: Role;
  country?: string | undefined;
}

interface Row {
  xid: bigint;
  id: bigint;
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

export interface EventFeed {
  /** The position just before anything not yet read: where a client that wants only new events starts. */
  now(): Promise<FeedPosition>;
  /** Events after `after`, in feed order, up to `limit`. */
  after(exerciseId: string, after: FeedPosition, reader: FeedReader, limit?: number): Promise<FeedEvent[]>;
}

const MAX_ID = 9_223_372_036_854_775_807n;

export function createEventFeed(prisma: PrismaClient): EventFeed {
  return {
    async now() {
      const rows = await prisma.$queryRaw<{ horizon: bigint }[]>`
        SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint % 4294967296) AS horizon`;
      // Every transaction below the horizon has finished: start after all of them.
      return { xid: BigInt(rows[0]!.horizon) - 1n, id: MAX_ID };
    },

    async after(exerciseId, after, reader, limit = 500) {
      const ncb = reader.role === 'ncb' ? (reader.country ?? '') : null;
      const rows = await prisma.$queryRaw<Row[]>`
        SELECT e.xmin::text::bigint AS xid, e.id, e.notice_id, e.seq, e.type, e.actor_role::text AS actor_role, e.actor_country,
               e.participant_id, e.from_state, e.to_state, e.country, e.at, e.recorded_at,
               n.state AS notice_state, n.type::text AS notice_type
          FROM notice_events e JOIN notices n ON n.id = e.notice_id
         WHERE n.exercise_id = ${exerciseId}::uuid
           AND e.xmin::text::bigint < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint % 4294967296)
           AND (e.xmin::text::bigint, e.id) > (${after.xid}::bigint, ${after.id}::bigint)
           AND (${ncb}::text IS NULL OR n.requesting_country = ${ncb}::text
                OR ((e.country IS NULL OR e.country = ${ncb}::text)
                    AND EXISTS (SELECT 1 FROM circulation_records r WHERE r.notice_id = n.id AND r.country = ${ncb}::text)))
         ORDER BY e.xmin::text::bigint, e.id
         LIMIT ${limit}`;
      return rows.map((r) => ({
        position: { xid: BigInt(r.xid), id: BigInt(r.id) },
        noticeId: r.notice_id,
        seq: r.seq,
        type: r.type,
        actor: r.actor_country ? { role: r.actor_role, country: r.actor_country } : { role: r.actor_role },
        participantId: r.participant_id,
        from: r.from_state,
        to: r.to_state,
        ...(r.country && { country: r.country }),
        at: new Date(r.at).toISOString(),
        recordedAt: new Date(r.recorded_at).toISOString(),
        noticeState: r.notice_state,
        noticeType: r.notice_type,
      }));
    },
  };
}
