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
