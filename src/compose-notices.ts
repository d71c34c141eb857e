/**
 * Notices and their circulation composed on a notice store: at the top, beside the server, because the
 * circulation feature hangs its effects on the notices' one transition path (a notice feature importing
 * circulation would make a cycle).
 */
import { circulationEffect } from './circulation/circulation-effects';
import { createCirculationService } from './circulation/circulation-service';
import { fireRecordDeadline } from './circulation/extradition';
import type { RunOf } from './exercises/runs';
import { createNoticeChanges, type CommittedListener } from './notices/notice-changes';
import { createNoticeService } from './notices/notice-service';
import type { NoticeStore } from './notices/notice-store-type';
import { createNoticeTransitions } from './notices/notice-transitions';

/** Notices and their circulation on a notice store: one transition path, with circulation's effects on it. */
export function composeNotices(
  store: NoticeStore,
  options: { onCommitted?: CommittedListener; wallNow?: () => Date; runOf?: RunOf } = {},
) {
  const { runOf, ...changeOptions } = options;
  const transitions = createNoticeTransitions([circulationEffect]);
  const changes = createNoticeChanges({ store, transitions, recordDeadline: fireRecordDeadline, ...changeOptions });
  const notices = createNoticeService({
    store,
    transitions,
    changes,
    // Without exercises (a store in memory) there are no resets: everything is in run 1.
    runOf: runOf ?? (async (_exerciseId, requested) => requested ?? 1),
    ...(options.wallNow && { wallNow: options.wallNow }),
  });
  const circulation = createCirculationService({ store, transitions, changes });
  return { transitions, changes, notices, circulation };
}
