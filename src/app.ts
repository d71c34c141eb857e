import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import { z } from 'zod';
import { registerCirculationRoutes } from './circulation/circulation-routes';
import type { CirculationService } from './circulation/circulation-service';
import { registerCountryRoutes } from './countries/country-routes';
import type { Country } from './countries/member-countries';
import { registerDashboard } from './dashboard/dashboard-routes';
import { registerRecordRoutes, registerSearchRoutes } from './databases/record-routes';
import type { Databases } from './databases/databases';
import { registerPersonRoutes } from './databases/person-routes';
import { isImportRequest } from './databases/record-import';
import { registerMessageRoutes } from './messages/message-routes';
import type { MessageService } from './messages/message-service';
import { asDatabaseError } from './db/database-errors';
import type { DiagramService } from './diagrams/diagram-service';
import { registerMachineRoutes } from './diagrams/machine-routes';
import { registerClockRoutes } from './exercises/clock-routes';
import type { ExerciseClock } from './exercises/clock';
import { admissionOf, authenticateParticipant, identifyParticipant } from './exercises/exercise-auth';
import { registerExerciseRoutes } from './exercises/exercise-routes';
import type { ExerciseService } from './exercises/exercise-service';
import { registerParticipantRoutes } from './exercises/participant-routes';
import { registerTokenSheetRoutes } from './exercises/token-sheet-routes';
import { refuseWhilePaused, whileRunning } from './exercises/pause';
import { bearerTokenOf, failedAuthLimiter, requireAdmin } from './kernel/auth';
import type { Drain } from './kernel/drain';
import { errorHandler, notFoundHandler } from './kernel/error-middleware';
import { REPLAYED_HEADER, type IdempotencyRecords } from './kernel/idempotency';
import { LABELS, LabelsResponse } from './kernel/labels';
import { AppError } from './kernel/errors';
import { createRoutes } from './kernel/routes';
import type { UpcomingDeadlines } from './notices/deadline-list';
import { registerDeadlineRoutes } from './notices/deadline-routes';
import { registerNoticeRoutes } from './notices/notice-routes';
import { registerNoticeSchemaRoutes } from './notices/notice-schema-routes';
import type { NoticeService } from './notices/notice-service';
import { registerPublicRoutes } from './notices/public-routes';
import type { ReportService } from './reports/report-service';
import { registerReportRoutes } from './reports/report-routes';
import { registerConsoleScenarioRoutes } from './scenarios/console-routes';
import type { InjectStore } from './scenarios/inject-store';
import type { ScenarioCatalogue } from './scenarios/scenario-catalogue';
import { dueInjectsFirst, injectsFirst } from './scenarios/injects-first';
import { registerScenarioRoutes } from './scenarios/scenario-routes';
import type { Scheduler } from './scenarios/scheduler';
import { registerForecastRoutes } from './simulation/forecast-routes';
import type { ForecastService } from './simulation/forecast-service';
import { registerSimulationRoutes } from './simulation/simulation-routes';
import type { SimulationService } from './simulation/simulation-service';
import type { EventFeed } from './stream/event-feed';
import { registerStreamRoutes, type StreamOptions } from './stream/stream-routes';

export interface AppDeps {
  exercises: ExerciseService;
  notices: NoticeService;
  circulation: CirculationService;
  scheduler: Scheduler;
  injects: InjectStore;
  reports: ReportService;
  diagrams: DiagramService;
  feed: EventFeed;
  /** World simulations started through the API (src/simulation). */
  simulations: SimulationService;
  /** Forecasts from an exercise's notices. */
  forecasts: ForecastService;
  databases: Databases;
  messages: MessageService;
  /** The `Idempotency-Key` records of the creating requests. */
  idempotency: IdempotencyRecords;
  /** Emits `commit` with the exercise id after each committed change, to wake live streams. */
  commits: EventEmitter;
  streamOptions?: StreamOptions;
  listCountries: () => Promise<Country[]>;
  /** The coming deadlines across an exercise's notices (the facilitator's console). */
  upcomingDeadlines: UpcomingDeadlines;
  /** The scenario files shipped with the server. */
  scenarios: ScenarioCatalogue;
  /** The address trainees' devices reach the dashboard at: sign-in links are built on it. */
  publicUrl: string;
  logger: Logger;
  security: SecurityOptions;
  /** Counts requests in flight and, once the server stops, refuses new ones (src/kernel/drain.ts). */
  drain: Drain;
  /** Readiness: resolves with the database's kind once it has answered a trivial query, rejects if it has not. */
  checkDatabase: () => Promise<'postgres' | 'pglite'>;
}

/** What `Retry-After` says while the database is away (s). */
const DATABASE_RETRY_AFTER_SECONDS = 2;

export interface SecurityOptions {
  /** When set, creating an exercise needs it as the bearer token. */
  adminToken?: string | undefined;
  /** Browser origins allowed by CORS; none means CORS is off. */
  corsOrigins?: readonly string[];
  /** Failed authentications per client address and minute before 429. */
  authFailureLimit: number;
  /** Largest JSON body accepted; larger ones get 413. */
  bodyLimit?: string;
  /** Largest body for creating an exercise (which may carry a scenario). */
  scenarioBodyLimit?: string;
}

export const API_VERSION = '0.2.0';

/** Builds the app without starting it: tests drive it through supertest, `start()` binds it. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // Method, path and status are enough to follow a request; headers (and so tokens) stay out of the logs.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  // Before anything else a request does: while the server stops, it is answered 503 here.
  app.use(deps.drain.middleware);
  // Security headers; but a trainer's server on a LAN speaks plain HTTP, where forcing HTTPS would break
  // every page, so HSTS and upgrade-insecure-requests are left to the TLS proxy in front, if any.
  app.use(
    helmet({
      strictTransportSecurity: false,
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  if (deps.security.corsOrigins?.length) {
    app.use(cors({ origin: [...deps.security.corsOrigins], exposedHeaders: ['x-request-id', REPLAYED_HEADER] }));
  }
  // A scenario can be long: creating an exercise takes a larger body than any other request.
  app.post('/api/exercises', express.json({ limit: deps.security.scenarioBodyLimit ?? '2mb', strict: true }));
  const json = express.json({ limit: deps.security.bodyLimit ?? '100kb', strict: true });
  // A records import reads its own body, once its token has been checked (src/databases/record-import.ts).
  app.use((req, res, next) => (isImportRequest(req.method, req.path) ? next() : json(req, res, next)));

  const routes = createRoutes({ idempotency: deps.idempotency });
  // Failed authentications are counted per address; a valid token always passes.
  const limiter = failedAuthLimiter(deps.security.authFailureLimit);
  // Injects the running clock has passed fire before the request, so it cannot overtake the script.
  const injectsDue = dueInjectsFirst(deps.scheduler, deps.injects, deps.commits);
  const auth = [authenticateParticipant(deps.exercises, limiter), injectsFirst(injectsDue)];
  const admin = requireAdmin(deps.security.adminToken, limiter);
  // Every request by which a team changes something takes `act`: while paused, teams wait (EXERCISE_PAUSED).
  const act = [...auth, whileRunning];
  // The same two steps after the route's first read, which brings the clock (a country's record event).
  const actOnRead = {
    identify: [identifyParticipant(deps.exercises, limiter)],
    admission: (req: Request) =>
      admissionOf(req, deps.exercises, async (r, principal) => {
        const moved = await injectsDue(r, principal);
        refuseWhilePaused(principal);
        return moved;
      }),
  };

  routes.define({
    method: 'get',
    path: '/api/health',
    operationId: 'getHealth',
    summary: 'Liveness',
    tags: ['service'],
    response: z.object({ status: z.literal('ok') }),
    errors: [],
    handler: async () => ({ status: 'ok' as const }),
  });
  routes.define({
    method: 'get',
    path: '/api/ready',
    operationId: 'getReadiness',
    summary: 'Readiness: the database answers and the server is not stopping',
    description:
      'For a load balancer or an orchestrator: 200 once the database has answered `SELECT 1` (within 1 s); ' +
      '503 `DATABASE_UNAVAILABLE` with `Retry-After` while it does not, 503 `SHUTTING_DOWN` once the server stops. ' +
      '`/api/health` only says that the process is alive.',
    tags: ['service'],
    response: z.object({ status: z.literal('ready'), database: z.enum(['postgres', 'pglite']) }),
    errors: [503],
    handler: async ({ req, res }) => {
      try {
        return { status: 'ready' as const, database: await deps.checkDatabase() };
      } catch (err) {
        req.log.warn({ err }, 'not ready: the database did not answer');
        res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
        throw new AppError('DATABASE_UNAVAILABLE', 'The database cannot be reached or did not answer in time');
      }
    },
  });
  routes.define({
    method: 'get',
    path: '/api/labels',
    operationId: 'getLabels',
    summary: 'Words for people: what states, events, fields, checks and roles are called on screen and in print',
    tags: ['service'],
    response: LabelsResponse,
    errors: [],
    handler: async () => LABELS,
  });
  registerCountryRoutes(routes, deps.listCountries);
  registerScenarioRoutes(routes, {
    exercises: deps.exercises,
    injects: deps.injects,
    scheduler: deps.scheduler,
    catalogue: deps.scenarios,
    admin,
  });
  const runDue = (exerciseId: string, now: Date, clock: ExerciseClock) => deps.scheduler.runDue(exerciseId, now, clock);
  registerExerciseRoutes(routes, { exercises: deps.exercises, auth, admin, runDue });
  registerParticipantRoutes(routes, { exercises: deps.exercises, auth });
  registerTokenSheetRoutes(routes, { exercises: deps.exercises, auth, publicUrl: deps.publicUrl });
  registerConsoleScenarioRoutes(routes, {
    catalogue: deps.scenarios,
    exercises: deps.exercises,
    injects: deps.injects,
    auth,
  });
  registerDeadlineRoutes(routes, { upcomingDeadlines: deps.upcomingDeadlines, auth });
  registerClockRoutes(routes, { exercises: deps.exercises, auth, runDue });
  registerNoticeRoutes(routes, { notices: deps.notices, auth, act, actOnRead });
  registerNoticeSchemaRoutes(routes);
  registerCirculationRoutes(routes, { circulation: deps.circulation, auth, actOnRead });
  registerRecordRoutes(routes, { records: deps.databases.records, auth, act });
  registerSearchRoutes(routes, { searches: deps.databases.searches, auth, act });
  registerPersonRoutes(routes, { persons: deps.databases.persons, auth, act });
  registerMessageRoutes(routes, { messages: deps.messages, auth, act });
  registerPublicRoutes(routes, { notices: deps.notices, exercises: deps.exercises });
  registerReportRoutes(routes, { reports: deps.reports, auth });
  registerSimulationRoutes(routes, { simulations: deps.simulations, admin });
  registerForecastRoutes(routes, { forecasts: deps.forecasts, auth });
  registerMachineRoutes(routes, { diagrams: deps.diagrams, auth });
  registerStreamRoutes(routes, {
    feed: deps.feed,
    commits: deps.commits,
    auth,
    stillValid: async (req) => {
      const token = bearerTokenOf(req);
      return token !== null && (await deps.exercises.authenticate(token)) !== null;
    },
    ...(deps.streamOptions && { options: deps.streamOptions }),
  });
  routes.closeMethods();

  // Built on the first request that wants it, not at start: generating it from every route's schemas
  // is about a tenth of an embedded start's time to ready, and most runs never ask for it.
  let document: ReturnType<typeof routes.document> | undefined;
  const openApiDocument = () =>
    (document ??= routes.document({
      title: 'Notice-system simulator API',
      version: API_VERSION,
      // As package.json says (UNLICENSED): not licensed for use outside the project; an SPDX custom reference.
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      description:
        'Red and Yellow notices from request to resolution: an NCB requests, the General Secretariat reviews and ' +
        'publishes, member countries act on their circulation records.',
    }));

  app.use(routes.router);
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  // swagger-ui-express's setup also fills in the swagger-ui-init.js that `serve` answers: set up first.
  let docsPage: RequestHandler | undefined;
  const setUpDocs: RequestHandler = (_req, _res, next) => {
    docsPage ??= swaggerUi.setup(openApiDocument(), { customSiteTitle: 'Notice simulator API' });
    next();
  };
  const docs: RequestHandler = (req, res, next) => docsPage!(req, res, next);
  app.use('/api/docs', setUpDocs, swaggerUi.serve, docs);
  registerDashboard(app);
  app.use(notFoundHandler);
  // Writes answer their database failures where they run (src/db/transaction.ts): one that reaches here
  // unanswered came from a read, and nothing was written.
  app.use(((err, _req, _res, next) => next(asDatabaseError(err, 'read'))) satisfies ErrorRequestHandler);
  app.use(errorHandler);
  return app;
}
