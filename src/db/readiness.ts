import type { Database } from './database';

/** How long readiness waits for the database's answer (ms): a database that does not answer is not ready. */
export const READINESS_TIMEOUT_MS = 1_000;

export class DatabaseNotReadyError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'DatabaseNotReadyError';
  }
}

/**
 * The readiness check: `SELECT 1` within `timeoutMs`. Probes arriving while one is under way share
 * it, so that a database that has stopped answering does not collect one stuck query per probe; a
 * query that timed out is not shared any more (it may never settle), the next probe sends its own.
 */
export function createDatabaseCheck(
  db: Pick<Database, 'kind' | 'prisma'>,
  timeoutMs = READINESS_TIMEOUT_MS,
): () => Promise<Database['kind']> {
  let pending: Promise<void> | null = null;
  const query = () =>
    db.prisma.$queryRaw`SELECT 1`.then(
      () => undefined,
      (error: unknown) => {
        throw new DatabaseNotReadyError('The database did not answer', { cause: error });
      },
    );
  return async () => {
    const shared = (pending ??= query().finally(() => {
      if (pending === shared) pending = null;
    }));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (pending === shared) pending = null;
        reject(new DatabaseNotReadyError(`The database did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      await Promise.race([shared, late]);
    } finally {
      clearTimeout(timer);
    }
    return db.kind;
  };
}
