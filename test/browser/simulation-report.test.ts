import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { parseModel, shippedModelText } from '../../src/simulation/model';
import { combine, replicate } from '../../src/simulation/run';
import { renderSimulationReport } from '../../src/simulation/simulation-report';
import { CHROMIUM_ARGS, chromiumPath } from '../support/tools';

declare const document: { querySelectorAll(selector: string): { length: number; [i: number]: { textContent: string | null } } };

const browserPath = chromiumPath();
const describeWithBrowser = browserPath ? describe : describe.skip;
const ARTIFACTS = path.join(__dirname, '../../test-artifacts');

describeWithBrowser('the simulation report in headless Chromium', () => {
  let browser: Browser;
  let file: string;

  beforeAll(async () => {
    const parsed = parseModel(shippedModelText('interpol-2024'), { warmUpFrom: '2023-01-01' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const spec = { model: parsed.model, years: 1, seed: 3 };
    const results = [replicate(spec, 0), replicate(spec, 1)];
    const result = combine({ ...spec, modelName: 'interpol-2024' }, results, { wallSeconds: 2, replicationSeconds: [1, 1] });
    await mkdir(ARTIFACTS, { recursive: true });
    file = path.join(ARTIFACTS, 'simulation-report.html');
    await writeFile(file, await renderSimulationReport(result));
    browser = await chromium.launch({ executablePath: browserPath!, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('opens without errors or requests, with the calibration table and its five charts, and prints', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console: ${message.text()}`);
    });
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) problems.push(`outside: ${req.url()}`);
    });
    await page.goto(pathToFileURL(file).href);
    expect(await page.title()).toBe('Simulation: interpol-2024, seed 3');
    expect(await page.evaluate(() => document.querySelectorAll('figure svg').length)).toBe(5);
    const calibration = await page.evaluate(() => {
      const rows = document.querySelectorAll('table:first-of-type tbody tr');
      return Array.from({ length: rows.length }, (_, i) => rows[i]!.textContent ?? '');
    });
    expect(calibration[0]).toMatch(/^Red notices issued in 202415,548/);
    expect(calibration.some((row) => row.includes('held out'))).toBe(true);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(problems).toEqual([]);
  }, 60_000);
});
