import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import swaggerUi from 'swagger-ui-express';
import type { ExerciseService } from '../exercises/exercise-service';
import type { NoticeService } from '../notices/notice-service';
import type { Country } from '../countries/member-countries';
import { registerCountryRoutes } from '../countries/country-routes';
import { registerExerciseRoutes } from '../exercises/exercise-routes';
import { registerNoticeRoutes } from '../notices/notice-routes';
import { authenticate, bearerToken, injectsFirst, limitFailedAuthentication, requireAdmin } from './auth';
import { registerPublicRoutes } from '../notices/public-routes';
import { registerClockRoutes } from '../exercises/clock-routes';
import { registerScenarioRoutes } from '../scenarios/scenario-routes';
import { registerReportRoutes } from '../reports/report-routes';
import type { ReportService } from '../reports/report-service';
import type { Scheduler } from '../scenarios/scheduler';
import { registerMachineRoutes } from '../machines/machine-routes';
import { registerDashboard } from '../dashboard/dashboard-routes';
import type { DiagramService } from '../machines/diagram-service';
import type { EventEmitter } from 'node:events';
import type { EventFeed } from '../stream/event-feed';
import { registerStreamRoutes, type StreamOptions } from '../stream/stream-routes';
import cors from 'cors';
import helmet from 'helmet';
import { errorHandler, notFoundHandler } from './error-middleware';
import { defineRoute } from './routes';
import { z } from 'zod';

export interface AppDeps {
  exercises: ExerciseService;
  notices: NoticeService;
  scheduler: Scheduler;
  reports: ReportService;
  diagrams: DiagramService;
  feed: EventFeed;
  /** Emits `commit` with the exercise id after each committed change, to wake live streams. */
  commits: EventEmitter;
  streamOptions?: StreamOptions;
  listCountries: () => Promise<Country[]>;
  logger: Logger;
  security: SecurityOptions;
}

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

export const API_VERSION = '0.1.0';

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
  // Security headers; but a trainer's server on a LAN speaks plain HTTP, where forcing HTTPS would break
  // every page, so HSTS and upgrade-insecure-requests are left to the TLS proxy in front, if any.
  app.use(helmet({ strictTransportSecurity: false, contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  if (deps.security.corsOrigins?.length) app.use(cors({ origin: [...deps.security.corsOrigins], exposedHeaders: ['x-request-id'] }));
  // A scenario can be long: creating an exercise takes a larger body than any other request.
  app.post('/api/exercises', express.json({ limit: deps.security.scenarioBodyLimit ?? '2mb', strict: true }));
  app.use(express.json({ limit: deps.security.bodyLimit ?? '100kb', strict: true }));

  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A participant or facilitator token, returned when the exercise or participant is created',
  });
  const api = express.Router();
  // Every route that checks a token counts its 401s against the caller's address.
  const limiter = limitFailedAuthentication(deps.security.authFailureLimit);
  // Injects the running clock has passed fire before the request, so it cannot overtake the script.
  const auth = [limiter, authenticate(deps.exercises), injectsFirst(deps.scheduler)];
  const admin = deps.security.adminToken ? [limiter, ...requireAdmin(deps.security.adminToken)] : [];

  defineRoute(api, registry, {
    method: 'get',
    path: '/api/health',
    summary: 'Liveness',
    tags: ['service'],
    response: z.object({ status: z.literal('ok') }),
    errors: [],
    handler: async () => ({ status: 'ok' as const }),
  });
  registerCountryRoutes(api, registry, deps.listCountries);
  registerExerciseRoutes(api, registry, { exercises: deps.exercises, scheduler: deps.scheduler, auth, admin });
  registerNoticeRoutes(api, registry, { notices: deps.notices, auth });
  registerPublicRoutes(api, registry, { notices: deps.notices, exercises: deps.exercises });
  registerClockRoutes(api, registry, { exercises: deps.exercises, scheduler: deps.scheduler, auth });
  registerReportRoutes(api, registry, { reports: deps.reports, auth });
  registerMachineRoutes(api, registry, { diagrams: deps.diagrams, auth });
  registerStreamRoutes(api, registry, {
    feed: deps.feed,
    commits: deps.commits,
    auth,
    stillValid: async (req) => (await deps.exercises.authenticate(bearerToken(req))) !== null,
    ...(deps.streamOptions && { options: deps.streamOptions }),
  });
  registerScenarioRoutes(api, registry);

  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Notice-system simulator API',
      version: API_VERSION,
      description:
        'Red and Yellow notices from request to resolution: an NCB requests, the General Secretariat reviews and publishes, member countries act on their circulation records.',
    },
    servers: [{ url: '/' }],
  });

  app.use(api);
  app.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'Notice simulator API' }));
  registerDashboard(app);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
