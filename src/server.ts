import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { createApp, type SecurityOptions } from './app';
import type { CirculationService } from './circulation/circulation-service';
import type { Config } from './config/config';
import type { Database } from './db/database';
import { createIdempotencyStore } from './db/idempotency-store';
import { createForecastService, type ForecastService } from './simulation/forecast-service';
import { simulate } from './simulation/simulate';
import { createSimulationService, type SimulationService } from './simulation/simulation-service';
import { createSimulationStore } from './simulation/simulation-store';
import { createDatabases, type Databases } from './databases/databases';
import { createDatabaseCheck } from './db/readiness';
import { CHANNELS } from './db/notifications';
import { openDatabaseAtStartup } from './db/startup';
import { createDiagramService } from './diagrams/diagram-service';
import { createHeatStore } from './diagrams/heat-store';
import { createExerciseService, type ExerciseService } from './exercises/exercise-service';
import { createExerciseSequencer } from './exercises/exercise-sequencer';
import { createExerciseStore } from './exercises/exercise-store';
import { createIdentityCache } from './exercises/identity-cache';
import { withIdentityCache } from './exercises/identity-caching-store';
import { listenForRevocations } from './exercises/revocations';
import { createDrain, type Drain } from './kernel/drain';
import type { RunOf } from './exercises/runs';
import { createDeadlineList } from './notices/deadline-list';
import type { NoticeService } from './notices/notice-service';
import { noticeRunScope } from './notices/notice-runs';
import { createNoticeStore } from './notices/notice-store';
import { createReportService, reportFigures, type ReportService } from './reports/report-service';
import { injectRunScope } from './scenarios/inject-runs';
import { scenarioRecordsRunScope } from './scenarios/scenario-records';
import { createInjectStore, type InjectStore } from './scenarios/inject-store';
import { createScenarioCatalogue } from './scenarios/scenario-catalogue';
import { createScheduler, type Scheduler } from './scenarios/scheduler';
import { startTicker } from './scenarios/ticker';
import { createEventFeed } from './stream/event-feed';
import type { MessageService } from './messages/message-service';
import { createMessages } from './messages/messages';
import type { StreamOptions } from './stream/stream-routes';

export interface Services {
  app: ReturnType<typeof createApp>;
  db: Database;
  exercises: ExerciseService;
  notices: NoticeService;
  circulation: CirculationService;
  injects: InjectStore;
  scheduler: Scheduler;
  reports: ReportService;
  simulations: SimulationService;
  forecasts: ForecastService;
  /** Database records, searches and hits, persons. */
  databases: Databases;
  messages: MessageService;
  /**
   * `commit` (with the exercise id) once a change has committed and been numbered, here or in another
   * process; `reread` when messages from other processes may have been lost; `shutdown` ends the live streams.
   */
  commits: EventEmitter;
  /** Hears the other processes' numbered changes (LISTEN exercise_events); resolves with how to stop. */
  listenAcrossProcesses(): Promise<() => Promise<void>>;
  /** Requests in flight; `drain.close(server)` stops the server cleanly. */
  drain: Drain;
  /** Runs deadlines and injects as running clocks reach them; stop it before closing the database. */
  startTicker(): { stop(): Promise<void> };
}

import { composeNotices } from './compose-notices';

export { composeNotices };

/** Where the server is reached and what it ships: the public address for sign-in links, the scenarios folder. */
export interface SiteOptions {
  publicUrl?: string;
  scenariosDir?: string;
  stream?: StreamOptions;
}

/**
 * Identities cached per process: a classroom's participants many times over, and five minutes as a backstop
 * should a revocation's message ever be missed (revocations normally arrive at once).
 */
const IDENTITY_CACHE = { maxEntries: 10_000, ttlMs: 5 * 60_000 };

/** Wires stores, services and the app on an open database: the one place the modules meet. */
export function buildServices(
  db: Database,
  logger: Logger,
  security: SecurityOptions,
  site: SiteOptions = {},
): Services {
  // Committed changes wake the live streams of their exercise; a reset also clears what was cached of its run.
  const commits = new EventEmitter().setMaxListeners(0);
  const sequencer = createExerciseSequencer(db.query);
  // A change is answered once its rows have positions, so a client that got its answer finds the event
  // in the stream. Should numbering fail (the database away), the change stands: the ticker's sweep
  // numbers it later.
  const numbered = async (exerciseId: string) => {
    try {
      await sequencer.kick(exerciseId);
    } catch (err) {
      logger.warn({ err, exerciseId }, 'numbering committed events failed: the next sweep numbers them');
    }
    commits.emit('commit', exerciseId);
  };
  const exerciseStore = createExerciseStore(db.prisma, db.query);
  // Tokens to identities, kept right across processes by `participant_revoked` (src/exercises/revocations.ts).
  const identityCache = createIdentityCache(IDENTITY_CACHE);
  const revocations = listenForRevocations(db.notifications, identityCache, {
    onTimeout: (participantIds) =>
      logger.warn({ participantIds }, 'a revocation was not heard back in time: answered without its echo'),
    onListenFailed: (err) => logger.error({ err }, 'not listening for revocations: tokens are not cached'),
  });
  const tokenStore = withIdentityCache(exerciseStore, { cache: identityCache, revocations });
  const exercises = createExerciseService(tokenStore, undefined, {
    // Every run-scoped subject takes part in a reset here (src/exercises/runs.ts).
    runScopes: [noticeRunScope, injectRunScope, scenarioRecordsRunScope],
    onReset: (exerciseId) => {
      commits.emit('reset', exerciseId);
      commits.emit('commit', exerciseId);
    },
  });
  const runOf: RunOf = (exerciseId, requested) => exercises.runOf(exerciseId, requested);
  const store = createNoticeStore(db.prisma, db.query);
  const { changes, notices, circulation } = composeNotices(store, {
    onCommitted: (change) => numbered(change.exerciseId),
    runOf,
  });
  const injects = createInjectStore(db.prisma);
  const databases = createDatabases(db.prisma, { runOf, onCommitted: numbered });
  const { hitRun } = databases;
  const messages = createMessages(db.prisma, { notices: store, hitRun, runOf, onCommitted: numbered });
  const scripted = { notices, circulation, changes, noticeStore: store, injects };
  const scheduler = createScheduler({ ...scripted, databases, messages });
  const reports = createReportService({
    exercises: exerciseStore,
    notices: store,
    injects,
    ...reportFigures(db.prisma),
  });
  const diagrams = createDiagramService({ notices, store, runOf, heat: createHeatStore(db.prisma) });
  const listCountries = () => db.prisma.country.findMany({ orderBy: { code: 'asc' } });
  const feed = createEventFeed(db.prisma);
  const simulationStore = createSimulationStore(db.prisma);
  const simulations = createSimulationService({ store: simulationStore, run: simulate, logger });
  const forecasts = createForecastService({ exercises: exerciseStore, notices: store, store: simulationStore, logger });
  const drain = createDrain();
  return {
    app: createApp({
      exercises,
      notices,
      circulation,
      scheduler,
      injects,
      reports,
      diagrams,
      feed,
      simulations,
      forecasts,
      databases,
      messages,
      commits,
      ...(site.stream && { streamOptions: site.stream }),
      idempotency: createIdempotencyStore(db.prisma),
      listCountries,
      upcomingDeadlines: createDeadlineList(db.prisma),
      scenarios: createScenarioCatalogue(site.scenariosDir),
      publicUrl: site.publicUrl ?? 'http://localhost:3000',
      logger,
      security,
      drain,
      checkDatabase: createDatabaseCheck(db),
    }),
    db,
    exercises,
    notices,
    circulation,
    injects,
    scheduler,
    reports,
    simulations,
    forecasts,
    databases,
    messages,
    commits,
    listenAcrossProcesses: () =>
      db.notifications.listen(
        CHANNELS.exerciseEvents,
        (exerciseId) => commits.emit('commit', exerciseId),
        () => commits.emit('reread'),
      ),
    drain,
    startTicker: () => startTicker({ store, injects, scheduler, exercises, logger, sweep: () => sequencer.sweep() }),
  };
}

export interface RunningServer {
  url: string;
  address: AddressInfo;
  db: Database;
  stop(): Promise<void>;
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, redact: ['req.headers.authorization', '*.token', '*.facilitatorToken'] });
}

/**
 * Opens and migrates the database, waiting up to `databaseStartupTimeoutSeconds` for a PostgreSQL not
 * reachable yet (it throws `DatabaseStartupError` when it gives up).
 */
function openAtStartup(config: Config, logger: Logger): Promise<Database & { applied: string[] }> {
  return openDatabaseAtStartup(
    { databaseUrl: config.databaseUrl, dataDir: config.dataDir, timeouts: config.databaseTimeouts },
    { timeoutSeconds: config.databaseStartupTimeoutSeconds, logger },
  );
}

/** Migrates the database and closes it: what a cluster's primary does once before it forks its workers. */
export async function migrateOnce(config: Config, logger: Logger): Promise<void> {
  const db = await openAtStartup(config, logger);
  logger.info({ migrationsApplied: db.applied, workers: config.workers }, 'database ready: starting the workers');
  await db.close();
}

/**
 * Opens and migrates the database (waiting up to `databaseStartupTimeoutSeconds` for a PostgreSQL
 * not reachable yet), then listens; resolves with the bound address (port 0 picks a free one).
 */
export async function start(config: Config, logger: Logger = createLogger(config)): Promise<RunningServer> {
  const holding = holdEventLoopOpen();
  try {
    return await startHeld(config, logger);
  } finally {
    clearInterval(holding);
  }
}

/**
 * A timer that keeps the event loop alive while the server starts. Until it listens, what a start
 * waits for is often nothing of libuv's: PGlite compiling its WebAssembly, or answering a query in
 * this thread. Node then finds its loop empty and, before going on, waits for all of V8's work in
 * the background, much of it recompiling PGlite's hot code in the optimising tier, which nothing
 * waits for: 0.2–1 s of an embedded start (bench/README.md, "Start to ready"). Never fires.
 */
function holdEventLoopOpen(): ReturnType<typeof setInterval> {
  return setInterval(() => {}, 60_000);
}

async function startHeld(config: Config, logger: Logger): Promise<RunningServer> {
  const db = await openAtStartup(config, logger);
  logger.info(
    { database: db.kind, ...(db.kind === 'pglite' && { dataDir: config.dataDir }), migrationsApplied: db.applied },
    'database ready',
  );
  const { app, startTicker, commits, drain, listenAcrossProcesses } = buildServices(db, logger, config, {
    publicUrl: config.publicUrl,
    stream: { pollMs: config.streamPollMs },
  });
  const stopListening = await listenAcrossProcesses().catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  const server: Server = (await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  }).catch(async (error: unknown) => {
    await db.close();
    throw error;
  })) as Server;
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url }, 'listening');
  const ticker = startTicker();
  let stopping: Promise<void> | undefined;
  return {
    url,
    address,
    db,
    // Requests first (new ones refused, running ones finished, streams ended), then the ticker, then the
    // database: nothing is left to use it when it closes.
    stop: () =>
      (stopping ??= (async () => {
        await drain.close(server, {
          graceMs: config.shutdownGraceMs,
          logger,
          onDraining: () => commits.emit('shutdown'),
        });
        await ticker.stop();
        await stopListening();
        await db.close();
        logger.info('stopped');
      })()),
  };
}
