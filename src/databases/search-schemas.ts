/** The searches' and hits' API shapes (names fixed by the databases issue). */
import { z } from 'zod';
import { IsoCountry } from '../countries/country-schemas';
import { RunQueryField } from '../exercises/runs';
import { PAGE_QUERY, storableText } from '../kernel/text';
import { KIND_FIELDS } from './record-schemas';

const nominal = KIND_FIELDS.nominal.shape;
const sltd = KIND_FIELDS.sltd.shape;
const smv = KIND_FIELDS.smv.shape;

export const SEARCH_KINDS = ['name', 'fingerprints', 'dna', 'document', 'vin', 'plate'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const SearchBody = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('name'),
      familyName: nominal.familyName,
      forename: nominal.forename,
      dateOfBirth: nominal.dateOfBirth,
    }),
    z.strictObject({ kind: z.literal('fingerprints'), template: KIND_FIELDS.fingerprints.shape.template }),
    z.strictObject({ kind: z.literal('dna'), profile: KIND_FIELDS.dna.shape.profile }),
    z.strictObject({
      kind: z.literal('document'),
      documentNumber: sltd.documentNumber,
      issuingCountry: sltd.issuingCountry,
    }),
    z.strictObject({ kind: z.literal('vin'), vin: smv.vin }),
    z.strictObject({
      kind: z.literal('plate'),
      plate: storableText(20, 'registration plate'),
      registrationCountry: IsoCountry,
    }),
  ])
  .meta({ id: 'Search', description: 'A search of the databases the searcher may see, of one kind' });
export type SearchInput = z.infer<typeof SearchBody>;

const HitOfSearch = z.object({
  id: z.uuid(),
  score: z.number().meta({ description: 'from 0 to 1; a hit scores at least the threshold' }),
  kind: z.string().meta({ description: 'the matched record’s kind, or "notice" for the subject of a notice' }),
  ownerCountry: z.string().meta({ description: 'the owner of the record or the notice’s requester: told of the hit' }),
  recordId: z.uuid().optional(),
  noticeId: z.uuid().optional(),
  personId: z.uuid().optional().meta({ description: 'the person what matched is linked to, if any' }),
});

export const SearchResponse = z
  .object({ id: z.uuid(), hits: z.array(HitOfSearch).meta({ description: 'best first' }) })
  .meta({ id: 'SearchResult' });
export type SearchDto = z.infer<typeof SearchResponse>;

export const HitResponse = HitOfSearch.extend({
  searchId: z.uuid(),
  searchKind: z.enum(SEARCH_KINDS),
  searcher: z.object({ role: z.string(), country: z.string().optional() }),
  at: z.iso.datetime(),
  reportedAt: z.iso.datetime().optional().meta({
    description: 'when the searcher’s country reported the hit on the notice’s circulation record (REPORT_HIT)',
  }),
}).meta({ id: 'Hit' });
export type HitDto = z.infer<typeof HitResponse>;

export const HitListResponse = z.object({ items: z.array(HitResponse) });

export const ListHitsQuery = z.strictObject({ run: RunQueryField, ...PAGE_QUERY });
