/** Per participant: the actions taken, and each one's response time from the event that prompted it. */
import type { Participant } from '../exercises/exercise-types';
import type { HistoryEntry, StoredNotice } from '../notices/notice-store-type';
import { canSeePart } from '../notices/notice-visibility';
import type { ParticipantFigures, ResponseTime } from './report-schema';
import { participantName } from './report-text';
import { promptOf } from './response-rules';

type Entry = HistoryEntry & { noticeId: string };

const median = (sorted: number[]): number | null => {
  if (!sorted.length) return null;
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** A location reported on a record also moves the notice: one action, two history rows; the record's counts. */
const isEcho = (h: HistoryEntry) => h.country === null && typeof h.payload.country === 'string';

export function participantFigures(
  participant: Participant,
  history: Entry[],
  byNotice: Map<string, Entry[]>,
  notices: Map<string, StoredNotice>,
  label: (noticeId: string) => string,
): ParticipantFigures {
  const own = history.filter((h) => h.participantId === participant.id && !isEcho(h));
  const byType: Record<string, number> = {};
  for (const h of own) byType[h.type] = (byType[h.type] ?? 0) + 1;
  const reader = { role: participant.role, country: participant.country ?? undefined };
  const responses: ResponseTime[] = [];
  for (const action of own) {
    const notice = notices.get(action.noticeId);
    const sees = (h: HistoryEntry) => notice !== undefined && canSeePart(reader, notice, h.country);
    const prompt = promptOf(action, byNotice.get(action.noticeId) ?? [], sees);
    if (!prompt) continue;
    const { entry } = prompt;
    responses.push({
      at: action.at.toISOString(),
      notice: label(action.noticeId),
      seq: action.seq,
      type: action.type,
      ...(action.country && { country: action.country }),
      rule: prompt.rule,
      after: {
        type: entry.type,
        seq: entry.seq,
        at: entry.at.toISOString(),
        ...(entry.country && { country: entry.country }),
      },
      seconds: Math.round((action.at.getTime() - entry.at.getTime()) / 1000),
    });
  }
  const times = responses.map((r) => r.seconds).sort((a, b) => a - b);
  return {
    id: participant.id,
    key: participant.key,
    name: participant.name,
    label: participantName(participant),
    role: participant.role,
    country: participant.country,
    actions: own.length,
    byType,
    responseSeconds: {
      count: times.length,
      median: median(times),
      mean: times.length ? Math.round(times.reduce((a, b) => a + b, 0) / times.length) : null,
      max: times.length ? times[times.length - 1]! : null,
    },
    responses,
  };
}
