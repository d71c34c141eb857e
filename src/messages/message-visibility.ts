/**
 * Who sees a message, written once: its sender and its recipients, by their addresses (an NCB by its
 * country's code, "gs", "ccf"), and the facilitator and observers, who see the whole exercise. The
 * public sees none. As a test on a loaded message and as SQL on its row, side by side.
 */
import { Prisma } from '../generated/prisma/client';
import type { Role } from '../exercises/exercise-types';
import type { Reader } from '../notices/notice-visibility';

/** The team addresses besides the member countries' codes. */
export const TEAM_ADDRESSES = ['gs', 'ccf'] as const;

/** The address a message from the system comes from. */
export const SYSTEM_ADDRESS = 'system';

/** A reader's own address: its country's code (an ncb), "gs", "ccf"; null for those who read everything. */
export function addressOf(reader: { role: Role; country?: string | null | undefined }): string | null {
  if (reader.role === 'ncb') return reader.country ?? null;
  if (reader.role === 'gs' || reader.role === 'ccf') return reader.role;
  if (reader.role === 'system') return SYSTEM_ADDRESS;
  return null;
}

/** Whether the reader sees every message: the facilitator and observers. */
const seesAll = (reader: Reader) =>
  reader !== 'public' && (reader.role === 'facilitator' || reader.role === 'observer');

export function canSeeMessage(reader: Reader, message: { sender: string; recipients: readonly string[] }): boolean {
  if (reader === 'public') return false;
  if (seesAll(reader)) return true;
  const own = addressOf(reader);
  return own !== null && (message.sender === own || message.recipients.includes(own));
}

/** `canSeeMessage` as SQL on the messages row aliased `alias`. */
export function messageVisibleSql(reader: Reader, alias = 'm'): Prisma.Sql {
  if (reader === 'public') return Prisma.sql`FALSE`;
  if (seesAll(reader)) return Prisma.sql`TRUE`;
  const own = addressOf(reader);
  if (own === null) return Prisma.sql`FALSE`;
  const col = (name: string) => Prisma.raw(`${alias}.${name}`);
  return Prisma.sql`(${col('sender')} = ${own} OR ${own} = ANY(${col('recipients')}))`;
}
