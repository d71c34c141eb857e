/**
 * Who sees a database record, written once in both forms, side by side: a test on a loaded record and
 * SQL on its row (a test holds the two equal on random records). The GS, the CCF, the facilitator and
 * observers see every record; an ncb sees what it owns and what is distributed to it (`recipients`
 * null: to every member country); the public sees none. A deleted record is seen by nobody.
 */
import { Prisma } from '../generated/prisma/client';
import type { Reader } from '../notices/notice-visibility';

/** What visibility reads of a record. */
export interface RecordFacts {
  ownerCountry: string;
  recipients: string[] | null;
  deletedAt: Date | null;
}

const SEES_ALL: ReadonlySet<string> = new Set(['gs', 'ccf', 'facilitator', 'observer']);

export function canSeeRecord(reader: Reader, record: RecordFacts): boolean {
  if (record.deletedAt !== null || reader === 'public') return false;
  if (SEES_ALL.has(reader.role)) return true;
  if (reader.role !== 'ncb' || !reader.country) return false;
  const country = reader.country;
  return record.ownerCountry === country || record.recipients === null || record.recipients.includes(country);
}

/** The same rule on a `database_records` row under `alias`. */
export function recordVisibleSql(reader: Reader, alias: string): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`${alias}.${name}`);
  const live = Prisma.sql`${col('deleted_at')} IS NULL`;
  if (reader === 'public') return Prisma.sql`FALSE`;
  if (SEES_ALL.has(reader.role)) return live;
  if (reader.role !== 'ncb' || !reader.country) return Prisma.sql`FALSE`;
  const country = reader.country;
  return Prisma.sql`(${live} AND (${col('owner_country')} = ${country} OR ${col('recipients')} IS NULL
    OR ${col('recipients')} @> jsonb_build_array(${country}::text)))`;
}

/** What visibility reads of a history entry: the recipients after the change, and before it. */
export interface RecordEntryFacts {
  recipients: string[] | null;
  recipientsBefore: string[] | null;
}

/**
 * Who may read a history entry of a record: every role that sees all, the owner, and the countries the
 * record went to after the change (`withBefore`, on the stream: or before it, so that a country the
 * owner took off the recipients hears that the record left it, without reading what it became).
 */
export function canSeeRecordEntry(
  reader: Reader,
  record: Pick<RecordFacts, 'ownerCountry'>,
  entry: RecordEntryFacts,
  { withBefore = false } = {},
): boolean {
  if (reader === 'public') return false;
  if (SEES_ALL.has(reader.role)) return true;
  if (reader.role !== 'ncb' || !reader.country) return false;
  const country = reader.country;
  const among = (list: string[] | null) => list === null || list.includes(country);
  return record.ownerCountry === country || among(entry.recipients) || (withBefore && among(entry.recipientsBefore));
}

/** The same rule on a `record_events` row under `entry` of the `database_records` row under `record`. */
export function recordEntryVisibleSql(
  reader: Reader,
  record: string,
  entry: string,
  { withBefore = false } = {},
): Prisma.Sql {
  if (reader === 'public') return Prisma.sql`FALSE`;
  if (SEES_ALL.has(reader.role)) return Prisma.sql`TRUE`;
  if (reader.role !== 'ncb' || !reader.country) return Prisma.sql`FALSE`;
  const country = reader.country;
  const among = (column: string) =>
    Prisma.sql`(${Prisma.raw(`${entry}.${column}`)} IS NULL
      OR ${Prisma.raw(`${entry}.${column}`)} @> jsonb_build_array(${country}::text))`;
  return Prisma.sql`(${Prisma.raw(`${record}.owner_country`)} = ${country} OR ${among('recipients')}
    ${withBefore ? Prisma.sql`OR ${among('recipients_before')}` : Prisma.empty})`;
}
