/**
 * What participants do with database records: an NCB contributes, changes and deletes its own; whoever
 * may see a record reads it and its history (record-visibility.ts); nobody but its owner changes it.
 * Each change is on the record's history and, numbered with the exercise's other events, on its stream.
 */
import { randomUUID } from 'node:crypto';
import { simulatedNow } from '../exercises/clock';
import { actorOf, type Principal } from '../exercises/exercise-types';
import { EarlierRunError, type RunOf } from '../exercises/runs';
import { ForbiddenError, NotFoundError, StaleVersionError, ValidationError, checkIfMatch } from '../kernel/errors';
import { problemText, toValidationError, type Problem } from '../kernel/validate';
import { keysOf } from './record-keys';
import { RecordChange, kindProblems, type CreateRecordInput, type RecordDto, type RecordKind } from './record-schemas';
import type { NewRecordEntry, RecordHistoryEntry, RecordStore, StoredDbRecord } from './record-store';
import type { PersonStore } from './person-store';
import { canSeeRecord } from './record-visibility';

export interface RecordListOptions {
  run?: number | undefined;
  kind?: RecordKind | undefined;
  owner?: string | undefined;
  limit: number;
  offset: number;
}

export interface RecordService {
  create(principal: Principal, exerciseId: string, body: CreateRecordInput): Promise<RecordDto>;
  /** Contributes all the records or none: each bad one named by its place in the list (body.N). */
  importRecords(principal: Principal, exerciseId: string, rows: CreateRecordInput[]): Promise<{ imported: number }>;
  get(principal: Principal, recordId: string): Promise<RecordDto>;
  list(principal: Principal, exerciseId: string, query: RecordListOptions): Promise<RecordDto[]>;
  update(principal: Principal, recordId: string, body: Record<string, unknown>, ifMatch?: number): Promise<RecordDto>;
  remove(principal: Principal, recordId: string, ifMatch?: number): Promise<void>;
  history(principal: Principal, recordId: string): Promise<RecordHistoryEntry[]>;
}

/** Records an import brings before the tables' statistics are gathered again. */
const ANALYZE_AFTER = 1000;

const PERSON_OF_RUN = 'must be a person id (UUID) of the exercise’s current run that you may see';

function refuseProblems(problems: Problem[]): void {
  if (problems.length) throw new ValidationError(problems.map(problemText).join('; '), problems);
}

/** A record as the API gives it: its kind's fields beside its own. */
export const toRecordDto = (r: StoredDbRecord): RecordDto => ({
  ...r.data,
  id: r.id,
  kind: r.kind,
  ownerCountry: r.ownerCountry,
  recipients: r.recipients,
  ...(r.personId && { personId: r.personId }),
  run: r.run,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export function createRecordService(deps: {
  store: RecordStore;
  persons: Pick<PersonStore, 'visible'>;
  runOf: RunOf;
  /** Told once a change has committed (the sequencer numbers it, streams wake). */
  onCommitted: (exerciseId: string) => Promise<void>;
  wallNow?: () => Date;
}): RecordService {
  const { store } = deps;
  const wallNow = deps.wallNow ?? (() => new Date());
  const readerOf = (p: Principal) => ({ role: p.role, country: p.country });

  const entryOf = (principal: Principal, type: NewRecordEntry['type'], payload: Record<string, unknown>) => ({
    type,
    actor: actorOf(principal),
    participantId: principal.participantId,
    at: simulatedNow(principal.clock, wallNow()),
    payload,
  });

  /** The record, if the caller may see it; 404 otherwise, whatever the reason. */
  async function visible(principal: Principal, recordId: string): Promise<StoredDbRecord> {
    const record = await store.find(recordId);
    if (!record || record.exerciseId !== principal.exerciseId || !canSeeRecord(readerOf(principal), record)) {
      throw new NotFoundError('Record');
    }
    return record;
  }

  /** The record, if the caller sees it and owns it: 403 for one that sees it but is not its owner. */
  async function owned(principal: Principal, recordId: string, ifMatch: number | undefined): Promise<StoredDbRecord> {
    const record = await visible(principal, recordId);
    if (principal.role !== 'ncb' || principal.country !== record.ownerCountry) {
      throw new ForbiddenError(`Only the record's owner, the NCB of ${record.ownerCountry}, changes or deletes it`);
    }
    checkIfMatch(ifMatch, record.version);
    return record;
  }

  async function write(
    principal: Principal,
    record: StoredDbRecord,
    change: { data: Record<string, unknown>; recipients: string[] | null; deleted?: boolean },
    entry: NewRecordEntry,
  ): Promise<StoredDbRecord> {
    const written = await store.change(record, { ...change, keys: keysOf(record.kind, change.data) }, entry);
    if (written === 'gone') throw new NotFoundError('Record');
    if (written === 'earlier-run') throw new EarlierRunError('record', record.run, null);
    if (written === 'stale') {
      throw new StaleVersionError('The record was changed by another request; reload it and try again');
    }
    await deps.onCommitted(record.exerciseId);
    return written;
  }

  /** The country of the ncb that contributes, or the 404 / 403 that says why not. */
  function contributor(principal: Principal, exerciseId: string): string {
    if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
    if (principal.role !== 'ncb' || !principal.country) {
      throw new ForbiddenError('Only a National Central Bureau (ncb) contributes database records');
    }
    return principal.country;
  }

  /**
   * The run the persons named must be of (the current one, held again when the records are written), and
   * those named that are not persons of it the caller sees, in one query however many there are.
   */
  async function unknownPersons(principal: Principal, exerciseId: string, personIds: Set<string>) {
    if (!personIds.size) return { run: undefined, unknown: new Set<string>() };
    const run = await deps.runOf(exerciseId);
    const seen = await deps.persons.visible(exerciseId, run, readerOf(principal), [...personIds]);
    const known = new Set(seen.map((p) => p.id));
    return { run, unknown: new Set([...personIds].filter((id) => !known.has(id))) };
  }

  /** No row written: the exercise is gone, or (persons named) a reset ended the run they are of. */
  const notWritten = (run: number | undefined) =>
    run === undefined ? new NotFoundError('Exercise') : new EarlierRunError('person', run, null);

  return {
    async importRecords(principal, exerciseId, rows) {
      const ownerCountry = contributor(principal, exerciseId);
      const named = new Set(rows.flatMap((r) => (r.personId ? [r.personId] : [])));
      const { run, unknown } = await unknownPersons(principal, exerciseId, named);
      const problems: Problem[] = rows.flatMap(({ kind, recipients: _, personId, ...data }, i) => [
        ...kindProblems(kind, data).map((p) => ({ ...p, field: p.field.replace(/^body\./, `body.${i}.`) })),
        ...(personId && unknown.has(personId) ? [{ field: `body.${i}.personId`, message: PERSON_OF_RUN }] : []),
      ]);
      refuseProblems(problems);
      const entry = entryOf(principal, 'CREATE', {});
      const imported = await store.importMany(
        exerciseId,
        rows.map(({ kind, recipients, personId, ...data }) => ({
          id: randomUUID(),
          kind,
          ownerCountry,
          recipients: recipients ?? null,
          data,
          keys: keysOf(kind, data),
          ...(personId && { personId }),
        })),
        entry,
        run,
      );
      if (imported === null) throw notWritten(run);
      await deps.onCommitted(exerciseId);
      // A large import changes the tables at once: their statistics, gathered again once its history is
      // numbered, keep searches on their indexes (PGlite has no autovacuum to do it; PostgreSQL's would,
      // later). Only an optimisation: the import has committed, and its answer says so whatever happens here.
      if (imported >= ANALYZE_AFTER) await store.analyze().catch(() => undefined);
      return { imported };
    },

    async create(principal, exerciseId, body) {
      const ownerCountry = contributor(principal, exerciseId);
      const { kind, recipients, personId, ...data } = body;
      refuseProblems(kindProblems(kind, data));
      const { run, unknown } = await unknownPersons(principal, exerciseId, new Set(personId ? [personId] : []));
      if (unknown.size) throw ValidationError.of('body.personId', PERSON_OF_RUN);
      const record = await store.create(
        {
          id: randomUUID(),
          exerciseId,
          kind,
          ownerCountry,
          recipients: recipients ?? null,
          data,
          keys: keysOf(kind, data),
          ...(personId && { personId }),
        },
        entryOf(principal, 'CREATE', { kind, ...data, ...(recipients && { recipients }) }),
        run,
      );
      if (!record) throw notWritten(run);
      await deps.onCommitted(exerciseId);
      return toRecordDto(record);
    },

    get: async (principal, recordId) => toRecordDto(await visible(principal, recordId)),

    async list(principal, exerciseId, query) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      const run = await deps.runOf(exerciseId, query.run);
      const records = await store.list(exerciseId, { ...query, run, reader: readerOf(principal) });
      return records.map(toRecordDto);
    },

    async update(principal, recordId, body, ifMatch) {
      const record = await owned(principal, recordId, ifMatch);
      // The fields that may change are the record's kind's: known only now that it is read.
      const parsed = RecordChange(record.kind).safeParse(body);
      if (!parsed.success) throw toValidationError(parsed.error, 'body');
      const { recipients, ...fields } = parsed.data as Record<string, unknown> & { recipients?: string[] | null };
      if (Object.keys(parsed.data).length === 0) {
        throw ValidationError.of('(body)', `must change a field of the ${record.kind} record, or its recipients`);
      }
      const data = { ...record.data, ...fields };
      refuseProblems(kindProblems(record.kind, data));
      const changed = await write(
        principal,
        record,
        { data, recipients: recipients === undefined ? record.recipients : recipients },
        entryOf(principal, 'UPDATE', parsed.data),
      );
      return toRecordDto(changed);
    },

    async remove(principal, recordId, ifMatch) {
      const record = await owned(principal, recordId, ifMatch);
      await write(
        principal,
        record,
        { data: record.data, recipients: record.recipients, deleted: true },
        entryOf(principal, 'DELETE', {}),
      );
    },

    async history(principal, recordId) {
      await visible(principal, recordId);
      return store.history(recordId, readerOf(principal));
    },
  };
}
