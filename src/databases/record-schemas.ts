/**
 * The database records' API shapes (names fixed by the databases issue: scenarios and tools rely on
 * them). A record is one of five kinds, each with its own fields; `recipients` (absent: every member
 * country) is the shape notices and diffusions use too.
 */
import { z } from 'zod';
import { IsoCountry, MemberCountry } from '../countries/country-schemas';
import { RunQueryField } from '../exercises/runs';
import { PAGE_QUERY, storableText } from '../kernel/text';
import type { Problem } from '../kernel/validate';
import { compactCode, vinProblem } from './record-keys';

export const RECORD_KINDS = ['nominal', 'fingerprints', 'dna', 'sltd', 'smv'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const LOSS_KINDS = ['stolen_blank', 'stolen_from_bearer', 'lost', 'revoked'] as const;
export const DOCUMENT_TYPES = ['passport', 'identity_card', 'visa', 'residence_permit', 'other'] as const;

const text = (max: number, about?: string) => storableText(max, about);
const isoDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });

/** A synthetic print set or a DNA profile: the simulator matches templates, it processes no images. */
const template = (about: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:;,/+=-]{0,1999}$/, 'must be 1 to 2000 letters, digits and . _ : ; , / + = -')
    .meta({ description: about });

const DOCUMENT_RULE = 'must be 4 to 20 letters and digits (spaces, dashes and dots are ignored)';
const documentNumber = text(40, `the number as printed: ${DOCUMENT_RULE}`).refine(
  (v) => /^[A-Z0-9]{4,20}$/.test(compactCode(v)),
  DOCUMENT_RULE,
);

const vin = text(
  40,
  'vehicle identification number (ISO 3779): must be 17 letters and digits, without I, O or Q (spaces and ' +
    'dashes are ignored); one made for North America (a first character 1-5) or China (L) is refused when it ' +
    'has the check digit "<9th>" where its other characters give "<digit>"',
).superRefine((v, ctx) => {
  const problem = vinProblem(compactCode(v));
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const PLATE_RULE = 'must be 1 to 12 letters and digits (spaces, dashes and dots are ignored)';
const plate = text(20, `registration plate: ${PLATE_RULE}`).refine(
  (v) => /^[A-Z0-9]{1,12}$/.test(compactCode(v)),
  PLATE_RULE,
);

/** Each kind's own fields, as its owner writes them (all of them on creation, some on a change). */
export const KIND_FIELDS = {
  nominal: z.strictObject({
    familyName: text(200),
    forename: text(200),
    dateOfBirth: isoDate.optional(),
    nationalities: z.array(IsoCountry).max(10).optional(),
    aliases: z.array(text(400)).max(20).optional().meta({ description: 'other names, each in full' }),
    offences: z.array(text(1000)).max(50).optional().meta({ description: 'offences or cases linked to the person' }),
  }),
  fingerprints: z.strictObject({
    template: template('the synthetic template of a ten-print set or a crime-scene mark'),
    description: text(1000).optional(),
  }),
  dna: z.strictObject({ profile: template('the synthetic DNA profile (its loci)') }),
  sltd: z.strictObject({
    documentNumber,
    issuingCountry: IsoCountry,
    documentType: z.enum(DOCUMENT_TYPES),
    lossKind: z.enum(LOSS_KINDS),
  }),
  smv: z.strictObject({
    vin,
    plate: plate.optional(),
    registrationCountry: IsoCountry.optional(),
    make: text(100).optional(),
    model: text(100).optional(),
    colour: text(50).optional(),
    stolenOn: isoDate.optional(),
  }),
} as const satisfies Record<RecordKind, z.ZodObject>;

const Recipients = z
  .array(MemberCountry)
  .min(1)
  .max(196)
  .refine((list) => new Set(list).size === list.length, 'must not name a country twice')
  .meta({
    description:
      'the member countries it is distributed to (left out, every member country); must not name a country twice',
  });

/** What every kind takes besides its own fields. */
const RECORD_FIELDS = {
  recipients: Recipients.nullable().optional(),
  personId: z.guid({ error: 'must be a person id (UUID)' }).optional().meta({
    description:
      'the person the record is of: must be a person id (UUID) of the exercise’s current run that you may see',
  }),
};

// Written out kind by kind, so that each member's type keeps its own fields.
export const CreateRecordBody = z
  .discriminatedUnion('kind', [
    KIND_FIELDS.nominal.extend({ kind: z.literal('nominal'), ...RECORD_FIELDS }),
    KIND_FIELDS.fingerprints.extend({ kind: z.literal('fingerprints'), ...RECORD_FIELDS }),
    KIND_FIELDS.dna.extend({ kind: z.literal('dna'), ...RECORD_FIELDS }),
    KIND_FIELDS.sltd.extend({ kind: z.literal('sltd'), ...RECORD_FIELDS }),
    KIND_FIELDS.smv.extend({ kind: z.literal('smv'), ...RECORD_FIELDS }),
  ])
  .meta({ id: 'CreateRecord', description: 'A record of one kind, with that kind’s fields' });
export type CreateRecordInput = z.infer<typeof CreateRecordBody>;

export const ImportRecordsBody = z
  .array(CreateRecordBody)
  .min(1)
  .max(100_000)
  .meta({
    id: 'ImportRecords',
    description:
      'From 1 to 100,000 records, as a JSON array or as CSV (text/csv) with a header row naming the fields (a list ' +
      'in one cell separated by `;`); a bad record is named by its place, `body.N` from 0 (in CSV, the row on ' +
      'line N + 2)',
  });

export const ImportRecordsResponse = z.object({ imported: z.int() }).meta({ id: 'ImportedRecords' });

/**
 * A change to a record: some fields of its kind, or its recipients (`null`: every member country again).
 * Which fields belong is known once the record is read; the service checks them against its kind.
 */
export const UpdateRecordBody = z
  .record(z.string(), z.unknown())
  .meta({ id: 'UpdateRecord', description: 'Fields of the record’s kind to change, and/or `recipients`' });

export const RecordChange = (kind: RecordKind) =>
  KIND_FIELDS[kind].partial().extend({ recipients: Recipients.nullable().optional() });

export const RecordIdParams = z.strictObject({ id: z.guid({ error: 'must be a record id (UUID)' }) });

export const ListRecordsQuery = z.strictObject({
  run: RunQueryField,
  kind: z.enum(RECORD_KINDS).optional(),
  owner: MemberCountry.optional().meta({ description: 'the owning country' }),
  ...PAGE_QUERY,
});

export const RecordResponse = z
  .object({
    id: z.uuid(),
    kind: z.enum(RECORD_KINDS),
    ownerCountry: z.string(),
    recipients: z.array(z.string()).nullable().meta({ description: 'null: every member country' }),
    run: z.int(),
    version: z.int(),
    personId: z.uuid().optional().meta({ description: 'the person it is linked to, if any' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .catchall(z.unknown())
  .meta({ id: 'DatabaseRecord', description: 'A record with its kind’s fields beside these' });
export type RecordDto = z.infer<typeof RecordResponse>;

export const RecordListResponse = z.object({ items: z.array(RecordResponse) });

export const RecordHistoryResponse = z.object({
  items: z.array(
    z.object({
      seq: z.int(),
      type: z.enum(['CREATE', 'UPDATE', 'DELETE']),
      actor: z.object({ role: z.string(), country: z.string().optional() }),
      at: z.iso.datetime(),
      recordedAt: z.iso.datetime(),
      payload: z.record(z.string(), z.unknown()),
    }),
  ),
});

/**
 * What the fields of a kind need together, beyond each field's own rules (checked on creation and on
 * the fields a change leaves): a plate is found by its country, so it needs one.
 */
export function kindProblems(kind: RecordKind, data: Readonly<Record<string, unknown>>): Problem[] {
  if (kind === 'smv' && data.plate !== undefined && data.registrationCountry === undefined) {
    return [
      { field: 'body.registrationCountry', message: 'is needed with a plate: a plate is searched with its country' },
    ];
  }
  return [];
}
