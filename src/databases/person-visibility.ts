/** Who sees a person, in SQL: the one rule the person's reads, its list and the links' checks share. */
import { Prisma } from '../generated/prisma/client';
import { noticeVisibleSql, type Reader } from '../notices/notice-visibility';
import { recordVisibleSql } from './record-visibility';
import { hitVisibleSql } from './search-store';

/**
 * Who sees a person: every role that sees the whole exercise; an ncb the persons its country made and
 * those with a link to something it sees (a record, a notice, a hit), by the rules of each.
 */
export function personVisibleSql(reader: Reader, alias: string): Prisma.Sql {
  if (reader === 'public') return Prisma.sql`FALSE`;
  if (reader.role !== 'ncb') return Prisma.sql`TRUE`;
  const p = Prisma.raw(alias);
  return Prisma.sql`(${p}.creator_country = ${reader.country ?? ''} OR EXISTS (
    SELECT 1 FROM person_links l
      LEFT JOIN database_records r ON r.id = l.record_id
      LEFT JOIN notices n ON n.id = l.notice_id
      LEFT JOIN hits h ON h.id = l.hit_id
     WHERE l.person_id = ${p}.id
       AND ((r.id IS NOT NULL AND ${recordVisibleSql(reader, 'r')})
            OR (n.id IS NOT NULL AND ${noticeVisibleSql(reader, 'n')})
            OR (h.id IS NOT NULL AND ${hitVisibleSql(reader, 'h')}))))`;
}
