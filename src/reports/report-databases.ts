/**
 * The debrief's searches and hits: how many each participant made and found, and for each hit the
 * action that followed it and how long after (simulated time): the hit reported on a circulation
 * record (REPORT_HIT with its hitId), the hit linked to a person, or the searching country's next
 * notice request, whichever came first.
 */
import { z } from 'zod';
import { actorOf, ROLES, type Role } from '../exercises/exercise-types';
import type { PrismaClient } from '../generated/prisma/client';

export const FOLLOW_UPS = ['REPORT_HIT', 'LINK', 'REQUEST'] as const;

export const DatabaseFiguresSchema = z
  .object({
    searches: z.int(),
    hits: z.int(),
    byParticipant: z.array(
      z.object({ role: z.enum(ROLES), country: z.string().optional(), searches: z.int(), hits: z.int() }),
    ),
    hitList: z.array(
      z.object({
        id: z.uuid(),
        at: z.iso.datetime(),
        kind: z.string().meta({ description: 'what matched: a record’s kind, or "notice"' }),
        ownerCountry: z.string(),
        searcher: z.object({ role: z.enum(ROLES), country: z.string().optional() }),
        followedBy: z.enum(FOLLOW_UPS).nullable().meta({
          description: 'REPORT_HIT (reported on a record), LINK (linked to a person), REQUEST (a notice requested)',
        }),
        followedAt: z.iso.datetime().nullable(),
        seconds: z.int().nullable().meta({ description: 'from the hit to the action that followed it' }),
      }),
    ),
    medianSecondsToAction: z.number().nullable(),
  })
  .meta({ id: 'DatabaseFigures', description: 'the searches and hits of the run, and what followed each hit' });
export type DatabaseFigures = z.infer<typeof DatabaseFiguresSchema>;

interface HitRow {
  id: string;
  at: Date;
  kind: string;
  owner: string;
  role: Role;
  country: string | null;
  reported: Date | null;
  linked: Date | null;
  requested: Date | null;
}

const median = (values: number[]): number | null => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The first of the actions that followed a hit, if any. */
function followUp(row: HitRow): { followedBy: (typeof FOLLOW_UPS)[number]; at: Date } | null {
  const candidates = [
    { followedBy: 'REPORT_HIT' as const, at: row.reported },
    { followedBy: 'LINK' as const, at: row.linked },
    { followedBy: 'REQUEST' as const, at: row.requested },
  ].filter((c): c is { followedBy: (typeof FOLLOW_UPS)[number]; at: Date } => c.at !== null);
  return candidates.sort((a, b) => a.at.getTime() - b.at.getTime())[0] ?? null;
}

export async function databaseFigures(prisma: PrismaClient, exerciseId: string, run: number): Promise<DatabaseFigures> {
  const [counts, hits] = await Promise.all([
    prisma.$queryRaw<{ role: Role; country: string | null; searches: number; hits: number }[]>`
      SELECT s.searcher_role::text AS role, s.searcher_country AS country, count(*)::int AS searches,
             sum((SELECT count(*) FROM hits h WHERE h.search_id = s.id))::int AS hits
        FROM searches s WHERE s.exercise_id = ${exerciseId}::uuid AND s.run = ${run}
       GROUP BY 1, 2 ORDER BY 1, 2`,
    prisma.$queryRaw<HitRow[]>`
      SELECT h.id, h.at, h.matched_kind AS kind, h.owner_country AS owner, h.searcher_role::text AS role,
             h.searcher_country AS country, h.reported_at AS reported,
             (SELECT min(e.at) FROM person_events e WHERE e.hit_id = h.id AND e.type = 'LINK') AS linked,
             (SELECT min(e.at) FROM notice_events e JOIN notices n ON n.id = e.notice_id
               WHERE n.exercise_id = h.exercise_id AND n.run = h.run AND e.type = 'CREATE'
                 AND e.actor_country = h.searcher_country AND e.at >= h.at) AS requested
        FROM hits h WHERE h.exercise_id = ${exerciseId}::uuid AND h.run = ${run}
       ORDER BY h.at, h.serial`,
  ]);
  const hitList = hits.map((row) => {
    const next = followUp(row);
    return {
      id: row.id,
      at: row.at.toISOString(),
      kind: row.kind,
      ownerCountry: row.owner,
      searcher: actorOf({ role: row.role, country: row.country }),
      followedBy: next?.followedBy ?? null,
      followedAt: next ? next.at.toISOString() : null,
      seconds: next ? Math.round((next.at.getTime() - row.at.getTime()) / 1000) : null,
    };
  });
  return {
    searches: counts.reduce((n, c) => n + c.searches, 0),
    hits: hitList.length,
    byParticipant: counts.map(({ role, country, searches, hits: found }) => ({
      ...actorOf({ role, country }),
      searches,
      hits: found,
    })),
    hitList,
    medianSecondsToAction: median(hitList.flatMap((h) => (h.seconds === null ? [] : [h.seconds]))),
  };
}
