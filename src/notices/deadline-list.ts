import type { PrismaClient } from '../generated/prisma/client';
import type { NoticeType } from './notice-types';

/** A timed transition ahead, with what the facilitator needs to recognise its notice. */
export interface UpcomingDeadline {
  noticeId: string;
  noticeType: NoticeType;
  noticeState: string;
  /** "Marko PETROVIC", from the request; null when the request gives no name. */
  subject: string | null;
  event: string;
  /** A circulation record's country; null for the notice's own deadline. */
  country: string | null;
  dueAt: Date;
}

interface Row {
  notice_id: string;
  type: NoticeType;
  state: string;
  forename: string | null;
  family_name: string | null;
  event: string;
  country: string | null;
  due_at: Date;
}

/** The exercise's coming deadlines, soonest first (ties by notice, then row, as they fire). */
export function createDeadlineList(prisma: PrismaClient) {
  return async function upcomingDeadlines(exerciseId: string, limit: number): Promise<UpcomingDeadline[]> {
    const rows = await prisma.$queryRaw<Row[]>`
      SELECT d.notice_id, n.type::text AS type, n.state, d.event, d.country, d.due_at,
             n.snapshot #>> '{context,request,subject,forename}' AS forename,
             n.snapshot #>> '{context,request,subject,familyName}' AS family_name
        FROM deadlines d JOIN notices n ON n.id = d.notice_id
       WHERE d.exercise_id = ${exerciseId}::uuid
       ORDER BY d.due_at, d.notice_id, d.id
       LIMIT ${limit}`;
    return rows.map((r) => ({
      noticeId: r.notice_id,
      noticeType: r.type,
      noticeState: r.state,
      subject: [r.forename, r.family_name].filter(Boolean).join(' ') || null,
      event: r.event,
      country: r.country,
      dueAt: new Date(r.due_at),
    }));
  };
}

export type UpcomingDeadlines = ReturnType<typeof createDeadlineList>;
