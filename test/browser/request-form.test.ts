import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { loadConfig } from '../../src/config/config';
import { start, type RunningServer } from '../../src/server';
import { bearer, createExercise } from '../support/fixtures';
import { CHROMIUM_ARGS, chromiumPath } from '../support/tools';

// What the functions evaluated in the page use of the browser (the tests' own lib has no DOM).
declare const document: {
  querySelector(selector: string): { textContent: string | null; getAttribute(name: string): string | null } | null;
  activeElement: { id: string } | null;
};
declare const window: { __xss?: number };
declare const location: { hash: string };

const HOSTILE_NAME = 'PETROVIC <img src=x onerror="window.__xss=1">';
const browserPath = chromiumPath();
const describeWithBrowser = browserPath ? describe : describe.skip;
const ARTIFACTS = path.join(__dirname, '../../test-artifacts');

describeWithBrowser('an NCB requests a notice from the dashboard', () => {
  let server: RunningServer;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await start({ ...loadConfig({}), port: 0, databaseUrl: undefined, dataDir: 'memory://', logLevel: 'silent' }, pino({ level: 'silent' }));
    browser = await chromium.launch({ executablePath: browserPath!, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(token: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // The one refusal the test provokes is logged by the browser as a failed request; it is checked below.
      if (message.type() === 'error' && !message.text().includes('400')) problems.push(`console: ${message.text()}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400 && !(res.status() === 400 && res.request().method() === 'POST')) problems.push(`${res.status()} ${res.url()}`);
    });
    await page.goto(server.url);
    await page.fill('#token', token);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#who:not(:empty)');
    return page;
  }

  it('fills the Red form, sees a field’s error beside it, fixes it, edits the draft and submits; the GS sees it', async () => {
    const http = request(server.url);
    const ex = await createExercise(http, ['MC', 'FR']);
    await http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).send({ action: 'resume' }).expect(200);

    const mc = await signedIn(ex.tokens['ncb:MC']!);
    await mc.click('a[href="#/request/RED"]');
    await mc.waitForSelector('#request-form');
    expect(await mc.textContent('#new-request-title')).toBe('Request a Red notice');
    // Fieldsets and labels come from the schema and the catalogue; enums and countries read as words.
    expect(await mc.textContent('fieldset[data-path="subject"] > legend')).toBe('The person');
    expect(await mc.textContent('fieldset[data-path="offence.warrant"] > legend')).toBe('Arrest warrant or judgment');
    expect(await mc.textContent('label[for="rf-offence-maxPenaltyYears"]')).toBe('Maximum penalty (years)');
    expect(await mc.textContent('#rf-offence-category option[value="armed_robbery"]')).toBe('Armed robbery');
    expect(await mc.textContent('#rf-extraditionFrom option[value="FR"]')).toBe('France');
    expect(await mc.getAttribute('#rf-subject-dateOfBirth', 'type')).toBe('date');
    expect(await mc.evaluate(() => document.querySelector('#rf-offence-summary')?.constructor.name)).toBe('HTMLTextAreaElement');

    await mc.fill('#rf-subject-familyName', HOSTILE_NAME);
    await mc.fill('#rf-subject-forename', 'Marko');
    await mc.selectOption('#rf-subject-sex', 'male');
    await mc.fill('#rf-subject-yearOfBirth', '1850');
    await mc.selectOption('#rf-subject-nationalities', ['RS']);
    await mc.fill('#rf-subject-fingerprintsRef', 'MC-AFIS-2026-0147');
    await mc.selectOption('#rf-offence-category', 'armed_robbery');
    await mc.fill('#rf-offence-summary', 'Armed robbery of a jewellery store in Monte-Carlo');
    await mc.click('button[value="save"]');

    // The API's 400 appears beside its field, which gets the focus; nothing was saved.
    await mc.waitForSelector('#rf-subject-yearOfBirth-error');
    expect(await mc.textContent('#rf-subject-yearOfBirth-error')).toMatch(/^Year of birth.*1900/);
    expect(await mc.evaluate(() => document.activeElement?.id)).toBe('rf-subject-yearOfBirth');
    expect(await mc.getAttribute('#rf-subject-yearOfBirth', 'aria-invalid')).toBe('true');

    await mc.fill('#rf-subject-yearOfBirth', '');
    await mc.fill('#rf-subject-dateOfBirth', '1984-03-12');
    await mc.click('button[value="save"]');
    await mc.waitForFunction(() => document.querySelector('#request-status')?.textContent === 'Draft saved.');
    expect(await mc.$('#rf-subject-yearOfBirth-error')).toBeNull();
    const noticeId = /#\/notices\/([0-9a-f-]{36})\/edit$/.exec(mc.url())![1]!;
    // The draft's checks mark what is still missing: the judicial data.
    expect(await mc.getAttribute('#request-checks [data-testid="check-RED-JUDICIAL-DATA"]', 'data-passed')).toBe('false');
    await mc.waitForSelector('[data-path="offence.warrant.reference"].missing');
    expect(await mc.textContent('#rf-offence-warrant-reference-missing')).toContain('A valid arrest warrant or judgment');
    expect(await mc.$('[data-path="subject.familyName"].missing')).toBeNull();

    // From the notice page, "Edit draft" opens the same form, filled in, markup shown back as text.
    await mc.click(`#new-request a[href="#/notices/${noticeId}"]`);
    await mc.waitForSelector('[data-testid="notice-state"]');
    await mc.click('#edit-draft');
    await mc.waitForSelector('#request-form');
    expect(await mc.inputValue('#rf-subject-familyName')).toBe(HOSTILE_NAME);
    expect(await mc.textContent('#new-request-title')).toContain(HOSTILE_NAME);
    expect(await mc.inputValue('#rf-subject-dateOfBirth')).toBe('1984-03-12');
    await mc.fill('#rf-offence-law', 'Code pénal monégasque, art. 309');
    await mc.fill('#rf-offence-maxPenaltyYears', '20');
    await mc.selectOption('#rf-offence-basis', 'prosecution');
    await mc.fill('#rf-offence-warrant-reference', 'MC-2026-AW-031');
    await mc.fill('#rf-offence-warrant-issuedOn', '2026-10-02');
    await mc.fill('#rf-offence-warrant-authority', 'Juge d’instruction, Monaco');
    await mc.selectOption('#rf-extraditionFrom', ['FR', 'IT']);
    expect(await mc.textContent('#rf-extraditionFrom-chosen')).toBe('Chosen: France, Italy');
    await mc.click('button[value="save"]');
    await mc.waitForFunction(() => document.querySelector('#request-status')?.textContent === 'Draft saved.');
    await mc.waitForFunction(() => !document.querySelector('[data-path="offence.warrant.reference"].missing'));
    expect(await mc.getAttribute('#request-checks [data-testid="check-RED-JUDICIAL-DATA"]', 'data-passed')).toBe('true');
    await mkdir(ARTIFACTS, { recursive: true });
    await mc.screenshot({ path: path.join(ARTIFACTS, 'request-form.png'), fullPage: true });

    // Submitted unchanged, the draft is not saved again: one SUBMIT follows the last save.
    await mc.click('button[value="submit"]');
    await mc.waitForFunction(() => document.querySelector('[data-testid="notice-state"]')?.getAttribute('data-state') === 'submitted');
    expect(await mc.$('#edit-draft')).toBeNull();
    expect(await mc.evaluate(() => document.querySelector('#request img') === null && window.__xss === undefined)).toBe(true);
    await mc.close();

    // The General Secretariat sees it submitted, and never the request form.
    const gs = await signedIn(ex.tokens.gs!);
    await gs.waitForSelector(`[data-testid="state-${noticeId}"]`);
    expect(await gs.getAttribute(`[data-testid="state-${noticeId}"]`, 'data-state')).toBe('submitted');
    expect(await gs.isHidden('#request-actions')).toBe(true);
    await gs.goto(`${server.url}/#/request/RED`);
    await gs.waitForFunction(() => location.hash === '#/');
    expect(await gs.isHidden('#request')).toBe(true);
    await gs.close();

    const notice = (await http.get(`/api/notices/${noticeId}`).set(bearer(ex.tokens.gs!)).expect(200)).body;
    expect(notice).toMatchObject({ state: 'submitted', subject: { familyName: HOSTILE_NAME, dateOfBirth: '1984-03-12', nationalities: ['RS'] }, extraditionFrom: ['FR', 'IT'] });
    expect(notice.checks.filter((c: { passed: boolean; id: string }) => !c.passed).map((c: { id: string }) => c.id)).toEqual([]);
    const history = (await http.get(`/api/notices/${noticeId}/history`).set(bearer(ex.facilitator)).expect(200)).body.items;
    expect(history.map((h: { type: string }) => h.type)).toEqual(['CREATE', 'UPDATE_DRAFT', 'SUBMIT']);
    expect(problems).toEqual([]);
  }, 90_000);
});
