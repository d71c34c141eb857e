import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config';
import { start, type RunningServer } from '../../src/server';
import { CHROMIUM_ARGS, chromiumPath, freePort } from '../support/tools';

// What the functions evaluated in the page use of the browser (the tests' own lib has no DOM).
declare const document: { querySelector(selector: string): { textContent: string | null } | null };
declare const window: unknown;

const browserPath = chromiumPath();
const describeWithBrowser = browserPath ? describe : describe.skip;
const ARTIFACTS = path.join(__dirname, '../../test-artifacts');
// What France's team types: markup in it is data, shown as these characters wherever it appears.
const HIT_DETAILS = 'Stopped at passport control, Nice airport <b>gate 12</b>';
const ARREST_DETAILS = 'Held by the border police at Nice <img src=x onerror="window.__xss=1">';
const WITHDRAW_REASON = 'Arrested in France; extradition requested';


/**
 * The Monaco scenario played as a class plays it, from the browser alone: the facilitator creates the
 * exercise and prints the token sheet, each team signs in through its card's link, and every action, the
 * request included, is taken on the dashboard's own pages. No request reaches the server from outside the
 * browser: the test only reads what the pages show.
 */
describeWithBrowser('a training room played from the browser alone', () => {
  let server: RunningServer;
  let browser: Browser;
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];

  /** A team's own browser (its own storage), watched for script errors, failed requests and outside requests. */
  async function teamPage(link?: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    context.on('page', (page) => {
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('request', (req) => {
        const url = req.url();
        const inside = [server.url, `blob:${server.url}`, 'data:', 'about:'].some((p) => url.startsWith(p));
        if (!inside) problems.push(`outside request: ${url}`);
      });
    });
    const page = await context.newPage();
    await page.goto(link ?? server.url);
    return page;
  }

  const openNotice = async (page: Page, id: string) => {
    await page.click(`a[href="#/notices/${id}"]`);
    await page.waitForSelector('[data-testid="notice-state"]');
  };
  const stateIs = (page: Page, state: string) => page.waitForSelector(`[data-testid="notice-state"][data-state="${state}"]`);

  beforeAll(async () => {
    const port = await freePort();
    const config = { ...loadConfig({}), port, host: '127.0.0.1', publicUrl: `http://127.0.0.1:${port}` };
    server = await start({ ...config, databaseUrl: undefined, dataDir: 'memory://', logLevel: 'silent' }, pino({ level: 'silent' }));
    browser = await chromium.launch({ executablePath: browserPath!, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('creates the exercise, prints the sheet, and four teams play Monaco’s case to a debrief that tells it', async () => {
    await mkdir(ARTIFACTS, { recursive: true });

    // The facilitator: the shipped scenario, with Monaco, France and the General Secretariat played by teams.
    const facilitator = await teamPage();
    await facilitator.check('#run-exercise-form input[name=scenario][value="monaco-fingerprints"]');
    for (const key of ['monaco', 'france', 'secretariat']) {
      await facilitator.check(`#run-exercise-form input[name=team][value=${key}]`);
    }
    await facilitator.click('#create-form button[type=submit]');
    await facilitator.waitForSelector('#once-title');
    await facilitator.click('#once-close');
    await facilitator.waitForSelector('#console-briefing h3');
    expect(await facilitator.textContent('#console-briefing')).toContain('Police in Monaco find fingerprints');

    // The token sheet: one card per participant, each with its sign-in link.
    await facilitator.click('#print-sheet');
    await facilitator.click('#confirm-yes');
    const sheet = facilitator.frameLocator('#sheet-frame');
    await sheet.locator('.card').first().waitFor();
    const linkOf = async (name: string) => (await sheet.locator('.card', { hasText: name }).locator('.link').textContent())!;
    const [monacoLink, parisLink, gsLink] = [
      await linkOf('NCB Monaco'),
      await linkOf('NCB Paris'),
      await linkOf('Notices and Diffusions Task Force'),
    ];

    // The scenario starts paused: the teams wait until the facilitator starts the clock.
    const monaco = await teamPage(monacoLink);
    await monaco.waitForSelector('#clock-paused');
    expect(await monaco.textContent('#clock-paused')).toContain('Paused by the facilitator');
    await facilitator.click('#clock button[data-action="resume"]');
    await monaco.waitForFunction(() => document.querySelector('#clock-paused') === null, undefined, { timeout: 15_000 });

    // Monaco's NCB requests a Red notice from the form and submits it.
    await monaco.click('a[href="#/request/RED"]');
    await monaco.waitForSelector('#request-form');
    await monaco.fill('#rf-subject-familyName', 'PETROVIC');
    await monaco.fill('#rf-subject-forename', 'Marko');
    await monaco.selectOption('#rf-subject-sex', 'male');
    await monaco.fill('#rf-subject-dateOfBirth', '1984-03-12');
    await monaco.selectOption('#rf-subject-nationalities', ['RS']);
    await monaco.fill('#rf-subject-fingerprintsRef', 'MC-AFIS-2026-0147');
    await monaco.selectOption('#rf-offence-category', 'armed_robbery');
    await monaco.fill('#rf-offence-summary', 'Armed robbery of a jewellery store in Monte-Carlo');
    await monaco.fill('#rf-offence-law', 'Code pénal monégasque, art. 309');
    await monaco.selectOption('#rf-offence-basis', 'prosecution');
    await monaco.fill('#rf-offence-maxPenaltyYears', '20');
    await monaco.fill('#rf-offence-warrant-reference', 'MC-2026-AW-031');
    await monaco.fill('#rf-offence-warrant-issuedOn', '2026-02-27');
    await monaco.fill('#rf-offence-warrant-authority', 'Juge d’instruction, Monaco');
    await monaco.selectOption('#rf-extraditionFrom', ['FR', 'IT', 'RS']);
    await monaco.click('button[value="submit"]');
    await stateIs(monaco, 'submitted');
    const noticeId = /#\/notices\/([0-9a-f-]{36})/.exec(monaco.url())![1]!;

    // The General Secretariat sees what was requested and the checks, reviews, and approves.
    const gs = await teamPage(gsLink);
    await openNotice(gs, noticeId);
    expect(await gs.textContent('#request [data-field="offence.warrant.reference"]')).toBe('MC-2026-AW-031');
    expect(await gs.getAttribute('[data-testid="check-RED-JUDICIAL-DATA"]', 'data-passed')).toBe('true');
    expect(await gs.textContent('#checks')).toContain('A valid arrest warrant or judgment');
    await gs.click('#act-START_REVIEW button[type=submit]');
    await stateIs(gs, 'under_review');
    await gs.check('#act-APPROVE-article3Cleared');
    await gs.click('#act-APPROVE button[type=submit]');
    await stateIs(gs, 'published');
    await gs.screenshot({ path: path.join(ARTIFACTS, 'training-room-gs.png') });

    // France's NCB, at the airport: the hit, then the arrest, each with what its officers report.
    const france = await teamPage(parisLink);
    await openNotice(france, noticeId);
    await france.waitForSelector('[data-testid="own-record"][data-state="received"]');
    await france.fill('#rec-REPORT_HIT-details', HIT_DETAILS);
    await france.click('#rec-REPORT_HIT button[type=submit]');
    await france.waitForSelector('[data-testid="own-record"][data-state="hit"]');
    await france.fill('#rec-PROVISIONAL_ARREST-details', ARREST_DETAILS);
    await france.click('#rec-PROVISIONAL_ARREST button[type=submit]');
    await france.waitForSelector('[data-testid="own-record"][data-state="provisional_arrest"]');
    // What was typed shows in the history, as typed.
    await france.waitForSelector('#history li[data-type="PROVISIONAL_ARREST"]');
    expect(await france.textContent('#history li[data-type="PROVISIONAL_ARREST"]')).toContain(ARREST_DETAILS);

    // Monaco withdraws the notice: its purpose is achieved.
    await monaco.goto(`${new URL(monacoLink).origin}/#/notices/${noticeId}`);
    await monaco.waitForSelector('#act-WITHDRAW-reason');
    await monaco.fill('#act-WITHDRAW-reason', WITHDRAW_REASON);
    await monaco.click('#act-WITHDRAW button[type=submit]');
    await stateIs(monaco, 'withdrawn');

    // The debrief: France's arrest timed from its own hit, with the details it typed.
    await facilitator.goto(`${server.url}/#/`);
    await facilitator.waitForSelector('#open-report');
    const [report] = await Promise.all([
      facilitator.context().waitForEvent('page'),
      facilitator.click('#open-report'),
    ]);
    await report.waitForLoadState();
    await report.screenshot({ path: path.join(ARTIFACTS, 'training-room-report.png'), fullPage: true });
    const arrest = report.locator('tr', { hasText: 'Provisionally arrested' }).filter({ hasText: 'Nice' });
    expect(await arrest.count()).toBe(1);
    const row = (await arrest.textContent())!;
    expect(row).toContain(ARREST_DETAILS);
    expect(row).toMatch(/after \d+ Hit reported/);
    expect(row).not.toMatch(/after \d+ Approved/);
    expect(await report.locator('tr', { hasText: WITHDRAW_REASON }).count()).toBe(1);
    expect(await report.locator('tr', { hasText: HIT_DETAILS }).count()).toBe(1);
    for (const page of [monaco, gs, france, report]) {
      expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
