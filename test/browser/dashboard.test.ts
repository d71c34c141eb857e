import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { loadConfig } from '../../src/config/config';
import { MACHINE_IDS } from '../../src/diagrams/diagram';
import { MONACO_RED_REQUEST } from '../../src/notices/example-requests';
import { start, type RunningServer } from '../../src/server';
import { bearer, createExercise, redRequest, send } from '../support/fixtures';
import { CHROMIUM_ARGS, chromiumPath } from '../support/tools';

// What the functions evaluated in the page use of the browser (the tests' own lib has no DOM).
declare const document: { querySelector(selector: string): { textContent: string | null; getAttribute(name: string): string | null } | null };
declare const window: unknown;

// Markup as data: each would be an element, run a script or set a flag, if the page took it for HTML.
const HOSTILE_FAMILY_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE_FORENAME = '<img src=x onerror="window.__xss=1">';
const HOSTILE_TEXT = '<img src=x onerror="window.__xss=2"><script>window.__xss=3</script>';
const HOSTILE_EXERCISE = 'Drill <img src=x onerror="window.__xss=4">';

/** Text as it reads on screen: runs of white space are one space. */
const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

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
    // The teams act through the API between the facilitator's advances, on a paused clock: the exercise lets them.
    const created = (await http.post('/api/exercises').send({ scenario: await readFile(MONACO, 'utf8'), teams: ['monaco', 'france'], freezeWhilePaused: false }).expect(201)).body;
    const token = (key: string) => created.participants.find((p: { key: string }) => p.key === key).token as string;
    // Monaco's team requests and submits by hand; the script plays the General Secretariat.
    const notice = (await http.post(`/api/exercises/${created.id}/notices`).set(bearer(token('monaco'))).send(MONACO_RED_REQUEST).expect(201)).body;
    await http.post(`/api/notices/${notice.id}/events`).set(bearer(token('monaco'))).send({ type: 'SUBMIT' }).expect(200);
    await http.post(`/api/exercises/${created.id}/clock`).set(bearer(created.facilitatorToken)).send({ action: 'advance', by: 'P1DT3H' }).expect(200);

    await page.goto(server.url);
    await page.fill('#token', created.facilitatorToken);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="state-${notice.id}"]`);
    expect(await page.getAttribute(`[data-testid="state-${notice.id}"]`, 'data-state')).toBe('published');
    expect(await page.textContent(`[data-testid="state-${notice.id}"]`)).toBe('Published published');
    // The last change on the simulated clock (the script approved a day after the submission), wall time beside it.
    const listed = (await http.get(`/api/notices/${notice.id}`).set(bearer(created.facilitatorToken)).expect(200)).body;
    expect(await page.getAttribute(`[data-testid="changed-${notice.id}"] time`, 'datetime')).toBe(listed.lastEventAt);
    expect(await page.textContent('#who')).toContain('Monaco fingerprints · Facilitator');

    // By keyboard: the notice's link, then Enter.
    await page.focus(`a[href="#/notices/${notice.id}"]`);
    await page.keyboard.press('Enter');
    // The request, its checks and the deadlines come first; the diagram and the map are behind a toggle.
    await page.waitForSelector('[data-testid="check-RED-ARTICLE-3"]');
    expect(await page.textContent('#request [data-field="offence.warrant.reference"]')).toBe('MC-2026-AW-031');
    expect(await page.textContent('#request [data-field="offence.category"]')).toBe('Armed robbery armed_robbery');
    expect(await page.textContent('#request [data-field="extraditionFrom"]')).toBe('France, Italy, Serbia');
    expect(await page.getAttribute('[data-testid="check-RED-JUDICIAL-DATA"]', 'data-passed')).toBe('true');
    expect(await page.textContent('[data-testid="check-RED-JUDICIAL-DATA"]')).toContain('A valid arrest warrant or judgment');
    expect(squash(await page.textContent('#deadlines'))).toMatch(/Renewal window opens \d+ \w+ 20\d\d \(in 4\.5 years\)/);
    expect(squash(await page.textContent('#deadlines'))).toMatch(/Expires \d+ \w+ 20\d\d \(in 5 years\)/);
    expect(await page.isVisible('#diagram')).toBe(false);
    await page.click('#more summary');
    await page.waitForSelector('#diagram svg');
    await page.waitForSelector('#map svg path[data-country="FR"]');
    expect(await page.getAttribute('[data-testid="notice-state"]', 'data-state')).toBe('published');
    expect(await page.getAttribute('#map path[data-country="RS"]', 'data-state')).toBe('acknowledged');
    // Monaco, the requester, is too small for the map's shapes: it is a dot.
    expect(await page.getAttribute('#map circle[data-country="MC"]', 'fill')).toBe('#1d1d1f');

    // France reports a hit through the API: its country on the map changes without a reload.
    await http.post(`/api/notices/${notice.id}/circulation/FR/events`).set(bearer(token('france'))).send({ type: 'REPORT_HIT', details: 'Nice airport' }).expect(200);
    await page.waitForSelector('#map path[data-country="FR"][data-state="hit"]', { timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector('#history')?.textContent?.includes('Hit reported'));
    expect(squash(await page.textContent('#history li[data-type="REPORT_HIT"]'))).toContain('by NCB Paris (National Central Bureau of France) on the record of France');
    expect(squash(await page.textContent('#history li[data-type="REPORT_HIT"]'))).toContain('Details: “Nice airport”');

    // Monaco withdraws: the notice's state, its diagram and every open record follow.
    await http.post(`/api/notices/${notice.id}/events`).set(bearer(token('monaco'))).send({ type: 'WITHDRAW', reason: 'Arrested in France' }).expect(200);
    await page.waitForSelector('[data-testid="notice-state"][data-state="withdrawn"]', { timeout: 10_000 });
    expect(squash(await page.textContent('#history li[data-type="WITHDRAW"]'))).toContain('Reason: “Arrested in France”');
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
    const gs = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await gs.goto(server.url);
    await gs.fill('#token', token('secretariat'));
    await gs.keyboard.press('Enter');
    await gs.click(`a[href="#/notices/${noticeId}"]`);
    // The scenario starts paused: the page says so, and an action is refused in the API's words.
    expect(await gs.textContent('#clock-paused')).toContain('Paused by the facilitator');
    await gs.click('#act-START_REVIEW button[type=submit]');
    await gs.waitForFunction(() => (document.querySelector('#act-START_REVIEW-error')?.textContent ?? '').length > 0);
    expect(await gs.textContent('#act-START_REVIEW-error')).toMatch(/^The exercise is paused by the facilitator: /);
    await http.post(`/api/exercises/${created.id}/clock`).set(bearer(created.facilitatorToken)).send({ action: 'resume' }).expect(200);
    // Buttons and boxes in words, the codes as small text beside.
    expect(await gs.textContent('#act-START_REVIEW button[type=submit]')).toBe('Start the review');
    await gs.click('#act-START_REVIEW button[type=submit]');
    await gs.waitForSelector('[data-testid="notice-state"][data-state="under_review"]');
    // On a 1366×768 screen the actions, the request, its checks and the history start in the first view.
    await mkdir(ARTIFACTS, { recursive: true });
    await gs.screenshot({ path: path.join(ARTIFACTS, 'dashboard-gs-review-1366x768.png') });
    for (const pane of ['#act-APPROVE', '#request', '#checks', '#history']) {
      expect((await gs.locator(pane).boundingBox())!.y).toBeLessThan(768);
    }
    // APPROVE without clearing Article 3 is refused, and the page says why; then with it, published.
    expect(await gs.textContent('#act-APPROVE button[type=submit]')).toBe('Approve and publish');
    expect(await gs.textContent('label:has(#act-APPROVE-article3Cleared)')).toContain(
      'Article 3 cleared: no predominantly political, military, religious or racial character article3Cleared',
    );
    await gs.click('#act-APPROVE button[type=submit]');
    await gs.waitForFunction(() => (document.querySelector('#act-APPROVE-error')?.textContent ?? '').length > 0);
    expect(await gs.textContent('#act-APPROVE-error')).toContain('Tick “Article 3 cleared: no predominantly political');
    expect(await gs.getAttribute('#act-APPROVE-article3Cleared', 'aria-invalid')).toBe('true');
    await gs.check('#act-APPROVE-article3Cleared');
    await gs.click('#act-APPROVE button[type=submit]');
    await gs.waitForSelector('[data-testid="notice-state"][data-state="published"]');

    // A second request, refused from the dashboard on the grounds the GS ticks.
    const other = (await http.post(`/api/exercises/${created.id}/notices`).set(bearer(token('monaco'))).send(MONACO_RED_REQUEST).expect(201)).body;
    await send(http, token('monaco'), other.id, { type: 'SUBMIT' });
    await gs.goto(`${server.url}/#/notices/${other.id}`);
    await gs.click('#act-START_REVIEW button[type=submit]');
    await gs.waitForSelector('#act-REFUSE-grounds');
    await gs.fill('#act-REFUSE-reason', 'Predominantly political');
    expect(await gs.textContent('#act-REFUSE-grounds')).toContain('Article 3: political, military, religious or racial character ARTICLE_3');
    await gs.check('#act-REFUSE-grounds input[value=ARTICLE_3]');
    await gs.check('#act-REFUSE-grounds input[value=ARTICLE_2]');
    await gs.click('#act-REFUSE button[type=submit]');
    await gs.waitForSelector('[data-testid="notice-state"][data-state="refused"]');
    const refusal = (await http.get(`/api/notices/${other.id}/history`).set(bearer(created.facilitatorToken)).expect(200)).body.items.at(-1);
    expect(refusal.payload).toMatchObject({ reason: 'Predominantly political', grounds: ['ARTICLE_2', 'ARTICLE_3'] });
    expect(squash(await gs.textContent('#history li[data-type="REFUSE"]'))).toContain('Article 2: not in the spirit of human rights');
    await gs.close();

    // France's team reports a hit on its own record; the form wants the details the API requires.
    const fr = await browser.newPage();
    await fr.goto(server.url);
    await fr.fill('#token', token('france'));
    await fr.keyboard.press('Enter');
    await fr.click(`a[href="#/notices/${noticeId}"]`);
    await fr.waitForSelector('[data-testid="own-record"]');
    expect(await fr.getAttribute('[data-testid="own-record"]', 'data-state')).toBe('received');
    // A recipient sees what was requested once the notice is published.
    expect(await fr.textContent('#request [data-field="subject.fingerprintsRef"]')).toBe('MC-AFIS-2026-0147');
    expect(await fr.textContent('#request [data-field="offence.warrant.authority"]')).toMatch(/^Juge d.instruction, Monaco$/);
    expect(await fr.getAttribute('#rec-REPORT_HIT-details', 'required')).not.toBeNull();
    await fr.fill('#rec-REPORT_HIT-details', 'Stopped at Nice airport');
    await fr.click('#rec-REPORT_HIT button[type=submit]');
    await fr.waitForSelector('[data-testid="own-record"][data-state="hit"]');
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

  it('shows markup in names and free text as text, in the list, the notice’s page, its forms and the report, and runs none of it', async () => {
    const http = request(server.url);
    const ex = await createExercise(http, ['MC', 'FR'], HOSTILE_EXERCISE);
    const [mc, fr, gs] = [ex.tokens['ncb:MC']!, ex.tokens['ncb:FR']!, ex.tokens.gs!];
    const subject = { ...(redRequest().subject as object), familyName: HOSTILE_FAMILY_NAME, forename: HOSTILE_FORENAME, description: HOSTILE_TEXT };
    const id = (await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(mc)).send(redRequest({ subject })).expect(201)).body.id as string;
    await send(http, mc, id, { type: 'SUBMIT' });
    await send(http, gs, id, { type: 'START_REVIEW' });
    await send(http, gs, id, { type: 'REQUEST_INFO', question: HOSTILE_TEXT });
    await send(http, mc, id, { type: 'PROVIDE_INFO', answer: HOSTILE_TEXT, changes: { subject: { familyName: HOSTILE_FAMILY_NAME } } });
    await send(http, gs, id, { type: 'APPROVE', article3Cleared: true });
    const name = `${HOSTILE_FAMILY_NAME} ${HOSTILE_FORENAME}`;

    // A context of its own, so that any dialog, page error or flag is this test's, in every page it opens.
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const seen: string[] = [];
    context.on('dialog', (dialog) => {
      seen.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    context.on('weberror', (error) => seen.push(`page error: ${error.error().message}`));
    context.on('request', (req) => {
      if (new URL(req.url()).pathname === '/x') seen.push(`image loaded: ${req.url()}`);
    });
    // An <img src=x> taken for markup would be in the page and load /x. Its onerror would then run, were it not for
    // the page's CSP (no inline handlers): the test does not lean on that, the element or the load is failure enough.
    const ran = async (p: Page) =>
      p.evaluate(async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return { flag: (window as any).__xss, img: document.querySelector('img[src=x]') !== null };
      });
    const clean = { flag: undefined, img: false };

    // France's team: the list, the notice's page, its record's forms.
    const page = await context.newPage();
    await page.goto(server.url);
    await page.fill('#token', fr);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`a[href="#/notices/${id}"]`);
    expect(await page.textContent(`a[href="#/notices/${id}"]`)).toBe(name);
    expect(await page.textContent('#who')).toBe(`${HOSTILE_EXERCISE} · National Central Bureau, France`);
    expect(await ran(page)).toEqual(clean);
    await page.click(`a[href="#/notices/${id}"]`);
    await page.waitForSelector('[data-testid="own-record"]');
    expect(await page.textContent('#notice-title')).toBe(`Red notice: ${name}`);
    expect(squash(await page.textContent('#history li[data-type="REQUEST_INFO"]'))).toContain('Information requested REQUEST_INFO by General Secretariat');
    expect(squash(await page.textContent('#history li[data-type="REQUEST_INFO"]'))).toContain('Under review by the General Secretariat → Information requested from the NCB');
    expect(squash(await page.textContent('#history li[data-type="REQUEST_INFO"]'))).toContain(`Question to the NCB: “${HOSTILE_TEXT}”`);
    expect(squash(await page.textContent('#history li[data-type="PROVIDE_INFO"]'))).toContain('by National Central Bureau of Monaco');
    expect(squash(await page.textContent('#history li[data-type="PROVIDE_INFO"]'))).toContain(`Answer: “${HOSTILE_TEXT}”`);
    expect(squash(await page.textContent('#history li[data-type="PROVIDE_INFO"]'))).toContain(`Family name: “${HOSTILE_FAMILY_NAME}”`);
    expect(await page.textContent('#request [data-field="subject.description"]')).toBe(HOSTILE_TEXT);
    // Markup typed into a form goes to the API as the text it is.
    await page.fill('#rec-REPORT_HIT-details', HOSTILE_TEXT);
    await page.click('#rec-REPORT_HIT button[type=submit]');
    await page.waitForSelector('[data-testid="own-record"][data-state="hit"]');
    await page.waitForSelector('#history li[data-type="REPORT_HIT"]');
    expect(squash(await page.textContent('#history li[data-type="REPORT_HIT"]'))).toContain(`Details: “${HOSTILE_TEXT}”`);
    // Live: Monaco withdraws; the state follows and the change is announced by name.
    await send(http, mc, id, { type: 'WITHDRAW', reason: HOSTILE_TEXT });
    await page.waitForSelector('[data-testid="notice-state"][data-state="withdrawn"]');
    expect(await page.textContent('#live')).toBe(`${name} is now Withdrawn`);
    expect(squash(await page.textContent('#history li[data-type="WITHDRAW"]'))).toContain(`Reason: “${HOSTILE_TEXT}”`);
    expect(await ran(page)).toEqual(clean);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-hostile-names.png'), fullPage: true });

    // The facilitator's list and the debrief report, which names the exercise.
    const facilitator = await context.newPage();
    await facilitator.goto(server.url);
    await facilitator.fill('#token', ex.facilitator);
    await facilitator.keyboard.press('Enter');
    await facilitator.waitForSelector(`[data-testid="state-${id}"]`);
    expect(await facilitator.textContent(`a[href="#/notices/${id}"]`)).toBe(name);
    const [report] = await Promise.all([context.waitForEvent('page'), facilitator.click('#open-report')]);
    await report.waitForLoadState();
    expect(await report.title()).toBe(`Debrief: ${HOSTILE_EXERCISE}`);
    expect(await ran(report)).toEqual(clean);
    expect(await ran(facilitator)).toEqual(clean);

    const history = (await http.get(`/api/notices/${id}/history`).set(bearer(ex.facilitator)).expect(200)).body.items;
    expect(history.find((h: { type: string }) => h.type === 'REPORT_HIT').payload).toEqual({ details: HOSTILE_TEXT });
    expect(seen).toEqual([]);
    await context.close();
  }, 60_000);

  it('names a subject requested without names “(no name given)”', async () => {
    const http = request(server.url);
    const ex = await createExercise(http, ['MC']);
    // A request without names is saved as a draft (RED-IDENTIFIERS will fail on SUBMIT).
    const { familyName: _family, forename: _fore, ...subject } = redRequest().subject as Record<string, unknown>;
    const id = (await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest({ subject })).expect(201))
      .body.id;
    const nameless = await browser.newPage();
    await nameless.goto(server.url);
    await nameless.fill('#token', ex.tokens['ncb:MC']!);
    await nameless.keyboard.press('Enter');
    await nameless.waitForSelector(`a[href="#/notices/${id}"]`);
    expect(await nameless.textContent(`a[href="#/notices/${id}"]`)).toBe('(no name given)');
    await nameless.click(`a[href="#/notices/${id}"]`);
    await nameless.waitForSelector('[data-testid="notice-state"]');
    expect(await nameless.textContent('#notice-title')).toBe('Red notice: (no name given)');
    await nameless.close();
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
