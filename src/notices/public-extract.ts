import { z } from 'zod';
import type { NoticeContext } from './notice-machine';
import type { StoredNotice } from './notice-store-type';
import { NOTICE_TYPES, OFFENCE_CATEGORIES, type NoticeState } from './notice-types';

/** A notice is on the public list while it is published and valid, and only if its requester consented. */
export const PUBLIC_STATES: readonly NoticeState[] = ['published', 'renewal_pending'];

export const PublicExtractResponse = z
  .object({
    id: z.uuid(),
    type: z.enum(NOTICE_TYPES),
    requestingCountry: z.string(),
    familyName: z.string(),
    forename: z.string(),
    age: z.int().nullable().meta({ description: 'whole years at the exercise’s simulated now' }),
    nationalities: z.array(z.string()),
    charges: z.object({ category: z.enum(OFFENCE_CATEGORIES), summary: z.string() }).optional(),
    disappearance: z.object({ date: z.string(), place: z.string(), country: z.string() }).optional(),
    photoRef: z.string().optional(),
  })
  .meta({
    id: 'PublicExtract',
    description: 'The reduced public view: never warrant references, fingerprints, DNA or participants',
  });
export type PublicExtract = z.infer<typeof PublicExtractResponse>;

/** Whole years between a birth date (or, lacking one, 1 January of the birth year) and `now`. */
export function ageAt(subject: { dateOfBirth?: string; yearOfBirth?: number }, now: Date): number | null {
  const birth = subject.dateOfBirth ?? (subject.yearOfBirth ? `${subject.yearOfBirth}-01-01` : undefined);
  if (!birth) return null;
  const [y, m, d] = birth.split('-').map(Number) as [number, number, number];
  const beforeBirthday = now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d);
  return Math.max(0, now.getUTCFullYear() - y - (beforeBirthday ? 1 : 0));
}

/** The public extract of a notice: built field by field, so nothing else can slip through. */
export function toPublicExtract(notice: StoredNotice, now: Date): PublicExtract {
  const { request } = notice.snapshot.context as NoticeContext;
  const { subject } = request;
  return {
    id: notice.id,
    type: notice.type,
    requestingCountry: notice.requestingCountry,
    familyName: subject.familyName,
    forename: subject.forename,
    age: ageAt(subject, now),
    nationalities: [...subject.nationalities],
    ...(request.type === 'RED' && { charges: { category: request.offence.category, summary: request.offence.summary } }),
    ...(request.type === 'YELLOW' && {
      disappearance: { date: request.disappearance.date, place: request.disappearance.place, country: request.disappearance.country },
    }),
    ...(subject.photoRef && { photoRef: subject.photoRef }),
  };
}

/** Whether the public may see this notice now. */
export function isPublic(notice: StoredNotice): boolean {
  const { request } = notice.snapshot.context as NoticeContext;
  return PUBLIC_STATES.includes(notice.state as NoticeState) && request.publicExtractConsent === true;
}
