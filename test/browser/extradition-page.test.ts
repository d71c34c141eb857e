import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { loadConfig } from '../../src/config/config';
import { start, type RunningServer } from '../../src/server';
import { bearer, createExercise, publishedNotice, redRequest } from '../support/fixtures';
import { CHROMIUM_ARGS, chromiumPath } from '../support/tools';

const browserPath = chromiumPath();
const describeWithBrowser = browserPath ? describe : describe.skip;

/** Text as it reads on screen: runs of white space are one space. */
const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

/**
 * The extradition step from the notice page alone: after France's provisional arrest, Monaco sees the
 * release deadline on France's record and sends the formal request; France refuses, choosing the basis
 * in words; the refusal shows on the notice as an addendum.
 */
describeWithBrowser('the extradition step on the notice page in headless Chromium', () => {
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

  async function onNotice(token: string, noticeId: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    await page.goto(server.url);
    await page.fill('#token', token);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#nav-messages:not([hidden])');
    await page.goto(`${server.url}/#/notices/${noticeId}`);
    await page.waitForSelector('#notice-title:not(:empty)');
    return page;
  }

  it('lets Monaco ask for extradition and France refuse it with its basis, shown as an addendum', async () => {
    const http = request(server.url);
    const ex = await createExercise(http, ['MC', 'FR']);
    const notice = await publishedNotice(http, ex, redRequest());
    const france = (body: object) =>
      http
        .post(`/api/notices/${notice.id}/circulation/FR/events`)
        .set(bearer(ex.tokens['ncb:FR']!))
        .send(body)
        .expect(200);
    await france({ type: 'REPORT_HIT', details: 'Stopped at the Menton border post' });
    await france({ type: 'PROVISIONAL_ARREST' });

    const monaco = await onNotice(ex.tokens['ncb:MC']!, notice.id);
    await monaco.waitForSelector('[data-testid="held-record"][data-country="FR"]');
    const held = squash(await monaco.textContent('[data-testid="held-record"][data-country="FR"]'));
    expect(held).toContain('France’s record: Provisionally arrested');
    expect(held).toContain('Extradition request due (the person is released if none by then)');
    await monaco.click('#req-FR-EXTRADITION_REQUESTED button[type=submit]');
    // Asked: the form goes, and so does the release deadline.
    await monaco.waitForSelector('[data-testid="held-record"][data-country="FR"]', { state: 'detached' });
    expect(squash(await monaco.textContent('#deadlines'))).not.toContain('Extradition request due');

    const page = await onNotice(ex.tokens['ncb:FR']!, notice.id);
    await page.waitForSelector('#rec-REFUSE_EXTRADITION');
    expect(squash(await page.textContent('[data-testid="own-record"]'))).toContain('Extradition requested');
    await page.selectOption('#rec-REFUSE_EXTRADITION-basis', 'nationality');
    await page.fill('#rec-REFUSE_EXTRADITION-reason', 'He holds French nationality');
    await page.click('#rec-REFUSE_EXTRADITION button[type=submit]');
    await page.waitForSelector('[data-testid="addenda"]');
    const addenda = squash(await page.textContent('[data-testid="addenda"]'));
    expect(addenda).toContain('France refused extradition (The person is a national of the requested country)');
    expect(addenda).toContain('“He holds French nationality”');
    expect(squash(await page.textContent('[data-testid="own-record"]'))).toContain('Extradition refused');
    expect(problems).toEqual([]);
  }, 60_000);
});
