/**
 * How long the service waits on PostgreSQL. A request's database work is bounded by these, so that a
 * database that stops answering costs a request seconds, not the length of the outage.
 */
export interface DatabaseTimeouts {
  /**
   * Connecting, and waiting for a pooled connection (pg-pool has one limit for both), and so also
   * an interactive transaction's wait to start.
   */
  connectMs: number;
  /**
   * Each statement, cut by the server (`statement_timeout`). The client waits a little longer for the
   * answer (`query_timeout`), which only runs out when the network carries nothing: the server
   * cannot cancel a statement it never received.
   */
  statementMs: number;
  /**
   * An interactive transaction from its start to its commit. The server also ends a session left idle
   * in a transaction this long (`idle_in_transaction_session_timeout`): its client is gone, and its
   * transaction is rolled back rather than left holding its locks.
   */
  transactionMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 2_000,
  statementMs: 5_000,
  transactionMs: 10_000,
};

/**
 * Bulk work (migrations, headless scenario runs) has no one waiting on a request, and a migration's
 * statement may rightly take minutes: it keeps the connect limit but gets long statement and
 * transaction limits, still bounded, so that a dead network ends it in the end.
 */
export function bulkTimeouts(timeouts: DatabaseTimeouts = DEFAULT_DATABASE_TIMEOUTS): DatabaseTimeouts {
  return { connectMs: timeouts.connectMs, statementMs: 10 * 60_000, transactionMs: 30 * 60_000 };
}
