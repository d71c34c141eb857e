import { z } from 'zod';

const RULES = 'must not be empty or only white space; must not contain NUL characters or unpaired surrogates';

/**
 * Free text as PostgreSQL can store it: no NUL character and no lone UTF-16 surrogate (neither fits
 * in `text` or `jsonb`), so such input is a 400 rather than a failed write. Surrounding white space is
 * trimmed, and something must be left. The description states these rules, after `about` when given.
 */
export const storableText = (max: number, about?: string) =>
  z
    .string()
    .regex(/\S/, 'must not be empty or only white space')
    .trim()
    // Counted in characters (code points), as JSON Schema's maxLength counts them, not UTF-16 units.
    .refine((v) => [...v].length <= max, `must be at most ${max} characters`)
    .refine((v) => !v.includes('\u0000') && v.isWellFormed(), 'must not contain NUL characters or unpaired surrogates')
    .meta({ description: about ? `${about}; ${RULES}` : `Free text: ${RULES}`, maxLength: max } as Record<
      string,
      unknown
    >);

/** A whole number in a query string, its range written as the pattern so the document says it all. */
export const wholeNumberQuery = (pattern: RegExp, range: string, fallback: number) =>
  z
    .string()
    .regex(pattern, `must be a whole number from ${range}`)
    .transform(Number)
    .optional()
    .transform((v) => v ?? fallback)
    .meta({ description: `a whole number from ${range}; ${fallback} when left out` });

/** `limit` and `offset` of a list: 1 to 1000 items (100 by default) from the `offset`-th. */
export const PAGE_QUERY = {
  limit: wholeNumberQuery(/^(?:[1-9]\d{0,2}|1000)$/, '1 to 1000', 100),
  offset: wholeNumberQuery(/^\d{1,9}$/, '0 to 999999999', 0),
};
