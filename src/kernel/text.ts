import { z } from 'zod';

/**
 * Free text as PostgreSQL can store it: no NUL character and no lone UTF-16 surrogate (neither fits
 * in `text` or `jsonb`), so such input is a 400 rather than a failed write. Surrounding white space is
 * trimmed; the document's pattern asks for one character that is not white space.
 */
export const storableText = (max: number) =>
  z
    .string()
    .regex(/\S/, 'must not be empty or only white space')
    .trim()
    .max(max)
    .refine((v) => !v.includes('\u0000') && v.isWellFormed(), 'must not contain NUL characters or unpaired surrogates');
