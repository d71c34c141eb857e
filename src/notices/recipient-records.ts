/**
 * Fan-out on read: a circulation record is a row only once its country has acted on it. Until then a
 * recipient's record is what publication would have written (`received`, version 1, at the publication
 * time), or, once the notice has ended, what the end's CLOSE would have made of it (`closed`, version 2,
 * at the end). A stored `received` row at version 1 means the same as no row, so old data reads alike.
 */
import type { StoredNotice, StoredRecord } from './notice-store-type';
import { isFinalNoticeState } from './notice-types';
import { isRecipientOf, recipientsOf } from './notice-visibility';

// The circulation machine's names (src/circulation), spelled here because the store may not import a feature.
const RECEIVED = 'received';
const CLOSED = 'closed';

type NoticeFacts = Pick<
  StoredNotice,
  'id' | 'state' | 'requestingCountry' | 'recipients' | 'publishedAt' | 'lastEventAt' | 'updatedAt'
>;

/** The countries with a record of the notice: its recipients once published, none before. */
export const recordCountries = (notice: NoticeFacts): string[] => (notice.publishedAt ? recipientsOf(notice) : []);

/** The record of a recipient whose country has not acted on the notice: what its row would hold. */
function unactedRecord(notice: NoticeFacts, country: string): StoredRecord {
  // A final notice takes no further events of its own, so its latest event is its end (the CLOSE).
  const ended = isFinalNoticeState(notice.state);
  return {
    noticeId: notice.id,
    country,
    state: ended ? CLOSED : RECEIVED,
    version: ended ? 2 : 1,
    updatedAt: (ended ? notice.lastEventAt : notice.publishedAt) ?? notice.updatedAt,
  };
}

/** One country's record: its row, else the unacted record of a recipient; null for a country without one. */
export function recordOf(notice: NoticeFacts, country: string, row: StoredRecord | null): StoredRecord | null {
  if (row) return row;
  return notice.publishedAt && isRecipientOf(notice, country) ? unactedRecord(notice, country) : null;
}

/** Every record of the notice by country: the rows, and the unacted record of each recipient without one. */
export function recordsOf(notice: NoticeFacts, rows: readonly StoredRecord[]): StoredRecord[] {
  const byCountry = new Map(rows.map((r) => [r.country, r]));
  for (const country of recordCountries(notice)) {
    if (!byCountry.has(country)) byCountry.set(country, unactedRecord(notice, country));
  }
  return [...byCountry.values()].sort((a, b) => a.country.localeCompare(b.country));
}

/**
 * The notice's records counted by state: the rows' counts (by state, with how many rows there are),
 * plus the recipients without a row in the unacted state.
 */
export function countsOf(notice: NoticeFacts, rowCounts: Record<string, number>, rowsOfRecipients: number) {
  const counts = { ...rowCounts };
  const unacted = recordCountries(notice).length - rowsOfRecipients;
  if (unacted > 0) {
    const state = isFinalNoticeState(notice.state) ? CLOSED : RECEIVED;
    counts[state] = (counts[state] ?? 0) + unacted;
  }
  return counts;
}
