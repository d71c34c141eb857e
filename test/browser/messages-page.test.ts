import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { loadConfig } from '../../src/config/config';
import { start, type RunningServer } from '../../src/server';
import { createExercise, publishedNotice, redRequest } from '../support/fixtures';
import { CHROMIUM_ARGS, chromiumPath } from '../support/tools';

declare const document: {
  getElementById(id: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
};

const browserPath = chromiumPath();
const describeWithBrowser = browserPath ? describe : describe.skip;

/** Text as it reads on screen: runs of white space are one space. */
const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

/**
 * Messages as two teams use them from the page alone: France writes to Monaco and the GS about
 * Monaco's notice; Monaco sees it unread, marks it read and answers in the thread; France sees the
 * read receipt and the answer live, and both in the notice's history.
 */
describeWithBrowser('the messages page in headless Chromium', () => {
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
    await page.waitForSelector('#nav-messages:not([hidden])');
    return page;
  }

  it('lets France write, Monaco read and answer, and shows the thread and its receipts to both', async () => {
    const http = request(server.url);
    const ex = await createExercise(http, ['MC', 'FR', 'DE']);
    const notice = await publishedNotice(http, ex, redRequest());

    const france = await signedIn(ex.tokens['ncb:FR']!);
    await france.click('#nav-messages');
    await france.waitForSelector('[data-testid="compose"]');
    await france.selectOption('#compose-to', ['MC', 'gs']);
    await france.selectOption('#compose-about', notice.id);
    await france.selectOption('#compose-priority', 'urgent');
    await france.fill('#compose-subject', 'Possible sighting, Nice');
    await france.fill('#compose-body', 'A man matching the notice boarded at Nice airport.');
    await france.click('[data-testid="compose"] button[type=submit]');
    await france.waitForSelector('#message-threads [data-message]');
    const sent = squash(await france.textContent('#message-threads [data-message]'));
    expect(sent).toContain('Possible sighting, Nice');
    expect(sent).toContain('From France NCB to General Secretariat, Monaco NCB');
    expect(sent).toContain('Urgent');
    expect(sent).toContain('Not read yet');

    const monaco = await signedIn(ex.tokens['ncb:MC']!);
    await monaco.waitForFunction(() => document.getElementById('nav-messages')?.textContent === 'Messages (1 unread)');
    await monaco.click('#nav-messages');
    await monaco.click('#message-threads [data-unread=true] button');
    await monaco.waitForSelector('#message-threads [data-unread=false]');
    expect(squash(await monaco.textContent('#nav-messages'))).toBe('Messages');
    await monaco.click('#message-threads details summary');
    await monaco.fill('#message-threads details textarea', 'The warrant stands; extradition will be sought.');
    await monaco.click('#message-threads details button[type=submit]');
    await monaco.waitForFunction(() => document.querySelectorAll('#message-threads [data-message]').length === 2);

    // France's page follows live: the receipt, then the answer in the same thread.
    await france.waitForFunction(() => document.querySelectorAll('#message-threads [data-message]').length === 2);
    const thread = squash(await france.textContent('#message-threads .thread'));
    expect(thread).toContain('Read by Monaco NCB');
    expect(thread).toContain('Re: Possible sighting, Nice');
    expect(thread).toContain('The warrant stands; extradition will be sought.');

    // The notice's history shows the thread among its events.
    await france.goto(`${server.url}/#/notices/${notice.id}`);
    await france.waitForSelector('#history [data-type=MESSAGE]');
    const history = squash(await france.textContent('#history'));
    expect(history).toContain('Message from France NCB to General Secretariat, Monaco NCB');
    expect(history).toContain('Answer from Monaco NCB to France NCB');

    // Germany, neither sender nor recipient, sees none of it.
    const germany = await signedIn(ex.tokens['ncb:DE']!);
    await germany.click('#nav-messages');
    await germany.waitForSelector('#message-threads p');
    expect(squash(await germany.textContent('#message-threads'))).toBe('No messages yet.');
    expect(problems).toEqual([]);
  }, 60_000);
});
