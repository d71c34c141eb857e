/**
 * The debrief's messages: how many were sent and in how many threads, and for each team (an address:
 * a country's NCB, the GS, the CCF) how many it received from other teams, how many it answered, and
 * the time to its first answer: from a message's sending to the first later message of the same
 * thread sent from the recipient's address (simulated time). The system's messages tell and prompt;
 * what answers them is an action, not a message, so they are not timed here.
 */
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client';

export const MessageFiguresSchema = z
  .object({
    messages: z.int(),
    threads: z.int(),
    fromSystem: z.int().meta({ description: 'of the messages, those the system sent (told, prompted)' }),
    byAddress: z.array(
      z.object({
        address: z.string().meta({ description: 'a country’s code (its NCB), "gs" or "ccf"' }),
        sent: z.int(),
        received: z.int().meta({ description: 'from other teams (not the system)' }),
        answered: z.int(),
        unanswered: z.int(),
        firstAnswerSeconds: z.object({
          median: z.number().nullable(),
          max: z.int().nullable(),
        }),
      }),
    ),
  })
  .meta({ id: 'MessageFigures', description: 'the run’s I-24/7 messages and each team’s time to a first answer' });
export type MessageFigures = z.infer<typeof MessageFiguresSchema>;

/** A message of the run as the report reads it. */
export interface ReportMessage {
  id: string;
  threadId: string;
  sender: string;
  recipients: string[];
  at: Date;
  serial: bigint;
  /** A scenario inject's key, which an expectation names. */
  scenarioKey: string | null;
}
type Row = ReportMessage;

const median = (values: number[]): number | null => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The figures from the run's messages, in the order they were sent. */
export function messageFiguresOf(rows: readonly Row[]): MessageFigures {
  const byThread = new Map<string, Row[]>();
  for (const row of rows) byThread.set(row.threadId, [...(byThread.get(row.threadId) ?? []), row]);
  const figures = new Map<string, { sent: number; received: number; times: number[] }>();
  const of = (address: string) => {
    let f = figures.get(address);
    if (!f) figures.set(address, (f = { sent: 0, received: 0, times: [] }));
    return f;
  };
  for (const row of rows) {
    if (row.sender !== 'system') of(row.sender).sent += 1;
  }
  for (const row of rows) {
    if (row.sender === 'system') continue;
    const later = (byThread.get(row.threadId) ?? []).filter((r) => r.serial > row.serial);
    for (const address of row.recipients) {
      const f = of(address);
      f.received += 1;
      const answer = firstAnswer(later, row, address);
      if (answer) f.times.push(Math.round((answer.at.getTime() - row.at.getTime()) / 1000));
    }
  }
  return {
    messages: rows.length,
    threads: byThread.size,
    fromSystem: rows.filter((r) => r.sender === 'system').length,
    byAddress: [...figures]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([address, f]) => ({
        address,
        sent: f.sent,
        received: f.received,
        answered: f.times.length,
        unanswered: f.received - f.times.length,
        firstAnswerSeconds: { median: median(f.times), max: f.times.length ? Math.max(...f.times) : null },
      })),
  };
}

/** The run's messages, in the order they were sent. */
export function loadReportMessages(prisma: PrismaClient, exerciseId: string, run: number): Promise<ReportMessage[]> {
  return prisma.$queryRaw<ReportMessage[]>`
    SELECT id, thread_id AS "threadId", sender, recipients, at, serial, scenario_key AS "scenarioKey" FROM messages
     WHERE exercise_id = ${exerciseId}::uuid AND run = ${run}
     ORDER BY serial`;
}

/** The first answer to `message` in its thread: a later message from `by`, or from any of its recipients. */
export function firstAnswer(messages: readonly ReportMessage[], message: ReportMessage, by?: string) {
  return messages.find(
    (m) =>
      m.threadId === message.threadId &&
      m.serial > message.serial &&
      (by !== undefined ? m.sender === by : message.recipients.includes(m.sender)),
  );
}
