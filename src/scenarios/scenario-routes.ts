import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { z } from 'zod';
import { defineRoute } from '../http/routes';
import { scenarioJsonSchema } from './scenario-schema';

export function registerScenarioRoutes(router: Router, registry: OpenAPIRegistry): void {
  const schema = scenarioJsonSchema();
  defineRoute(router, registry, {
    method: 'get',
    path: '/api/scenarios/schema',
    summary: 'The JSON Schema of scenario files (YAML or JSON)',
    tags: ['scenarios'],
    response: z.record(z.string(), z.unknown()).meta({ id: 'JsonSchema' }),
    errors: [],
    handler: async () => schema,
  });
}
