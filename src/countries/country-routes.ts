import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { z } from 'zod';
import { defineRoute } from '../http/routes';
import type { Country } from './member-countries';

const CountryList = z
  .object({ items: z.array(z.object({ code: z.string(), name: z.string() })) })
  .meta({ id: 'CountryList' });

/** Countries come from the database, where a migration put them. */
export function registerCountryRoutes(router: Router, registry: OpenAPIRegistry, listCountries: () => Promise<Country[]>): void {
  defineRoute(router, registry, {
    method: 'get',
    path: '/api/countries',
    summary: 'The 196 member countries',
    tags: ['countries'],
    response: CountryList,
    errors: [],
    handler: async () => ({ items: await listCountries() }),
  });
}
