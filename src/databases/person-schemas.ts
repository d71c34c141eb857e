/** The persons' API shapes: a person, what links to it, and the link and unlink requests. */
import { z } from 'zod';
import { ROLES } from '../exercises/exercise-types';
import { RunQueryField } from '../exercises/runs';
import { storableText } from '../kernel/text';
import { RecordResponse } from './record-schemas';
import { HitResponse } from './search-schemas';

const ONE_TARGET = 'must name exactly one of recordId, noticeId and hitId';

const id = (of: string) =>
  z
    .guid({ error: `must be a ${of} id (UUID)` })
    .optional()
    .meta({ description: `must be a ${of} id (UUID) of the person’s run` });

const targetFields = { recordId: id('record'), noticeId: id('notice'), hitId: id('hit') };

/** What a link is of: one record, notice or hit. */
export type LinkTarget = { recordId: string } | { noticeId: string } | { hitId: string };

const oneTarget = <T extends { recordId?: string; noticeId?: string; hitId?: string }>(
  value: T,
  ctx: z.RefinementCtx,
) => {
  const named = [value.recordId, value.noticeId, value.hitId].filter((v) => v !== undefined);
  if (named.length !== 1) ctx.addIssue({ code: 'custom', message: ONE_TARGET, path: [] });
};

const Target = z
  .strictObject(targetFields)
  .superRefine(oneTarget)
  .meta({ id: 'PersonLinkTarget', description: `A record, notice or hit to link: ${ONE_TARGET}` });

const reason = storableText(2000, 'why: what establishes (or undoes) the link');

export const CreatePersonBody = z
  .strictObject({
    label: storableText(200, 'how the teams call the person: a name, or what is known of them'),
    reason,
    links: z.array(Target).max(50).optional().meta({ description: 'what to link at once (at most 50)' }),
  })
  .meta({ id: 'CreatePerson' });
export type CreatePersonInput = z.infer<typeof CreatePersonBody>;

export const PersonLinkBody = z
  .strictObject({ ...targetFields, reason })
  .superRefine(oneTarget)
  .meta({ id: 'PersonLink', description: `A link or unlink with its reason: ${ONE_TARGET}` });
export type PersonLinkInput = z.infer<typeof PersonLinkBody>;

export const PersonParams = z.strictObject({
  id: z.guid({ error: 'must be an exercise id (UUID)' }),
  personId: z.guid({ error: 'must be a person id (UUID)' }),
});

export const PersonQuery = z.strictObject({ run: RunQueryField });

const Actor = z.object({ role: z.enum(ROLES), country: z.string().optional() });

const PersonEventResponse = z.object({
  type: z.enum(['CREATE', 'LINK', 'UNLINK']),
  recordId: z.uuid().optional(),
  noticeId: z.uuid().optional(),
  hitId: z.uuid().optional(),
  reason: z.string(),
  actor: Actor,
  at: z.iso.datetime(),
});

export const PersonResponse = z
  .object({
    id: z.uuid(),
    label: z.string(),
    run: z.int(),
    createdBy: Actor,
    at: z.iso.datetime(),
    records: z.array(RecordResponse),
    notices: z.array(z.object({ id: z.uuid(), type: z.string(), state: z.string(), requestingCountry: z.string() })),
    hits: z.array(HitResponse),
    history: z.array(PersonEventResponse).meta({ description: 'the links and unlinks of what the caller sees' }),
  })
  .meta({ id: 'Person', description: 'A person and what is linked to it that the caller may see' });
export type PersonDto = z.infer<typeof PersonResponse>;

export const PersonSummary = PersonResponse.pick({ id: true, label: true, run: true, createdBy: true, at: true });
export const PersonListResponse = z.object({ items: z.array(PersonSummary) });
