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

/**
 * The same rule on a `database_records` row under `alias`. `withDeleted`: as if the record were not
 * deleted, for its history on the stream (its deletion is told to those who saw it).
 */
export function recordVisibleSql(reader: Reader, alias: string, { withDeleted = false } = {}): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`${alias}.${name}`);
  const live = withDeleted ? Prisma.sql`TRUE` : Prisma.sql`${col('deleted_at')} IS NULL`;
  if (reader === 'public') return Prisma.sql`FALSE`;
  if (SEES_ALL.has(reader.role)) return live;
  if (reader.role !== 'ncb' || !reader.country) return Prisma.sql`FALSE`;
  const country = reader.country;
  return Prisma.sql`(${live} AND (${col('owner_country')} = ${country} OR ${col('recipients')} IS NULL
    OR ${col('recipients')} @> jsonb_build_array(${country}::text)))`;
}
