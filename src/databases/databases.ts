/** The databases feature on one Prisma client: records, searches and persons, sharing their stores. */
import type { RunOf } from '../exercises/runs';
import type { PrismaClient } from '../generated/prisma/client';
import type { Reader } from '../notices/notice-visibility';
import { createPersonService, type PersonService } from './person-service';
import { createPersonStore } from './person-store';
import { createRecordService, type RecordService } from './record-service';
import { createRecordStore } from './record-store';
import { createScenarioSubjects, type ScenarioSubjects } from './scenario-subjects';
import { createSearchService, type SearchService } from './search-service';
import { createSearchStore } from './search-store';

export interface Databases {
  records: RecordService;
  searches: SearchService;
  persons: PersonService;
  /** What scenario injects reach by their local keys. */
  subjects: ScenarioSubjects;
  /** The run of a hit `reader` sees in the exercise, or null (what a message about a hit checks). */
  hitRun(exerciseId: string, reader: Reader, hitId: string): Promise<number | null>;
}

export function createDatabases(
  prisma: PrismaClient,
  deps: { runOf: RunOf; onCommitted: (exerciseId: string) => Promise<void> },
): Databases {
  const recordStore = createRecordStore(prisma);
  const searchStore = createSearchStore(prisma);
  const personStore = createPersonStore(prisma);
  return {
    records: createRecordService({ store: recordStore, persons: personStore, ...deps }),
    searches: createSearchService({ store: searchStore, ...deps }),
    persons: createPersonService({
      store: personStore,
      records: recordStore,
      searches: searchStore,
      runOf: deps.runOf,
    }),
    subjects: createScenarioSubjects(prisma),
    hitRun: async (exerciseId, reader, hitId) => (await personStore.target(exerciseId, reader, { hitId }))?.run ?? null,
  };
}
