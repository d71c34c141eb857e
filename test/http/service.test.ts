import { describeEachDatabase } from '../support/http';

describeEachDatabase('service endpoints', (ctx) => {
  it('reports health', async () => {
    expect((await ctx().http.get('/api/health').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('is ready once the database answers, saying which database it is', async () => {
    expect((await ctx().http.get('/api/ready').expect(200)).body).toEqual({ status: 'ready', database: ctx().kind });
  });

  it('lists the 196 member countries from the database, Palau and Palestine in, Tuvalu and Micronesia out', async () => {
    const res = await ctx().http.get('/api/countries').expect(200);
    const codes = res.body.items.map((c: { code: string }) => c.code);
    expect(codes).toHaveLength(196);
    expect(new Set(codes).size).toBe(196);
    expect(codes).toEqual(expect.arrayContaining(['PW', 'PS', 'VA', 'AW', 'CW', 'SX', 'MC', 'RS', 'FR']));
    expect(codes).not.toContain('TV');
    expect(codes).not.toContain('FM');
    expect(res.body.items.find((c: { code: string }) => c.code === 'MC')).toEqual({ code: 'MC', name: 'Monaco' });
  });

  it('publishes an OpenAPI 3.1 document with every endpoint and the zod-derived schemas', async () => {
    const res = await ctx().http.get('/api/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths).sort()).toEqual([
      '/api/countries',
      '/api/exercises',
      '/api/exercises/{id}/briefing',
      '/api/exercises/{id}/clock',
      '/api/exercises/{id}/deadlines',
      '/api/exercises/{id}/forecasts',
      '/api/exercises/{id}/forecasts/{forecastId}',
      '/api/exercises/{id}/heatmap',
      '/api/exercises/{id}/hits',
      '/api/exercises/{id}/injects',
      '/api/exercises/{id}/messages',
      '/api/exercises/{id}/notices',
      '/api/exercises/{id}/participants',
      '/api/exercises/{id}/participants/{pid}',
      '/api/exercises/{id}/participants/{pid}/token',
      '/api/exercises/{id}/persons',
      '/api/exercises/{id}/persons/{personId}',
      '/api/exercises/{id}/persons/{personId}/links',
      '/api/exercises/{id}/persons/{personId}/unlinks',
      '/api/exercises/{id}/records',
      '/api/exercises/{id}/records/import',
      '/api/exercises/{id}/report',
      '/api/exercises/{id}/reset',
      '/api/exercises/{id}/searches',
      '/api/exercises/{id}/stream',
      '/api/exercises/{id}/token-sheet',
      '/api/health',
      '/api/labels',
      '/api/machines',
      '/api/machines/{id}',
      '/api/me',
      '/api/messages/{id}',
      '/api/messages/{id}/read',
      '/api/notices/{id}',
      '/api/notices/{id}/circulation',
      '/api/notices/{id}/circulation/{country}/events',
      '/api/notices/{id}/diagram',
      '/api/notices/{id}/events',
      '/api/notices/{id}/history',
      '/api/public/exercises/{id}/notices',
      '/api/public/exercises/{id}/notices/{nid}',
      '/api/ready',
      '/api/records/{id}',
      '/api/records/{id}/history',
      '/api/scenarios',
      '/api/scenarios/schema',
      '/api/scenarios/{key}',
      '/api/schemas/notice-request',
      '/api/simulations',
      '/api/simulations/schema',
      '/api/simulations/{id}',
      '/api/simulations/{id}/report',
      '/api/simulations/{id}/stream',
    ]);
    const schemas = res.body.components.schemas;
    expect(schemas.RedNoticeRequest.properties.offence).toBeDefined();
    expect(schemas.Subject.properties.sex.enum).toEqual(['male', 'female', 'unknown']);
    expect(res.body.paths['/api/notices/{id}/events'].post.responses['409']).toBeDefined();
    // What each endpoint answers in: the stream only events, the report and diagrams JSON or their own formats.
    expect(Object.keys(res.body.paths['/api/exercises/{id}/stream'].get.responses['200'].content)).toEqual(['text/event-stream']);
    expect(Object.keys(res.body.paths['/api/exercises/{id}/report'].get.responses['200'].content)).toEqual(['application/json', 'text/html']);
    expect(Object.keys(res.body.paths['/api/simulations/{id}/stream'].get.responses['200'].content)).toEqual(['text/event-stream']);
    expect(Object.keys(res.body.paths['/api/simulations/{id}/report'].get.responses['200'].content)).toEqual(['text/html']);
  });

  it('serves Swagger UI locally', async () => {
    const page = await ctx().http.get('/api/docs/').expect(200);
    expect(page.text).toContain('swagger-ui');
    const script = page.text.match(/src="\.\/([\w.-]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    await ctx().http.get(`/api/docs/${script}`).expect(200);
  });

  it('gives every response a request id, echoing a caller’s', async () => {
    const mine = await ctx().http.get('/api/health').set('x-request-id', 'trace-123').expect(200);
    expect(mine.headers['x-request-id']).toBe('trace-123');
    const generated = await ctx().http.get('/api/health').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the JSON Schema of scenario files', async () => {
    const res = await ctx().http.get('/api/scenarios/schema').expect(200);
    expect(res.body.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(res.body.$defs.Scenario.required).toEqual(expect.arrayContaining(['title', 'start', 'participants']));
  });
});
