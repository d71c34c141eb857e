/** Response schemas of the notice API; the DTO types are inferred from them. */
import { z } from 'zod';
import { ROLES } from '../exercises/exercise-types';
import { DisappearanceSchema, OffenceSchema, SubjectSchema } from './notice-request-schemas';
import { CHECK_IDS, NOTICE_STATES, NOTICE_TYPES, OFFENCE_CATEGORIES } from './notice-types';

export const ActorSchema = z
  .object({
    role: z.enum(ROLES),
    country: z.string().optional(),
    name: z.string().optional().meta({ description: 'the participant’s display name, when it has one' }),
  })
  .meta({ id: 'Actor' });

export const CheckSchema = z
  .object({
    id: z.enum(CHECK_IDS),
    passed: z.boolean(),
    blocking: z.boolean(),
    message: z.string(),
    missing: z
      .array(z.string())
      .meta({ description: 'request fields found missing or wrong, e.g. offence.warrant.reference' }),
  })
  .meta({ id: 'ComplianceCheck' });

const DeadlineSchema = z.object({ event: z.string(), at: z.iso.datetime() }).meta({ id: 'Deadline' });

export const NoticeResponse = z
  .object({
    id: z.uuid(),
    exerciseId: z.uuid(),
    run: z.int().min(1).meta({
      description: 'the exercise’s run it belongs to; once a reset has started the next, it is read-only',
    }),
    type: z.enum(NOTICE_TYPES),
    state: z.enum(NOTICE_STATES),
    requestingCountry: z.string(),
    recipients: z
      .array(z.string())
      .nullable()
      .meta({ description: 'who receives it once published; null: every member country but the requester' }),
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
    addenda: z
      .array(
        z.object({
          kind: z.literal('extradition_refused'),
          country: z.string().meta({ description: 'the country that refused' }),
          basis: z.string().meta({ description: 'nationality, political_offence, death_penalty, fair_trial, …' }),
          reason: z.string(),
          at: z.iso.datetime(),
        }),
      )
      .meta({ description: 'added after publication, oldest first: a country’s refusal to extradite, with its basis' }),
    deadlines: z.array(DeadlineSchema).meta({ description: 'timed transitions ahead, soonest first (simulated time)' }),
    deadline: DeadlineSchema.nullable().meta({ description: 'the soonest of `deadlines`' }),
    publishedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    lastEventAt: z.iso.datetime().nullable().meta({
      description: 'simulated time of the notice’s latest own event (creation or transition; not its records’)',
    }),
    createdAt: z.iso.datetime().meta({ description: 'wall time' }),
    updatedAt: z.iso.datetime().meta({ description: 'wall time' }),
  })
  .meta({ id: 'Notice' });
export type NoticeDto = z.infer<typeof NoticeResponse>;

export const NoticeListResponse = z.object({ items: z.array(NoticeResponse) }).meta({ id: 'NoticeList' });

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
export type HistoryEntryDto = z.infer<typeof HistoryEntryResponse>;
export const HistoryListResponse = z.object({ items: z.array(HistoryEntryResponse) }).meta({ id: 'History' });

export const PublicExtractResponse = z
  .object({
    id: z.uuid(),
    type: z.enum(NOTICE_TYPES),
    requestingCountry: z.string(),
    familyName: z.string().optional(),
    forename: z.string().optional(),
    age: z.int().nullable().meta({ description: 'whole years at the exercise’s simulated now' }),
    nationalities: z.array(z.string()),
    charges: z.object({ category: z.enum(OFFENCE_CATEGORIES).optional(), summary: z.string().optional() }).optional(),
    disappearance: z
      .object({ date: z.string().optional(), place: z.string().optional(), country: z.string().optional() })
      .optional(),
    photoRef: z.string().optional(),
  })
  .meta({
    id: 'PublicExtract',
    description: 'The reduced public view: never warrant references, fingerprints, DNA or participants',
  });
export type PublicExtract = z.infer<typeof PublicExtractResponse>;
export const PublicExtractList = z.object({ items: z.array(PublicExtractResponse) }).meta({ id: 'PublicExtractList' });
