import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { loadConfig } from '../../src/config/config';
import { start, type RunningServer } from '../../src/server';
import { bearer } from '../support/fixtures';
import { CHROMIUM_ARGS, chromiumPath } from '../support/tools';

const browserPath = chromiumPath();
const describeWithBrowser = browserPath ? describe : describe.skip;
const STORY = path.join(__dirname, '../../scenarios/monaco-whole-story.yaml');

/** Text as it reads on screen: runs of white space are one space. */
const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

/**
 * The databases page as a team uses it, in words: Monaco's team searches with the crime-scene mark and
 * establishes the man from the hit; France's team checks the name at the border, finds the Red notice
 * and reports that hit on its record, all from the page.
 */
describeWithBrowser('the databases page in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await start(
      { ...loadConfig({}), port: 0, databaseUrl: undefined, dataDir: 'memory://', logLevel: 'silent' },
      pino({ level: 'silent' }),
    );
    browser = await chromium.launch({ executablePath: browserPath!, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(token: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    await page.goto(server.url);
    await page.fill('#token', token);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#nav-databases:not([hidden])');
    await page.click('#nav-databases');
    await page.waitForSelector('#search-kind');
    return page;
  }

  const create = async (teams: string[]) => {
    const http = request(server.url);
    const body = { scenario: await readFile(STORY, 'utf8'), teams, freezeWhilePaused: false };
    const created = (await http.post('/api/exercises').send(body).expect(201)).body;
    const token = (key: string) => created.participants.find((p: { key: string }) => p.key === key).token as string;
    const advance = (by: string) =>
      http.post(`/api/exercises/${created.id}/clock`).set(bearer(created.facilitatorToken)).send({ action: 'advance', by }).expect(200);
    return { http, created, token, advance };
  };

  it('lets Monaco search with the mark, see what hit in words, and establish the person from the hit', async () => {
    const { token } = await create(['monaco']);
    const page = await signedIn(token('monaco'));
    await page.selectOption('#search-kind', 'fingerprints');
    await page.fill('#search-template', 'RS-AFIS-2019-004711');
    await page.click('#search button[type=submit]');
    await page.waitForSelector('[data-testid="search-hits"]');
    const row = squash(await page.textContent('[data-testid="search-hits"] tbody tr'));
    expect(row).toContain('Fingerprints');
    expect(row).toContain('Serbia');
    expect(row).toContain('Print set RS-AFIS-2019-004711 (Ten-print set taken in Belgrade, 2019)');

    await page.fill('[data-testid="establish"] input[name=label]', 'Marko PETROVIĆ');
    await page.fill('[data-testid="establish"] input[name=reason]', 'The mark matches Serbia’s ten-print set');
    await page.click('[data-testid="establish"] button[type=submit]');
    await page.waitForSelector('[data-testid="person-records"] li');
    expect(squash(await page.textContent('#person-title'))).toBe('Marko PETROVIĆ');
    expect(squash(await page.textContent('[data-testid="person-records"]'))).toContain(
      'Fingerprints, held by Serbia: Print set RS-AFIS-2019-004711',
    );
    expect(squash(await page.textContent('#person-view'))).toContain('The mark matches Serbia’s ten-print set');
    expect(problems).toEqual([]);
  });

  it('lets France find the Red notice by the name at the border and report that hit on its record', async () => {
    const { http, created, token, advance } = await create(['france']);
    // The script plays Monaco and the General Secretariat: the notice is published by the second day.
    await advance('P2D');
    const page = await signedIn(token('france'));
    await page.fill('#search-familyName', 'Петровић');
    await page.fill('#search-forename', 'Марко');
    await page.click('#search button[type=submit]');
    await page.waitForSelector('[data-testid="report-hit"]');
    expect(squash(await page.textContent('[data-testid="search-hits"]'))).toContain('A notice’s subject');
    await page.fill('[data-testid="report-hit"] input[name=details]', 'Stopped at passport control in Menton');
    await page.click('[data-testid="report-hit"] button[type=submit]');
    await page.waitForSelector('[data-testid="notice-state"]');

    const notices = (await http.get(`/api/exercises/${created.id}/notices`).set(bearer(token('france'))).expect(200)).body
      .items;
    const records = (await http.get(`/api/notices/${notices[0].id}/circulation`).set(bearer(token('france'))).expect(200))
      .body.items;
    expect(records).toEqual([expect.objectContaining({ country: 'FR', state: 'hit' })]);
    const hits = (await http.get(`/api/exercises/${created.id}/hits`).set(bearer(token('france'))).expect(200)).body.items;
    expect(hits.find((h: { kind: string }) => h.kind === 'notice')).toMatchObject({ reportedAt: expect.any(String) });
    expect(problems).toEqual([]);
  });
});
