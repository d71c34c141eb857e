import { z } from 'zod';
import { MemberCountry } from '../countries/country-schemas';
import { storableText } from '../kernel/text';
import { CIRCULATION_EVENT_TYPES, CIRCULATION_STATES, EXTRADITION_REFUSAL_BASES } from './circulation-machine';
import { CONVENTIONS, RELEASE_DAYS } from './extradition-rules';

/** What a participant sends: every event but the system's. */
const USER_TYPES = CIRCULATION_EVENT_TYPES.filter((t) => t !== 'CLOSE' && t !== 'RELEASE');

const details = storableText(4000);

export const CirculationEventBody = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('ACKNOWLEDGE') }),
      z.strictObject({
        type: z.literal('REPORT_HIT'),
        details,
        hitId: z
          .guid({ error: 'must be a hit id (UUID)' })
          .optional()
          .meta({
            description:
              'the hit of this country’s search on the notice’s subject that found the person (it is then linked to ' +
              'the record): must be a hit id (UUID); must be a hit of a search by this country on this notice’s ' +
              'subject, not reported yet',
          }),
      }),
      z.strictObject({
        type: z.literal('PROVISIONAL_ARREST'),
        details: details.optional(),
        convention: z
          .enum(CONVENTIONS)
          .optional()
          .meta({
            description:
              'the extradition convention between the two countries, which sets the release deadline: european ' +
              `(the default, ${RELEASE_DAYS.european} days), inter_american (${RELEASE_DAYS.inter_american}), ` +
              `ecowas (${RELEASE_DAYS.ecowas}), arab (${RELEASE_DAYS.arab})`,
          }),
        releaseAfterDays: z
          .int()
          .min(1)
          .max(365)
          .optional()
          .meta({ description: 'days the requester has for its extradition request, in place of the convention’s' }),
      }),
      z.strictObject({ type: z.literal('DECLINE_ACTION'), reason: details }),
      z.strictObject({ type: z.literal('SURRENDER'), details: details.optional() }),
      z.strictObject({ type: z.literal('REPORT_LOCATED'), details }),
      z.strictObject({ type: z.literal('EXTRADITION_REQUESTED'), details: details.optional() }),
      z.strictObject({ type: z.literal('GRANT_EXTRADITION'), details: details.optional() }),
      z.strictObject({
        type: z.literal('REFUSE_EXTRADITION'),
        reason: details,
        basis: z.enum(EXTRADITION_REFUSAL_BASES).meta({
          description: `why, in law: ${EXTRADITION_REFUSAL_BASES.join(', ')} (not a notice refusal's grounds)`,
        }),
      }),
    ],
    { error: `type must be one of ${USER_TYPES.join(', ')}` },
  )
  .meta({ id: 'CirculationEvent' });
export type CirculationEventInput = z.infer<typeof CirculationEventBody>;

export const CirculationParams = z.strictObject({
  id: z.guid({ error: 'must be a notice id (UUID)' }),
  country: MemberCountry,
});

export const CirculationRecordResponse = z
  .object({
    country: z.string(),
    state: z.enum(CIRCULATION_STATES),
    version: z.int(),
    updatedAt: z.iso.datetime(),
    deadline: z
      .object({ event: z.string(), at: z.iso.datetime() })
      .optional()
      .meta({
        description:
          'the record’s own timed step, the soonest (simulated time): RELEASE, when the person held after a ' +
          'provisional arrest is released unless the requester sends its extradition request before; ' +
          'PROMPT_CANCEL, when the GS is asked to cancel a notice whose purpose was achieved there, if not withdrawn',
      }),
  })
  .meta({ id: 'CirculationRecord' });
export type CirculationRecordDto = z.infer<typeof CirculationRecordResponse>;

export const CirculationListResponse = z
  .object({ items: z.array(CirculationRecordResponse) })
  .meta({ id: 'CirculationList' });
