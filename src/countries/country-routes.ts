import { z } from 'zod';
import type { Routes } from '../kernel/routes';
import type { Country } from './member-countries';

const CountryList = z
  .object({ items: z.array(z.object({ code: z.string(), name: z.string() })) })
  .meta({ id: 'CountryList' });

/** Countries come from the database, where a migration put them. */
export function registerCountryRoutes(routes: Routes, listCountries: () => Promise<Country[]>): void {
  routes.define({
    method: 'get',
    path: '/api/countries',
    operationId: 'listCountries',
    summary: 'The 196 member countries',
    tags: ['countries'],
    response: CountryList,
    errors: [],
    handler: async () => ({ items: await listCountries() }),
  });
}
