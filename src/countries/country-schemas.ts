import { z } from 'zod';
import { ISO_CODES, MEMBER_COUNTRIES } from './member-countries';

const memberCodes = MEMBER_COUNTRIES.map((c) => c.code) as [string, ...string[]];
const isoCodes = [...ISO_CODES].sort() as [string, ...string[]];

/** A member country's ISO 3166-1 alpha-2 code; the document lists the 196. */
export const MemberCountry = z
  .enum(memberCodes, { error: 'is not a member country (an ISO 3166-1 alpha-2 code of one of the 196)' })
  .meta({ id: 'MemberCountry', description: 'ISO 3166-1 alpha-2 code of a member country', example: 'MC' });

/** Any ISO 3166-1 alpha-2 code, member or not: a subject's nationality need not be a member's. */
export const IsoCountry = z
  .enum(isoCodes, { error: 'is not an ISO 3166-1 alpha-2 code' })
  .meta({ id: 'IsoCountry', description: 'ISO 3166-1 alpha-2 code', example: 'RS' });
