import type { Principal } from '../exercises/exercise-types';
import type { RunOf } from '../exercises/runs';
import { ForbiddenError, NotFoundError } from '../kernel/errors';
import type { NoticeService } from '../notices/notice-service';
import type { NoticeStore } from '../notices/notice-store-type';
import { machineGraph, type DiagramOverlay, type MachineGraph, type MachineId } from './diagram';
import { COUNT_IN_DATABASE_ABOVE, type HeatStore } from './heat-store';
import { exerciseHeat, noticeTransitionCounts, type Heat } from './heatmap';

export interface DiagramService {
  /** The notice's machine with its current state and the transitions it took; 404 when the caller may not see it. */
  noticeDiagram(principal: Principal, noticeId: string): Promise<{ graph: MachineGraph; overlay: DiagramOverlay }>;
  /** Over one run of the exercise (the current one when left out). */
  heatmap(principal: Principal, exerciseId: string, machine: MachineId, run?: number): Promise<Heat>;
}

export function createDiagramService(deps: {
  notices: NoticeService;
  store: NoticeStore;
  runOf: RunOf;
  heat?: HeatStore;
}): DiagramService {
  return {
    async noticeDiagram(principal, noticeId) {
      const notice = await deps.notices.get(principal, noticeId);
      // The notice's own transitions are visible to anyone who sees the notice.
      const history = await deps.notices.history(principal, noticeId);
      return {
        graph: machineGraph(notice.type === 'RED' ? 'notice-red' : 'notice-yellow'),
        overlay: { current: notice.state, transitionCounts: noticeTransitionCounts(history) },
      };
    },

    async heatmap(principal, exerciseId, machine, requested) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      if (principal.role === 'ncb') {
        throw new ForbiddenError(
          'The heatmap counts every country’s notices and records: it is for gs, ccf, observers and the facilitator',
        );
      }
      const run = await deps.runOf(exerciseId, requested);
      // A large exercise is counted by the database; loading it all took a minute (./heat-store.ts).
      if (deps.heat && (await deps.heat.noticeCount(exerciseId, run)) > COUNT_IN_DATABASE_ABOVE) {
        return deps.heat.heat(exerciseId, run, machine, principal);
      }
      const [notices, history, records] = await Promise.all([
        deps.store.list(exerciseId, { run, reader: principal, limit: 1_000_000_000, offset: 0 }),
        deps.store.exerciseHistory(exerciseId, run),
        deps.store.recordCounts(exerciseId, run),
      ]);
      return exerciseHeat(machine, notices, history, records);
    },
  };
}
