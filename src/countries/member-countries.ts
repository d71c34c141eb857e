import worldCountries from 'world-countries';

/** A member country: ISO 3166-1 alpha-2 code and common English name. */
export interface Country {
  code: string;
  name: string;
}

/**
 * The 196 members: the UN member states except Micronesia (FM) and Tuvalu (TV), plus Vatican City,
 * Palestine, Aruba, Curaçao and Sint Maarten (domain reference, "Member countries").
 */
const NON_MEMBER_UN_STATES = new Set(['FM', 'TV']);
const NON_UN_MEMBERS = new Set(['VA', 'PS', 'AW', 'CW', 'SX']);

export const MEMBER_COUNTRIES: readonly Country[] = worldCountries
  .filter((c) => (c.unMember && !NON_MEMBER_UN_STATES.has(c.cca2)) || NON_UN_MEMBERS.has(c.cca2))
  .map((c) => ({ code: c.cca2, name: c.name.common }))
  .sort((a, b) => a.code.localeCompare(b.code));

export const MEMBER_CODES: ReadonlySet<string> = new Set(MEMBER_COUNTRIES.map((c) => c.code));

/** Every ISO 3166-1 alpha-2 code, members or not: a subject's nationality need not be a member's. */
export const ISO_CODES: ReadonlySet<string> = new Set(worldCountries.map((c) => c.cca2));

export function isMember(code: string): boolean {
  return MEMBER_CODES.has(code);
}

const NAMES: ReadonlyMap<string, string> = new Map(MEMBER_COUNTRIES.map((c) => [c.code, c.name]));

/** A member country's name, or the code itself for one that is not a member. */
export const countryName = (code: string): string => NAMES.get(code) ?? code;
