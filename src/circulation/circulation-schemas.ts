import { z } from 'zod';
import { MemberCountry } from '../countries/country-schemas';
import { storableText } from '../kernel/text';
import { CIRCULATION_STATES } from './circulation-machine';

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
      z.strictObject({ type: z.literal('PROVISIONAL_ARREST'), details: details.optional() }),
      z.strictObject({ type: z.literal('DECLINE_ACTION'), reason: details }),
      z.strictObject({ type: z.literal('SURRENDER'), details: details.optional() }),
      z.strictObject({ type: z.literal('REPORT_LOCATED'), details }),
    ],
    {
      error:
        'type must be one of ACKNOWLEDGE, REPORT_HIT, PROVISIONAL_ARREST, DECLINE_ACTION, SURRENDER, REPORT_LOCATED',
    },
  )
  .meta({ id: 'CirculationEvent' });
export type CirculationEventInput = z.infer<typeof CirculationEventBody>;

export const CirculationParams = z.strictObject({
  id: z.guid({ error: 'must be a notice id (UUID)' }),
  country: MemberCountry,
});

export const CirculationRecordResponse = z
  .object({ country: z.string(), state: z.enum(CIRCULATION_STATES), version: z.int(), updatedAt: z.iso.datetime() })
  .meta({ id: 'CirculationRecord' });
export type CirculationRecordDto = z.infer<typeof CirculationRecordResponse>;

export const CirculationListResponse = z
  .object({ items: z.array(CirculationRecordResponse) })
  .meta({ id: 'CirculationList' });
