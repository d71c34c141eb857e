/**
 * Who sees what, written once. An ncb sees a notice it requested, or one it is a recipient of once
 * the notice has been published (and still after it ends); drafts, requests for information and
 * refused requests stay with the requester, the GS and the CCF. Of another country's notice an ncb
 * sees the notice's own events and its own record, not other countries' records. Every other role
 * sees the whole exercise; the public (no token) sees published notices whose requester consented to a
 * public extract, unless circulation is restricted to named countries (then only they, the requester
 * and the roles that see everything know of it).
 *
 * Each rule is built from a few facts, and each fact is written twice side by side: as a test on a
 * loaded notice and as SQL on its row. Both forms of a rule come from the same definition, so the
 * store, the stream and the report cannot disagree (a test checks the two forms on random notices).
 */
import { Prisma } from '../generated/prisma/client';
import { MEMBER_CODES, MEMBER_COUNTRIES } from '../countries/member-countries';
import type { Role } from '../exercises/exercise-types';
import { ValidationError } from '../kernel/errors';
import { CIRCULATING_STATES, isCirculating } from './notice-types';

/** Who reads: a participant's role (and an ncb's country), or the public. */
export type Reader = { role: Role; country?: string | undefined } | 'public';

/** What visibility reads of a notice (a stored notice has all of it). */
export interface NoticeFacts {
  requestingCountry: string;
  publishedAt: Date | null;
  recipients: string[] | null;
  state: string;
  snapshot: { context: unknown };
}

/** A part of a notice: one of its records, or one of its history events (`country` null: the notice's own). */
export type PartFacts = NoticeFacts & { country: string | null };

/** SQL aliases of the notices row and, for a part, of the row that carries its `country`. */
interface Aliases {
  notice: string;
  part?: string;
}

interface Fact<T> {
  holds: (row: T) => boolean;
  sql: (a: Aliases) => Prisma.Sql;
}

type Rule<T> = boolean | Fact<T> | { all: Rule<T>[] } | { any: Rule<T>[] };

const col = (alias: string | undefined, column: string) => {
  if (!alias) throw new Error(`no alias for ${column}`);
  return Prisma.raw(`${alias}.${column}`);
};

const requestedBy = (country: string): Fact<NoticeFacts> => ({
  holds: (n) => n.requestingCountry === country,
  sql: (a) => Prisma.sql`${col(a.notice, 'requesting_country')} = ${country}`,
});

const published: Fact<NoticeFacts> = {
  holds: (n) => n.publishedAt !== null,
  sql: (a) => Prisma.sql`${col(a.notice, 'published_at')} IS NOT NULL`,
};

/** `recipients` null: every member but the requester; otherwise the countries listed. */
const recipient = (country: string): Fact<Pick<NoticeFacts, 'requestingCountry' | 'recipients'>> => ({
  holds: (n) => (n.recipients === null ? n.requestingCountry !== country : n.recipients.includes(country)),
  sql: (a) => Prisma.sql`(CASE WHEN ${col(a.notice, 'recipients')} IS NULL
    THEN ${col(a.notice, 'requesting_country')} <> ${country}
    ELSE ${col(a.notice, 'recipients')} @> jsonb_build_array(${country}::text) END)`,
});

const circulating: Fact<NoticeFacts> = {
  holds: (n) => isCirculating(n.state),
  sql: (a) => Prisma.sql`${col(a.notice, 'state')} IN (${Prisma.join([...CIRCULATING_STATES])})`,
};

const consented: Fact<NoticeFacts> = {
  holds: (n) =>
    (n.snapshot.context as { request?: { publicExtractConsent?: unknown } }).request?.publicExtractConsent === true,
  sql: (a) => Prisma.sql`(${col(a.notice, 'snapshot')} #>> '{context,request,publicExtractConsent}') = 'true'`,
};

/** Circulated to every member country: a restricted notice has no public extract. */
const unrestricted: Fact<NoticeFacts> = {
  holds: (n) => n.recipients === null,
  sql: (a) => Prisma.sql`${col(a.notice, 'recipients')} IS NULL`,
};

const onNotice: Fact<PartFacts> = {
  holds: (p) => p.country === null,
  sql: (a) => Prisma.sql`${col(a.part, 'country')} IS NULL`,
};

const ownPart = (country: string): Fact<PartFacts> => ({
  holds: (p) => p.country === country,
  sql: (a) => Prisma.sql`${col(a.part, 'country')} = ${country}`,
});

/** Which notices a reader sees. */
function noticeRule(reader: Reader): Rule<NoticeFacts> {
  if (reader === 'public') return { all: [circulating, consented, unrestricted] };
  if (reader.role !== 'ncb') return true;
  const country = reader.country ?? '';
  return { any: [requestedBy(country), { all: [published, recipient(country)] }] };
}

/** Which parts (records, events) of a notice it sees a reader sees. */
function partRule(reader: Reader): Rule<PartFacts> {
  if (reader === 'public') return false;
  if (reader.role !== 'ncb') return true;
  const country = reader.country ?? '';
  return { any: [requestedBy(country), onNotice, ownPart(country)] };
}

function holds<T>(rule: Rule<T>, row: T): boolean {
  if (typeof rule === 'boolean') return rule;
  if ('all' in rule) return rule.all.every((r) => holds(r, row));
  if ('any' in rule) return rule.any.some((r) => holds(r, row));
  return rule.holds(row);
}

function toSql<T>(rule: Rule<T>, aliases: Aliases): Prisma.Sql {
  if (typeof rule === 'boolean') return rule ? Prisma.sql`TRUE` : Prisma.sql`FALSE`;
  if ('all' in rule)
    return Prisma.sql`(${Prisma.join(
      rule.all.map((r) => toSql(r, aliases)),
      ' AND ',
    )})`;
  if ('any' in rule)
    return Prisma.sql`(${Prisma.join(
      rule.any.map((r) => toSql(r, aliases)),
      ' OR ',
    )})`;
  return rule.sql(aliases);
}

/**
 * A restricted notice's recipients may not name its requester, which has the notice as its own: a 400 on
 * `field` (the request's `recipients`).
 */
export function refuseOwnCountry(request: { recipients?: string[] | undefined }, requester: string, field: string) {
  if (request.recipients?.includes(requester)) {
    throw ValidationError.of(field, 'must not name the requesting country');
  }
}

/** The member countries that receive the notice once it is published. */
export const recipientsOf = (notice: Pick<NoticeFacts, 'requestingCountry' | 'recipients'>): string[] =>
  MEMBER_COUNTRIES.map((c) => c.code).filter((code) => recipient(code).holds(notice));

/**
 * Whether `country` receives the notice once it is published: `recipientsOf(notice).includes(country)`
 * without building the list of 195, which a country's every event on its record asks (the profile in
 * bench/README.md).
 */
export const isRecipientOf = (
  notice: Pick<NoticeFacts, 'requestingCountry' | 'recipients'>,
  country: string,
): boolean => MEMBER_CODES.has(country) && recipient(country).holds(notice);

export const canSeeNotice = (reader: Reader, notice: NoticeFacts): boolean => holds(noticeRule(reader), notice);

/** Whether the reader, who sees the notice, sees this record or event of it (`country` null: the notice's own). */
export const canSeePart = (reader: Reader, notice: NoticeFacts, country: string | null): boolean =>
  holds(partRule(reader), { ...notice, country });

/** `canSeeNotice` as SQL on the notices row aliased `notice`. */
export const noticeVisibleSql = (reader: Reader, notice = 'n'): Prisma.Sql => toSql(noticeRule(reader), { notice });

/** `canSeePart` as SQL, the part's `country` read from the row aliased `part` (a record or an event). */
export const partVisibleSql = (reader: Reader, notice: string, part: string): Prisma.Sql =>
  toSql(partRule(reader), { notice, part });
