import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config';
import { start, type RunningServer } from '../../src/server';
import { CHROMIUM_ARGS, chromiumPath, freePort } from '../support/tools';

// What the functions evaluated in the page use of the browser (the tests' own lib has no DOM).
declare const document: { querySelector(selector: string): { textContent: string | null } | null };
declare const sessionStorage: { getItem(key: string): string | null };
declare const window: unknown;

const browserPath = chromiumPath();
const describeWithBrowser = browserPath ? describe : describe.skip;
const ARTIFACTS = path.join(__dirname, '../../test-artifacts');
// Markup in a participant's name is data: it must read as these characters, never as an element.
const HOSTILE_NAME = '<img src=x onerror="window.__xss=1">Instructor Dupont';


/** Watches a page for what must not happen: script errors, failed requests, requests to anywhere else. */
function watch(page: Page, origin: string, problems: string[]): Page {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
  });
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && url !== 'about:srcdoc') problems.push(`outside: ${url}`);
  });
  return page;
}

describeWithBrowser('the facilitator’s console in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const problems: string[] = [];

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

  it('shows a refused scenario file’s problems in words, before anyone signs in', async () => {
    const page = watch(await browser.newPage(), server.url, []);
    await page.goto(server.url);
    await page.check('#run-exercise-form input[name=scenario][value=""]');
    const broken = 'title: Broken\nbriefing: b\nstart: 2026-03-02T09:00:00Z\nparticipants:\n  - { key: a, role: ncb, country: MC }\n' +
      'injects:\n  - { at: PT1H, as: nobody, event: { notice: x, event: { type: SUBMIT } } }\n';
    await page.setInputFiles('#scenario-file', { name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from(broken) });
    // The browser read the file's parts: they can be ticked before it is sent.
    await page.waitForSelector('#run-exercise-form input[name=team][value=a]');
    expect(await page.textContent('#create-briefing')).toContain('Broken');
    await page.click('#create-form button[type=submit]');
    await page.waitForSelector('#create-error li');
    expect(await page.textContent('#create-error')).toContain('The scenario was refused');
    expect(await page.textContent('#create-error')).toContain('nobody');
    expect(await page.isVisible('#sign-in-form')).toBe(true);
    await page.close();
  }, 60_000);

  it('asks for the server’s administrator token to create or list exercises, when the server has one', async () => {
    const adminToken = 'admin-token-of-this-test-server-0123456789';
    const guarded = await start(
      { ...loadConfig({}), port: 0, adminToken, databaseUrl: undefined, dataDir: 'memory://', logLevel: 'silent' },
      pino({ level: 'silent' }),
    );
    try {
      const page = await browser.newPage();
      await page.goto(guarded.url);
      await page.check('#run-exercise-form input[name=scenario][value="missing-child"]');
      await page.click('#create-form button[type=submit]');
      await page.waitForSelector('#admin-token');
      expect(await page.textContent('#create-error')).toContain('administrator token');
      await page.fill('#admin-token', adminToken);
      await page.click('#create-form button[type=submit]');
      await page.waitForSelector('#once-title');
      expect(await page.isVisible('#console')).toBe(true);

      const list = await browser.newPage();
      await list.goto(guarded.url);
      await list.click('#exercise-list summary');
      await list.fill('#list-admin-token', adminToken);
      await list.click('#list-form button[type=submit]');
      await list.waitForSelector('#exercise-list-body tbody tr');
      expect(await list.locator('#exercise-list-body tbody tr').count()).toBe(1);
      await Promise.all([page.close(), list.close()]);
    } finally {
      await guarded.stop();
    }
  }, 60_000);

  it('adds a participant once when the facilitator submits again after the answer was lost', async () => {
    const created = await fetch(`${server.url}/api/exercises`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Lost answers' }),
    });
    const { id, facilitatorToken } = (await created.json()) as { id: string; facilitatorToken: string };
    const page = await browser.newPage();
    // The first request reaches the server, which adds the participant; its answer never reaches the page.
    const keys: (string | undefined)[] = [];
    await page.route(`${server.url}/api/exercises/${id}/participants`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length > 1) return route.continue();
      await route.fetch();
      return route.abort('connectionreset');
    });
    await page.goto(`${server.url}/#token=${encodeURIComponent(facilitatorToken)}`);
    await page.click('#nav-console');
    await page.waitForSelector('#add-participant');
    await page.selectOption('#add-role', 'observer');
    await page.fill('#add-name', 'Evaluator Lost');
    await page.click('#add-participant button[type=submit]');
    await page.waitForFunction(() => (document.querySelector('#add-error')?.textContent ?? '').trim() !== '');
    // Submitted again as it stands: the server recognises the request and answers as the first time.
    await page.click('#add-participant button[type=submit]');
    await page.waitForFunction(() => (document.querySelector('#once-title')?.textContent ?? '').startsWith('Sign-in link'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    const list = await fetch(`${server.url}/api/exercises/${id}/participants`, { headers: { authorization: `Bearer ${facilitatorToken}` } });
    const { items } = (await list.json()) as { items: { name?: string }[] };
    expect(items.filter((p) => p.name === 'Evaluator Lost')).toHaveLength(1);
    await page.close();
  }, 60_000);

  it('creates an exercise from the Monaco scenario, prints the token sheet, and a team signs in by its link', async () => {
    const page = watch(await browser.newPage({ viewport: { width: 1366, height: 900 } }), server.url, problems);
    await page.goto(server.url);

    // Run a training exercise: the shipped scenario, its briefing, the parts the class plays.
    await page.check('#run-exercise-form input[name=scenario][value="monaco-fingerprints"]');
    expect(await page.textContent('#create-briefing')).toContain('Police in Monaco find fingerprints');
    for (const key of ['monaco', 'france', 'secretariat']) await page.check(`#run-exercise-form input[name=team][value=${key}]`);
    await page.click('#create-form button[type=submit]');

    // Signed in as its facilitator, on the console, with the link to come back shown once.
    await page.waitForSelector('#once-title');
    expect(await page.textContent('#once-title')).toBe('Keep this link to come back as facilitator');
    expect(await page.inputValue('#once-link')).toMatch(new RegExp(`^${server.url}/#token=.{20,}`));
    expect(await page.textContent('#once')).toContain('cannot be replaced');
    expect(new URL(page.url()).hash).toBe('#/console');
    expect(await page.textContent('#who')).toContain('Monaco fingerprints · Facilitator');
    await page.waitForSelector('#console-briefing h3');
    expect(await page.textContent('#console-briefing')).toContain('stopped at Nice airport');

    // The injects: Serbia's acknowledgement is the script's; the teams' parts are skipped.
    await page.waitForSelector('#injects-skipped tr[data-inject]');
    expect(await page.locator('#injects-pending tr[data-inject]').count()).toBe(1);
    expect(await page.textContent('#injects-pending')).toContain('NCB Belgrade acknowledges');
    expect(await page.locator('#injects-skipped tr[data-inject]').count()).toBe(8);
    expect(await page.textContent('#console-deadlines')).toContain('No deadline is running');
    await page.click('#once-close');
    expect(await page.locator('#once-title').count()).toBe(0);

    // The participants, with names and roles in words; then a sheet of cards for all the teams.
    await page.waitForSelector('#console-participants tr[data-participant]');
    expect(await page.locator('#console-participants tbody tr').count()).toBe(7);
    expect(await page.textContent('#console-participants')).toContain('National Central Bureau');
    expect(await page.textContent('#console-participants')).toContain('Serbia');
    await page.click('#print-sheet');
    expect(await page.textContent('#confirm')).toContain('stop working');
    await page.click('#confirm-yes');
    const sheet = page.frameLocator('#sheet-frame');
    await sheet.locator('.card').first().waitFor();
    expect(await sheet.locator('.card').count()).toBe(6);
    expect(await sheet.locator('.card h2').allTextContents()).toEqual(
      expect.arrayContaining(['NCB Monaco', 'NCB Paris', 'Notices and Diffusions Task Force']),
    );
    const links = await sheet.locator('.card .link').allTextContents();
    expect(links.every((l) => l.startsWith(`${server.url}/#token=`))).toBe(true);
    expect(await sheet.locator('.card .qr svg').count()).toBe(6);
    // The sheet is a document of its own: its cards are not in the dashboard's page.
    expect(await page.locator('#main .card').count()).toBe(0);
    const paris = sheet.locator('.card', { hasText: 'NCB Paris' }).locator('.link');
    const parisLink = (await paris.textContent())!;

    // France's team opens its link: signed in as France, the token gone from the address bar.
    const france = watch(await browser.newPage(), server.url, problems);
    await france.goto(parisLink);
    await france.waitForFunction(() => (document.querySelector('#who')?.textContent ?? '').includes('National Central Bureau, France'));
    expect(france.url()).toBe(`${server.url}/#/`);
    expect(await france.evaluate(() => sessionStorage.getItem('notice-simulator.token'))).toBe(decodeURIComponent(parisLink.split('#token=')[1]!));
    expect(await france.isVisible('#notices')).toBe(true);
    expect(await france.isVisible('#nav-console')).toBe(false);
    await france.close();

    // Advance: a confirmation that stays; Serbia's inject fails (Monaco's team has requested nothing) and says why.
    await page.fill('#advance-by', 'P1DT2H');
    await page.click('#advance-form button[type=submit]');
    await page.waitForFunction(() => (document.querySelector('#clock-result')?.textContent ?? '').startsWith('Advanced'));
    expect(await page.textContent('#clock-result')).toBe('Advanced 1 day 2 hours: 0 injects and 0 deadlines fired');
    await page.waitForSelector('#injects-failed tr[data-inject]');
    expect(await page.textContent('#injects-failed')).toContain('Why:');
    expect(await page.locator('#injects-pending tr[data-inject]').count()).toBe(0);

    // A participant added with a name that looks like markup: it reads as typed, and its link is shown once.
    await page.selectOption('#add-role', 'observer');
    await page.fill('#add-name', HOSTILE_NAME);
    await page.click('#add-participant button[type=submit]');
    await page.waitForFunction(() => (document.querySelector('#once-title')?.textContent ?? '').startsWith('Sign-in link'));
    expect(await page.textContent('#once-title')).toBe(`Sign-in link for ${HOSTILE_NAME}`);
    await page.waitForSelector('#console-participants tbody tr:nth-child(8)');
    expect(await page.textContent('#console-participants')).toContain(HOSTILE_NAME);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // That observer watches from its own console: the briefing, the injects and the deadlines, nothing to act with.
    const observerLink = await page.inputValue('#once-link');
    const observer = watch(await browser.newPage(), server.url, problems);
    await observer.goto(observerLink);
    await observer.click('#nav-console');
    await observer.waitForSelector('#injects-failed tr[data-inject]');
    expect(await observer.textContent('#console-briefing')).toContain('Police in Monaco');
    expect(await observer.isVisible('#console-people')).toBe(false);
    expect(await observer.locator('#reset-exercise, #clock button').count()).toBe(0);
    expect(await observer.textContent('#who')).toContain(`Observer · ${HOSTILE_NAME}`);
    await observer.close();

    // A lost link: a new token for NCB Rome, after a question in words.
    await page.locator('#console-participants tr', { hasText: 'NCB Rome' }).locator('button.reissue').click();
    expect(await page.textContent('#confirm')).toContain('stops working at once');
    await page.click('#confirm-yes');
    await page.waitForFunction(() => document.querySelector('#once-title')?.textContent === 'New sign-in link for NCB Rome');
    // The advance's confirmation stays until the next clock action.
    expect(await page.textContent('#clock-result')).toBe('Advanced 1 day 2 hours: 0 injects and 0 deadlines fired');

    // Reset asks first, in words of what stays and what starts again; cancelled here.
    await page.click('#reset-exercise');
    expect(await page.textContent('#confirm')).toContain('Stays:');
    await page.click('#confirm-no');
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'console.png'), fullPage: true });
    await page.close();

    // The exercises on this server (no ADMIN_TOKEN here, so anyone may list them), before signing in.
    const admin = watch(await browser.newPage(), server.url, problems);
    await admin.goto(server.url);
    await admin.click('#exercise-list summary');
    await admin.waitForSelector('#exercise-list-body tbody tr');
    expect(await admin.textContent('#exercise-list-body')).toContain('Monaco fingerprints');
    await admin.close();
    expect(problems).toEqual([]);
  }, 90_000);
});

