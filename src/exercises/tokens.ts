import { createHash, randomBytes } from 'node:crypto';

/** A bearer token: 256 random bits, URL-safe. Only its hash is stored. */
export function newToken(): string {
  return `nst_${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 of the token; lookups go by hash, so the token itself is never compared or kept. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
