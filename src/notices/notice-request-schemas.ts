/** Request schemas of the notice API: they check types and sizes, never completeness (the compliance checks do). */
import { z } from 'zod';
import { IsoCountry, MemberCountry } from '../countries/country-schemas';
import { PAGE_QUERY, storableText } from '../kernel/text';
import { RunQueryField } from '../exercises/runs';
import { MISSING_CHILD_YELLOW_REQUEST, MONACO_RED_REQUEST } from './example-requests';
import {
  NOTICE_STATES,
  NOTICE_TYPES,
  NOTICE_USER_EVENTS,
  OFFENCE_CATEGORIES,
  REFUSAL_GROUNDS,
  SEXES,
} from './notice-types';

const text = (max = 2000) => storableText(max);
const isoDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });

export const SubjectSchema = z
  .strictObject({
    familyName: text(200).optional(),
    forename: text(200).optional(),
    sex: z.enum(SEXES).optional(),
    dateOfBirth: isoDate.optional(),
    yearOfBirth: z.int().min(1900).max(2100).optional(),
    nationalities: z.array(IsoCountry).max(10).optional(),
    description: text(4000).optional(),
    photoRef: text(500).optional(),
    fingerprintsRef: text(500).optional(),
    dnaRef: text(500).optional(),
  })
  .meta({ id: 'Subject' });

const WarrantSchema = z
  .strictObject({ reference: text(200).optional(), issuedOn: isoDate.optional(), authority: text(500).optional() })
  .meta({ id: 'Warrant', description: 'The arrest warrant or the judgment' });

export const OffenceSchema = z
  .strictObject({
    category: z.enum(OFFENCE_CATEGORIES).optional(),
    summary: text(4000).optional(),
    law: text(1000).optional(),
    maxPenaltyYears: z.number().min(0).max(1000).optional().meta({ description: 'for a prosecution' }),
    basis: z.enum(['prosecution', 'sentence']).optional(),
    sentenceImposedMonths: z.number().min(0).max(12000).optional().meta({ description: 'for a sentence' }),
    sentenceRemainingMonths: z.number().min(0).max(12000).optional().meta({ description: 'for a sentence' }),
    linkedToSeriousOrOrganisedCrime: z.boolean().optional().meta({
      description:
        'a private dispute or administrative breach that facilitates a serious crime or is linked to organised crime',
    }),
    warrant: WarrantSchema.optional(),
  })
  .meta({ id: 'Offence' });

export const DisappearanceSchema = z
  .strictObject({
    date: isoDate.optional(),
    place: text(500).optional(),
    country: IsoCountry.optional(),
    circumstances: text(4000).optional(),
    policeReport: z.strictObject({ reference: text(200).optional(), date: isoDate.optional() }).optional(),
  })
  .meta({ id: 'Disappearance' });

const consent = z.boolean().optional().meta({ description: 'consent to a public extract' });

/** Restricted circulation: the member countries that alone receive the notice once published. */
export const RESTRICTED_RULES =
  'must not name a country twice; must not name the requesting country; a restricted notice has no public extract';
const recipients = z
  .array(MemberCountry)
  .min(1)
  .max(195)
  .refine((list) => new Set(list).size === list.length, 'must not name a country twice')
  .optional()
  .meta({
    description:
      'restricted circulation: only these member countries receive the notice once published (left out, every ' +
      `member country but the requester); ${RESTRICTED_RULES}`,
  });

export const RedRequestSchema = z
  .strictObject({
    type: z.literal('RED'),
    subject: SubjectSchema.default({}),
    offence: OffenceSchema.default({}),
    extraditionFrom: z.array(MemberCountry).max(196).optional(),
    article3Concern: z.boolean().optional(),
    publicExtractConsent: consent,
    recipients,
  })
  .meta({ id: 'RedNoticeRequest', examples: [MONACO_RED_REQUEST] });

export const YellowRequestSchema = z
  .strictObject({
    type: z.literal('YELLOW'),
    subject: SubjectSchema.default({}),
    disappearance: DisappearanceSchema.default({}),
    adultConsent: z.boolean().optional(),
    publicExtractConsent: consent,
    recipients,
  })
  .meta({ id: 'YellowNoticeRequest', examples: [MISSING_CHILD_YELLOW_REQUEST] });

export const CreateNoticeBody = z
  .discriminatedUnion('type', [RedRequestSchema, YellowRequestSchema], { error: 'type must be RED or YELLOW' })
  .meta({
    id: 'CreateNoticeRequest',
    description:
      'Any field may be left out: the request is saved as a draft, and the compliance checks name what is missing.',
  });

const RequestChangesSchema = z.strictObject({
  subject: SubjectSchema.optional(),
  offence: OffenceSchema.optional(),
  disappearance: DisappearanceSchema.optional(),
  extraditionFrom: z.array(MemberCountry).max(196).optional(),
  article3Concern: z.boolean().optional(),
  adultConsent: z.boolean().optional(),
  publicExtractConsent: z.boolean().optional(),
});

const reason = text(4000);

/** Grounds of a refusal: one or more, each once (a repeated one is counted once). */
const GROUNDS_RULE = `one or more of ${REFUSAL_GROUNDS.join(', ')}`;
const RefusalGrounds = z
  .array(z.enum(REFUSAL_GROUNDS, { error: `must be ${GROUNDS_RULE}` }), { error: `must list ${GROUNDS_RULE}` })
  .min(1, `must list ${GROUNDS_RULE}`)
  .max(REFUSAL_GROUNDS.length)
  .overwrite((grounds) => [...new Set(grounds)])
  .meta({ description: `The grounds of the refusal: must list ${GROUNDS_RULE} (each counted once)` });

export const NoticeEventBody = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('UPDATE_DRAFT'), request: CreateNoticeBody }).meta({
        description:
          'The owner NCB replaces its draft’s request with `request`, whose type must be the type of this notice',
      }),
      z.strictObject({ type: z.literal('SUBMIT') }),
      z.strictObject({ type: z.literal('START_REVIEW') }),
      z.strictObject({ type: z.literal('REQUEST_INFO'), question: reason }),
      z.strictObject({ type: z.literal('PROVIDE_INFO'), answer: reason, changes: RequestChangesSchema.optional() }),
      z.strictObject({
        type: z.literal('APPROVE'),
        article3Cleared: z.boolean(),
        particularImportance: z.boolean().optional(),
      }),
      z.strictObject({ type: z.literal('REFUSE'), reason, grounds: RefusalGrounds }),
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

export const NoticeIdParams = z.strictObject({ id: z.guid({ error: 'must be a notice id (UUID)' }) });

export const ListNoticesQuery = z.strictObject({
  run: RunQueryField,
  state: z.enum(NOTICE_STATES).optional(),
  type: z.enum(NOTICE_TYPES).optional(),
  country: MemberCountry.optional().meta({ description: 'the requesting country' }),
  ...PAGE_QUERY,
});

/** `If-Match: <version>` (quotes and a weak prefix tolerated, as browsers and proxies send them). */
export const IfMatchHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?"?\d{1,9}"?$/, 'If-Match must be the version, a whole number')
    .transform((v) => Number(v.replace(/\D/g, '')))
    .optional()
    .meta({ description: 'Apply only if the version is still this one (409 otherwise)' }),
});
