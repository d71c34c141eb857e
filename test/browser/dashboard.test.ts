import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { loadConfig } from '../../src/config/config';
import { MACHINE_IDS } from '../../src/diagrams/diagram';
import { MONACO_RED_REQUEST } from '../../src/notices/example-requests';
import { start, type RunningServer } from '../../src/server';
import { bearer } from '../support/fixtures';
import { CHROMIUM_ARGS, chromiumPath } from '../support/tools';

// What the functions evaluated in the page use of the browser (the tests' own lib has no DOM).
declare const document: { querySelector(selector: string): { textContent: string | null } | null };
declare const window: unknown;

const browserPath = chromiumPath();
const describeWithBrowser = browserPath ? describe : describe.skip;
const ARTIFACTS = path.join(__dirname, '../../test-artifacts');
const MONACO = path.join(__dirname, '../../scenarios/monaco-fingerprints.yaml');

describeWithBrowser('the dashboard in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await start({ ...loadConfig({}), port: 0, databaseUrl: undefined, dataDir: 'memory://', logLevel: 'silent' }, pino({ level: 'silent' }));
    browser = await chromium.launch({ executablePath: browserPath!, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
    });
    // Everything the page loads comes from the app itself.
    page.on('request', (req) => {
      if (!req.url().startsWith(server.url) && !req.url().startsWith('data:')) problems.push(`outside request: ${req.url()}`);
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs in, opens a notice, and sees its state, diagram and map change live as events are posted', async () => {
    const http = request(server.url);
    const created = (await http.post('/api/exercises').send({ scenario: await readFile(MONACO, 'utf8'), teams: ['monaco', 'france'] }).expect(201)).body;
    const token = (key: string) => created.participants.find((p: { key: string }) => p.key === key).token as string;
    // Monaco's team requests and submits by hand; the script plays the General Secretariat.
    const notice = (await http.post(`/api/exercises/${created.id}/notices`).set(bearer(token('monaco'))).send(MONACO_RED_REQUEST).expect(201)).body;
    await http.post(`/api/notices/${notice.id}/events`).set(bearer(token('monaco'))).send({ type: 'SUBMIT' }).expect(200);
    await http.post(`/api/exercises/${created.id}/clock`).set(bearer(created.facilitatorToken)).send({ action: 'advance', by: 'P1DT3H' }).expect(200);

    await page.goto(server.url);
    await page.fill('#token', created.facilitatorToken);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="state-${notice.id}"]`);
    expect(await page.textContent(`[data-testid="state-${notice.id}"]`)).toBe('published');
    expect(await page.textContent('#who')).toContain('Monaco fingerprints · facilitator');

    // By keyboard: the notice's link, then Enter.
    await page.focus(`a[href="#/notices/${notice.id}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#diagram svg');
    await page.waitForSelector('#map svg path[data-country="FR"]');
    expect(await page.textContent('[data-testid="notice-state"]')).toBe('published');
    expect(await page.getAttribute('#map path[data-country="RS"]', 'data-state')).toBe('acknowledged');
    // Monaco, the requester, is too small for the map's shapes: it is a dot.
    expect(await page.getAttribute('#map circle[data-country="MC"]', 'fill')).toBe('#1d1d1f');

    // France reports a hit through the API: its country on the map changes without a reload.
    await http.post(`/api/notices/${notice.id}/circulation/FR/events`).set(bearer(token('france'))).send({ type: 'REPORT_HIT', details: 'Nice airport' }).expect(200);
    await page.waitForSelector('#map path[data-country="FR"][data-state="hit"]', { timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector('#history')?.textContent?.includes('REPORT_HIT'));

    // Monaco withdraws: the notice's state, its diagram and every open record follow.
    await http.post(`/api/notices/${notice.id}/events`).set(bearer(token('monaco'))).send({ type: 'WITHDRAW', reason: 'Arrested in France' }).expect(200);
    await page.waitForFunction(() => document.querySelector('[data-testid="notice-state"]')?.textContent === 'withdrawn', undefined, { timeout: 10_000 });
    await page.waitForSelector('#map path[data-country="RS"][data-state="closed"]');
    // A hit is no outcome: France's record closes with the others.
    expect(await page.getAttribute('#map path[data-country="FR"]', 'data-state')).toBe('closed');
    expect(await page.textContent('#diagram')).toContain('WITHDRAW');

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-notice.png'), fullPage: true });
    await page.goto(`${server.url}/#/`);
    await page.waitForSelector(`[data-testid="state-${notice.id}"]`);
    // The paths the exercise took, for the facilitator: the heatmap of Red notices.
    await page.waitForSelector('#heatmap svg');
    expect(await page.textContent('#heatmap')).toContain('withdrawn (1)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-list.png'), fullPage: true });
    // The debrief report opens in a page of its own.
    const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('#open-report')]);
    await report.waitForLoadState();
    expect(await report.title()).toBe('Debrief: Monaco fingerprints');
    await report.close();
    expect(problems).toEqual([]);
  }, 60_000);

  it('lets the teams act from the dashboard, with forms built from the API’s schemas', async () => {
    const http = request(server.url);
    const created = (await http.post('/api/exercises').send({ scenario: await readFile(MONACO, 'utf8'), teams: ['secretariat', 'france'] }).expect(201)).body;
    const token = (key: string) => created.participants.find((p: { key: string }) => p.key === key).token as string;
    await http.post(`/api/exercises/${created.id}/clock`).set(bearer(created.facilitatorToken)).send({ action: 'advance', by: 'PT2H' }).expect(200);
    const { items } = (await http.get(`/api/exercises/${created.id}/notices`).set(bearer(created.facilitatorToken)).expect(200)).body;
    const noticeId = items[0].id as string;

    // The General Secretariat's team reviews and approves.
    const gs = await browser.newPage();
    await gs.goto(server.url);
    await gs.fill('#token', token('secretariat'));
    await gs.keyboard.press('Enter');
    await gs.click(`a[href="#/notices/${noticeId}"]`);
    await gs.click('#act-START_REVIEW button[type=submit]');
    await gs.waitForFunction(() => document.querySelector('[data-testid="notice-state"]')?.textContent === 'under_review');
    // APPROVE without clearing Article 3 is refused, and the page says why; then with it, published.
    await gs.click('#act-APPROVE button[type=submit]');
    await gs.waitForFunction(() => (document.querySelector('#act-error')?.textContent ?? '').length > 0);
    expect(await gs.textContent('#act-error')).toMatch(/check/i);
    await gs.check('#act-APPROVE-article3Cleared');
    await gs.click('#act-APPROVE button[type=submit]');
    await gs.waitForFunction(() => document.querySelector('[data-testid="notice-state"]')?.textContent === 'published');
    await gs.close();

    // France's team reports a hit on its own record; the form wants the details the API requires.
    const fr = await browser.newPage();
    await fr.goto(server.url);
    await fr.fill('#token', token('france'));
    await fr.keyboard.press('Enter');
    await fr.click(`a[href="#/notices/${noticeId}"]`);
    await fr.waitForSelector('[data-testid="own-record"]');
    expect(await fr.textContent('[data-testid="own-record"]')).toBe('received');
    expect(await fr.getAttribute('#rec-REPORT_HIT-details', 'required')).not.toBeNull();
    await fr.fill('#rec-REPORT_HIT-details', 'Stopped at Nice airport');
    await fr.click('#rec-REPORT_HIT button[type=submit]');
    await fr.waitForFunction(() => document.querySelector('[data-testid="own-record"]')?.textContent === 'hit');
    await fr.screenshot({ path: path.join(ARTIFACTS, 'dashboard-france-acts.png'), fullPage: true });
    await fr.close();

    const history = (await http.get(`/api/notices/${noticeId}/history`).set(bearer(created.facilitatorToken)).expect(200)).body.items;
    expect(history.map((h: { type: string; actor: { role: string; country?: string } }) => `${h.type}:${h.actor.role}${h.actor.country ?? ''}`)).toEqual([
      'CREATE:ncbMC',
      'SUBMIT:ncbMC',
      'START_REVIEW:gs',
      'APPROVE:gs',
      'REPORT_HIT:ncbFR',
    ]);
    expect(history[4].payload).toEqual({ details: 'Stopped at Nice airport' });
  }, 60_000);

  it('accepts every Mermaid output in Mermaid’s own parser and renderer', async () => {
    const http = request(server.url);
    const texts: string[] = [];
    for (const id of MACHINE_IDS) texts.push((await http.get(`/api/machines/${id}?format=mermaid`).expect(200)).text);
    const created = (await http.post('/api/exercises').send({ scenario: await readFile(MONACO, 'utf8') }).expect(201)).body;
    await http.post(`/api/exercises/${created.id}/clock`).set(bearer(created.facilitatorToken)).send({ action: 'advance', by: 'P40D' }).expect(200);
    const { items } = (await http.get(`/api/exercises/${created.id}/notices`).set(bearer(created.facilitatorToken)).expect(200)).body;
    texts.push((await http.get(`/api/notices/${items[0].id}/diagram`).set(bearer(created.facilitatorToken)).expect(200)).text);
    for (const id of MACHINE_IDS) {
      texts.push((await http.get(`/api/exercises/${created.id}/heatmap?machine=${id}&format=mermaid`).set(bearer(created.facilitatorToken)).expect(200)).text);
    }
    await page.goto(server.url);
    const results = await page.evaluate(async (all) => {
      const mermaid = (window as unknown as { mermaid: { parse(t: string): Promise<unknown>; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
      const out: string[] = [];
      for (const [i, text] of all.entries()) {
        try {
          await mermaid.parse(text);
          const { svg } = await mermaid.render(`check-${i}`, text);
          out.push(svg.includes('<svg') ? 'ok' : 'no svg');
        } catch (error) {
          out.push(String(error));
        }
      }
      return out;
    }, texts);
    expect(results).toEqual(texts.map(() => 'ok'));
    // And a broken diagram is refused: the parser is really checking.
    const broken = await page.evaluate(async () => {
      const mermaid = (window as unknown as { mermaid: { parse(t: string): Promise<unknown> } }).mermaid;
      return mermaid.parse('stateDiagram-v2\n  a --> : }{').then(
        () => 'accepted',
        () => 'refused',
      );
    });
    expect(broken).toBe('refused');
  }, 60_000);
});
