import { z } from 'zod';
import { ISO_CODES, isMember } from '../countries/member-countries';
import { MISSING_CHILD_YELLOW_REQUEST, MONACO_RED_REQUEST } from './example-requests';
import { NOTICE_STATES, NOTICE_TYPES, OFFENCE_CATEGORIES, SEXES, CHECK_IDS, NOTICE_USER_EVENTS, ROLES } from './notice-types';

/** Request and response schemas of the notice API; the OpenAPI document is generated from these. */

/**
 * Free text as PostgreSQL can store it: no NUL character and no lone UTF-16 surrogate (neither fits
 * in `text` or `jsonb`), so such input is a 400 rather than a failed write.
 */
export const storableText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !v.includes('\u0000') && v.isWellFormed(), 'must not contain NUL characters or unpaired surrogates');
const text = (max = 2000) => storableText(max);
const isoDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });
export const IsoCountry = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code (two capital letters)')
  .refine((c) => ISO_CODES.has(c), 'is not an ISO 3166-1 alpha-2 code');
export const MemberCountry = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code (two capital letters)')
  .refine(isMember, 'is not a member country')
  .meta({ description: 'ISO 3166-1 alpha-2 code of a member country', example: 'MC' });

export const SubjectSchema = z
  .strictObject({
    familyName: text(200),
    forename: text(200),
    sex: z.enum(SEXES),
    dateOfBirth: isoDate.optional(),
    yearOfBirth: z.int().min(1900).max(2100).optional(),
    nationalities: z.array(IsoCountry).max(10),
    description: text(4000).optional(),
    photoRef: text(500).optional(),
    fingerprintsRef: text(500).optional(),
    dnaRef: text(500).optional(),
  })
  .meta({ id: 'Subject' });

const WarrantSchema = z.strictObject({ reference: text(200), issuedOn: isoDate, authority: text(500) });

export const OffenceSchema = z
  .strictObject({
    category: z.enum(OFFENCE_CATEGORIES),
    summary: text(4000),
    law: text(1000),
    maxPenaltyYears: z.number().min(0).max(1000),
    basis: z.enum(['prosecution', 'sentence']),
    sentenceRemainingMonths: z.number().min(0).max(12000).optional(),
    warrant: WarrantSchema,
  })
  .meta({ id: 'Offence' });

export const DisappearanceSchema = z
  .strictObject({
    date: isoDate,
    place: text(500),
    country: IsoCountry,
    circumstances: text(4000),
    policeReport: z.strictObject({ reference: text(200), date: isoDate }),
  })
  .meta({ id: 'Disappearance' });

export const RedRequestSchema = z
  .strictObject({
    type: z.literal('RED'),
    subject: SubjectSchema,
    offence: OffenceSchema,
    extraditionFrom: z.array(MemberCountry).max(196).optional(),
    article3Concern: z.boolean().optional(),
    publicExtractConsent: z.boolean().optional(),
  })
  .meta({ id: 'RedNoticeRequest', examples: [MONACO_RED_REQUEST] });

export const YellowRequestSchema = z
  .strictObject({
    type: z.literal('YELLOW'),
    subject: SubjectSchema,
    disappearance: DisappearanceSchema,
    adultConsent: z.boolean().optional(),
    publicExtractConsent: z.boolean().optional(),
  })
  .meta({ id: 'YellowNoticeRequest', examples: [MISSING_CHILD_YELLOW_REQUEST] });

export const CreateNoticeBody = z
  .discriminatedUnion('type', [RedRequestSchema, YellowRequestSchema], { error: 'type must be RED or YELLOW' })
  .meta({ id: 'CreateNoticeRequest' });

const RequestChangesSchema = z.strictObject({
  subject: SubjectSchema.partial().optional(),
  offence: OffenceSchema.partial().optional(),
  disappearance: DisappearanceSchema.partial().optional(),
  extraditionFrom: z.array(MemberCountry).max(196).optional(),
  article3Concern: z.boolean().optional(),
  adultConsent: z.boolean().optional(),
  publicExtractConsent: z.boolean().optional(),
});

const reason = text(4000);

export const NoticeEventBody = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('SUBMIT') }),
      z.strictObject({ type: z.literal('START_REVIEW') }),
      z.strictObject({ type: z.literal('REQUEST_INFO'), question: reason }),
      z.strictObject({ type: z.literal('PROVIDE_INFO'), answer: reason, changes: RequestChangesSchema.optional() }),
      z.strictObject({
        type: z.literal('APPROVE'),
        article3Cleared: z.boolean(),
        particularImportance: z.boolean().optional(),
      }),
      z.strictObject({ type: z.literal('REFUSE'), reason }),
      z.strictObject({ type: z.literal('SUSPEND'), reason }),
      z.strictObject({ type: z.literal('RESUME') }),
      z.strictObject({ type: z.literal('RENEW'), reason }),
      z.strictObject({ type: z.literal('REPORT_LOCATED'), details: reason.optional() }),
      z.strictObject({ type: z.literal('WITHDRAW'), reason }),
      z.strictObject({ type: z.literal('CANCEL'), reason }),
      z.strictObject({ type: z.literal('DELETE'), decisionRef: text(200) }),
    ],
    { error: `type must be one of ${NOTICE_USER_EVENTS.join(', ')}` },
  )
  .meta({ id: 'NoticeEvent' });
export type NoticeEventInput = z.infer<typeof NoticeEventBody>;

export const CirculationEventBody = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('ACKNOWLEDGE') }),
      z.strictObject({ type: z.literal('REPORT_HIT'), details: reason }),
      z.strictObject({ type: z.literal('PROVISIONAL_ARREST'), details: reason.optional() }),
      z.strictObject({ type: z.literal('DECLINE_ACTION'), reason }),
      z.strictObject({ type: z.literal('SURRENDER'), details: reason.optional() }),
      z.strictObject({ type: z.literal('REPORT_LOCATED'), details: reason }),
    ],
    { error: 'type must be one of ACKNOWLEDGE, REPORT_HIT, PROVISIONAL_ARREST, DECLINE_ACTION, SURRENDER, REPORT_LOCATED' },
  )
  .meta({ id: 'CirculationEvent' });
export type CirculationEventInput = z.infer<typeof CirculationEventBody>;

export const NoticeIdParams = z.strictObject({ id: z.uuid({ error: 'must be a notice id (UUID)' }) });
export const ExerciseIdParams = z.strictObject({ id: z.uuid({ error: 'must be an exercise id (UUID)' }) });
export const CirculationParams = z.strictObject({ id: z.uuid({ error: 'must be a notice id (UUID)' }), country: MemberCountry });

export const ListNoticesQuery = z.strictObject({
  state: z.enum(NOTICE_STATES).optional(),
  type: z.enum(NOTICE_TYPES).optional(),
  country: MemberCountry.optional().meta({ description: 'requesting country' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** `If-Match: <version>` (quotes and a weak prefix tolerated, as browsers and proxies send them). */
export const IfMatchHeader = z
  .string()
  .regex(/^(W\/)?"?\d{1,9}"?$/, 'If-Match must be the notice version, a whole number')
  .transform((v) => Number(v.replace(/\D/g, '')));

// Responses

const ActorSchema = z.object({ role: z.enum(ROLES), country: z.string().optional() }).meta({ id: 'Actor' });

export const CheckSchema = z
  .object({ id: z.enum(CHECK_IDS), passed: z.boolean(), blocking: z.boolean(), message: z.string() })
  .meta({ id: 'ComplianceCheck' });

export const NoticeResponse = z
  .object({
    id: z.uuid(),
    exerciseId: z.uuid(),
    type: z.enum(NOTICE_TYPES),
    state: z.enum(NOTICE_STATES),
    requestingCountry: z.string(),
    version: z.int(),
    allowedEvents: z.array(z.string()).meta({ description: 'events this caller may send now' }),
    checks: z.array(CheckSchema),
    subject: SubjectSchema,
    offence: OffenceSchema.optional(),
    extraditionFrom: z.array(z.string()).optional(),
    article3Concern: z.boolean().optional(),
    disappearance: DisappearanceSchema.optional(),
    adultConsent: z.boolean().optional(),
    publicExtractConsent: z.boolean().optional(),
    pendingQuestion: z.string().nullable(),
    deadline: z.object({ event: z.string(), at: z.iso.datetime() }).nullable().meta({ description: 'next timed transition (simulated time)' }),
    publishedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Notice' });
export type NoticeDto = z.infer<typeof NoticeResponse>;

export const NoticeListResponse = z.object({ items: z.array(NoticeResponse) }).meta({ id: 'NoticeList' });

export const CirculationRecordResponse = z
  .object({ country: z.string(), state: z.string(), version: z.int(), updatedAt: z.iso.datetime() })
  .meta({ id: 'CirculationRecord' });
export const CirculationListResponse = z.object({ items: z.array(CirculationRecordResponse) }).meta({ id: 'CirculationList' });

export const HistoryEntryResponse = z
  .object({
    seq: z.int(),
    type: z.string(),
    actor: ActorSchema,
    from: z.string().nullable(),
    to: z.string(),
    country: z.string().optional(),
    at: z.iso.datetime().meta({ description: 'simulated time' }),
    recordedAt: z.iso.datetime().meta({ description: 'wall time' }),
    payload: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'HistoryEntry' });
export const HistoryListResponse = z.object({ items: z.array(HistoryEntryResponse) }).meta({ id: 'History' });
