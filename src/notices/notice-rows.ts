/** How notice and history rows read back as the store's types: the columns every notice read takes. */
import { Prisma } from '../generated/prisma/client';
import type { NoticeEvent as NoticeEventRow } from '../generated/prisma/client';
import type { HistoryEntry, LockedNotice, NewHistoryEntry, NoticeAddendum, StoredNotice } from './notice-store-type';
import type { NoticeType } from './notice-types';
import type { SubjectKeys } from './subject-keys';

/** The notice columns every read takes, aliased to the StoredNotice fields; `n` is the notices row. */
export const NOTICE_COLUMNS = Prisma.sql`n.id, n.exercise_id AS "exerciseId", n.type::text AS type, n.state,
  n.requesting_country AS "requestingCountry", n.run,
  (SELECT r.run FROM exercises r WHERE r.id = n.exercise_id) AS "exerciseRun", n.version, n.snapshot, n.recipients,
  n.published_at AS "publishedAt", n.expires_at AS "expiresAt", n.last_event_at AS "lastEventAt",
  n.created_at AS "createdAt", n.updated_at AS "updatedAt", n.addenda`;

/**
 * The SET of the columns derived from a notice's request with every snapshot: its subject's search keys
 * and its recipients (a JSON list, or NULL for every member but the requester).
 */
export const derivedSet = (write: { subject: SubjectKeys; recipients: string[] | null }) => {
  const keys = write.subject;
  const recipients =
    write.recipients === null ? Prisma.sql`NULL::jsonb` : Prisma.sql`${JSON.stringify(write.recipients)}::jsonb`;
  return Prisma.sql`subject_name_key = ${keys.nameKey}, subject_birth_date = ${keys.birthDate},
    subject_prints = ${keys.fingerprints}, subject_dna = ${keys.dna}, recipients = ${recipients}`;
};

export interface NoticeRow extends Omit<StoredNotice, 'recipients' | 'type' | 'addenda'> {
  type: string;
  recipients: unknown;
  addenda?: unknown;
}

export const toNotice = (row: NoticeRow): StoredNotice => ({
  id: row.id,
  exerciseId: row.exerciseId,
  type: row.type as NoticeType,
  state: row.state,
  requestingCountry: row.requestingCountry,
  run: row.run,
  exerciseRun: row.exerciseRun,
  version: row.version,
  snapshot: row.snapshot,
  recipients: Array.isArray(row.recipients) ? (row.recipients as string[]) : null,
  publishedAt: row.publishedAt && new Date(row.publishedAt),
  expiresAt: row.expiresAt && new Date(row.expiresAt),
  lastEventAt: row.lastEventAt && new Date(row.lastEventAt),
  createdAt: new Date(row.createdAt),
  updatedAt: new Date(row.updatedAt),
  ...(Array.isArray(row.addenda) && row.addenda.length && { addenda: row.addenda as NoticeAddendum[] }),
});

export const toHistory = (row: NoticeEventRow): HistoryEntry => ({
  seq: row.seq,
  type: row.type,
  actor: row.actorCountry ? { role: row.actorRole, country: row.actorCountry } : { role: row.actorRole },
  participantId: row.participantId,
  from: row.fromState,
  to: row.toState,
  country: row.country,
  at: row.at,
  recordedAt: row.recordedAt,
  payload: row.payload as Record<string, unknown>,
});

/** The values of a history row, after its notice id and seq, as `appendHistory` and `writeRecordEvent` insert them. */
export const historyValues = (
  e: NewHistoryEntry,
) => Prisma.sql`${e.type}, ${e.actor.role}::"Role", ${e.actor.country ?? null},
  ${e.participantId}::uuid, ${e.from}, ${e.to}, ${e.country}, ${e.at}, ${JSON.stringify(e.payload)}::jsonb`;

export const HISTORY_COLUMNS = Prisma.sql`notice_id, seq, type, actor_role, actor_country, participant_id,
  from_state, to_state, country, at, payload, exercise_id, exercise_seq`;

/** The exercise's clock, read with a notice (`e` is the exercises row). */
export const CLOCK_COLUMNS = Prisma.sql`e.sim_epoch AS "simEpoch", e.wall_anchor AS "wallAnchor", e.speed, e.running,
  e.freeze_while_paused AS "freezeWhilePaused"`;

export type ClockedRow = NoticeRow & {
  simEpoch: Date;
  wallAnchor: Date;
  speed: number;
  running: boolean;
  freezeWhilePaused: boolean;
};

export const toLocked = (row: ClockedRow): LockedNotice => ({
  ...toNotice(row),
  clock: {
    simEpoch: new Date(row.simEpoch),
    wallAnchor: new Date(row.wallAnchor),
    speed: Number(row.speed),
    running: row.running,
    freezeWhilePaused: row.freezeWhilePaused,
  },
});
