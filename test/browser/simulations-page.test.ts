import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../src/config/config';
import { MONACO_RED_REQUEST } from '../../src/notices/example-requests';
import { start, type RunningServer } from '../../src/server';
import { CHROMIUM_ARGS, chromiumPath, freePort } from '../support/tools';

declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const browserPath = chromiumPath();
const describeWithBrowser = browserPath ? describe : describe.skip;

describeWithBrowser('the Simulations page in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    const config = { ...loadConfig({}), port, host: '127.0.0.1', publicUrl: `http://127.0.0.1:${port}` };
    server = await start({ ...config, databaseUrl: undefined, dataDir: 'memory://', logLevel: 'silent' }, pino({ level: 'silent' }));
    browser = await chromium.launch({ executablePath: browserPath!, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('starts a what-if simulation from the start page, shows its progress and figures, and opens its report', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(server.url);
    await page.click('#simulations summary');
    await page.fill('#simulation-form input[name=replications]', '1');
    await page.fill('#simulation-form input[name=reviewers]', '42');
    await page.click('#simulation-form button[type=submit]');
    await page.waitForSelector('#simulation-progress');
    // One replication of the calibrated model, warm-up from 2009 included.
    await page.waitForSelector('#open-simulation-report', { timeout: 180_000 });
    expect(await page.evaluate(() => document.querySelector('#simulation-status')?.textContent)).toBe('Done: 1 replications.');
    const figures = await page.evaluate(() => document.querySelector('#simulation-figures')?.textContent ?? '');
    expect(figures).toMatch(/Red notices issued\s*1\d,\d{3}/);
    // 42 reviewers instead of 52: the override reached the run.
    const list = (await (await fetch(`${server.url}/api/simulations`)).json()) as { items: { id: string }[] };
    expect(list.items[0]).toMatchObject({ status: 'done', replications: 1 });
    const one = (await (await fetch(`${server.url}/api/simulations/${list.items[0]!.id}`)).json()) as {
      result: { figures: { gsUtilisation: { mean: number } } };
    };
    expect(one.result.figures.gsUtilisation.mean).toBeGreaterThan(0.85);

    const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('#open-simulation-report')]);
    await report.waitForLoadState();
    expect(await report.title()).toBe('Simulation: interpol-2024, seed 42');
    expect(problems).toEqual([]);
  }, 240_000);

  it('forecasts a live exercise from the facilitator’s console, today beside the horizon', async () => {
    const post = async (path: string, body: object, token?: string) => {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, any>;
    };
    const exercise = await post('/api/exercises', { name: 'Forecast drill' });
    const token = exercise.facilitatorToken as string;
    const ncb = (await post(`/api/exercises/${exercise.id}/participants`, { role: 'ncb', country: 'MC' }, token)).token;
    const gs = (await post(`/api/exercises/${exercise.id}/participants`, { role: 'gs' }, token)).token;
    const notice = await post(`/api/exercises/${exercise.id}/notices`, MONACO_RED_REQUEST, ncb);
    await post(`/api/notices/${notice.id}/events`, { type: 'SUBMIT' }, ncb);
    await post(`/api/notices/${notice.id}/events`, { type: 'START_REVIEW' }, gs);
    expect((await post(`/api/notices/${notice.id}/events`, { type: 'APPROVE', article3Cleared: true }, gs)).state).toBe('published');

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(`${server.url}/#token=${encodeURIComponent(token)}`);
    await page.click('#nav-console');
    await page.waitForSelector('#forecast-form');
    await page.selectOption('#forecast-form select[name=horizon]', 'P1Y');
    await page.click('#forecast-form button[type=submit]');
    await page.waitForSelector('#forecast-figures', { timeout: 60_000 });
    const rows = await page.evaluate(() => document.querySelector('#forecast-figures')?.textContent ?? '');
    expect(rows).toContain('In one year (95 % interval)');
    expect(rows).toMatch(/Valid Red notices\s*1\s*\d/);
    expect(problems).toEqual([]);
  }, 120_000);
});
