/// <reference lib="dom" />
/**
 * The HTML report in a real browser (headless Chromium): the tutorials' report of one `check`
 * run shows every probe of that run's JSON with the same verdicts and counts, loads nothing
 * and logs no error, is usable with the keyboard and readable in dark mode. Screenshots go to
 * artifacts/ (kept by CI).
 */
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { formatProbeTally, isObserved, probeStatus, tallyProbes, type ProbeStatus } from '../../src/report/count-results.js';
import { renderHtml } from '../../src/report/render-html.js';
import type { ProbeResult, ScenarioResult } from '../../src/report/result.js';
import { runCli } from '../cli/run-cli.js';
import { CONFORMANCE, DIFF, shopRun } from '../fixtures/report-fixture.js';
import { launchChromium } from '../support/browser.js';

/** Where screenshots and pages are kept for CI (gitignored). */
export const ARTIFACTS = resolve('artifacts');

interface Opened {
  readonly page: Page;
  /** Console errors and uncaught exceptions. */
  readonly errors: string[];
  /** Every request other than the page itself. */
  readonly requests: string[];
}

async function open(browser: Browser, file: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
  const errors: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests };
}

interface ShownCell {
  readonly scenario: string;
  readonly step: number;
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly protocol: string;
  readonly expected: string;
  readonly predicted: string;
  readonly observed: string;
  readonly status: string;
  /** What the cell shows, whitespace removed: `E✓P✓`, `E–P✗O✓!`. */
  readonly text: string;
}

function cellsOf(page: Page): Promise<ShownCell[]> {
  return page.$$eval('button.cell', (buttons) =>
    buttons.map((b) => {
      const step = b.closest('article.step') as HTMLElement;
      const d = (b as HTMLElement).dataset;
      return {
        scenario: step.dataset.scenario!,
        step: Number(step.dataset.step),
        from: d.from!,
        to: d.to!,
        port: d.port!,
        protocol: d.protocol!,
        expected: d.expected!,
        predicted: d.predicted!,
        observed: d.observed!,
        status: d.status!,
        text: (b as HTMLElement).innerText.replace(/\s+/g, ''),
      };
    }),
  );
}

const SYMBOL: Readonly<Record<string, string>> = { allow: '✓', deny: '✗' };

/** What a cell must show for `p`. */
function expectedCell(result: ScenarioResult, step: number, p: ProbeResult, observing: boolean): ShownCell {
  const status = probeStatus(p);
  const observedMark = p.observed === null ? '?' : SYMBOL[p.observed]!;
  const flag = status === 'failed' ? '!' : status === 'inconclusive' ? '?' : '';
  return {
    scenario: result.scenario,
    step,
    from: p.from,
    to: p.to,
    port: String(p.port),
    protocol: p.protocol,
    expected: p.expected ?? '',
    predicted: p.predicted,
    observed: p.observed ?? '',
    status,
    text: `E${p.expected === null ? '–' : SYMBOL[p.expected]}P${SYMBOL[p.predicted]}${observing ? `O${observedMark}` : ''}${flag}`,
  };
}

const key = (c: Pick<ShownCell, 'scenario' | 'step' | 'from' | 'to' | 'port' | 'protocol'>): string => `${c.scenario} ${c.step} ${c.from} -> ${c.to}:${c.port}/${c.protocol}`;

/** Relative luminance contrast of two `rgb(r, g, b)` colours (WCAG 2). */
function contrast(a: string, b: string): number {
  const lum = (rgb: string): number => {
    const [r, g, bl] = rgb.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('report/render-html in headless Chromium', function () {
  this.timeout(180_000);
  let browser: Browser;
  const tutorialsHtml = join(ARTIFACTS, 'tutorials-check.html');
  let results: ScenarioResult[];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    // One run gives both: the JSON Lines on stdout and the HTML file.
    const run = await runCli(['check', 'scenarios/', '--output', 'json', '--html', tutorialsHtml]);
    expect(run.code, run.stderr).to.equal(0);
    results = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as ScenarioResult);
  });
  after(async () => browser?.close());

  it('the tutorials report loads without a console error and requests nothing', async () => {
    const { page, errors, requests } = await open(browser, tutorialsHtml);
    expect(errors).to.deep.equal([]);
    expect(requests).to.deep.equal([]);
    await page.screenshot({ path: join(ARTIFACTS, 'html-report.png') });
    await page.close();
  });

  it('shows every probe of the JSON once, with its verdicts, status and symbols', async () => {
    const { page } = await open(browser, tutorialsHtml);
    const shown = await cellsOf(page);
    const want = results.flatMap((r) => r.steps.flatMap((s) => s.probes.map((p) => expectedCell(r, s.index, p, isObserved(s.probes)))));
    expect(shown.length).to.equal(want.length);
    const byKey = new Map(shown.map((c) => [key(c), c]));
    expect(byKey.size, 'one cell per probe').to.equal(shown.length);
    for (const w of want) expect(byKey.get(key(w)), key(w)).to.deep.equal(w);
    await page.close();
  });

  it('shows the counts of the JSON: per status for the run, and per step', async () => {
    const { page } = await open(browser, tutorialsHtml);
    const totals = await page.$$eval('[data-scope="total"]', (els) => els.map((e) => [(e as HTMLElement).dataset.status!, Number(e.querySelector('b')!.textContent)] as const));
    const all = tallyProbes(results.flatMap((r) => r.steps.flatMap((s) => s.probes)));
    expect(Object.fromEntries(totals)).to.deep.equal({ passed: all.passed, failed: all.failed, unasserted: all.unasserted } satisfies Partial<Record<ProbeStatus, number>>);
    const steps = await page.$$eval('article.step', (els) => els.map((e) => [`${(e as HTMLElement).dataset.scenario} ${(e as HTMLElement).dataset.step}`, e.querySelector('[data-tally]')!.getAttribute('data-tally')] as const));
    const wantSteps = results.flatMap((r) => r.steps.map((s) => [`${r.scenario} ${s.index}`, formatProbeTally(tallyProbes(s.probes), isObserved(s.probes))] as const));
    expect(new Map(steps)).to.deep.equal(new Map(wantSteps));
    expect(await page.locator('.overall').innerText()).to.equal('✓ PASS');
    await page.close();
  });

  it('is usable with the keyboard: Enter explains a cell, arrows move, Escape closes', async () => {
    const { page, errors } = await open(browser, tutorialsHtml);
    const step = page.locator('article[data-scenario="three-tier"][data-step="4"]');
    const cell = step.locator('button.cell[data-from="netpol-demo/test"][data-to="netpol-demo/backend"]');
    await cell.focus();
    await page.keyboard.press('Enter');
    const detail = step.locator('.detail');
    await detail.waitFor({ state: 'visible' });
    const text = await detail.innerText();
    expect(text).to.include('test → backend:80/TCP');
    expect(text).to.include('closest is rule 1 (scenarios/manifests/three-tier/allow-frontend-to-backend.yaml:15)');
    expect(text).to.include('pod netpol-demo/test lacks app=frontend');
    await step.screenshot({ path: join(ARTIFACTS, 'html-report-step.png') });
    const before = await page.evaluate(() => document.activeElement?.id);
    // `test` is the last row: up moves to the cell above it.
    await page.keyboard.press('ArrowUp');
    const after = await page.evaluate(() => ({ id: document.activeElement?.id, isCell: document.activeElement?.matches('button.cell') }));
    expect(after.isCell).to.equal(true);
    expect(after.id).to.not.equal(before);
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal(before);
    expect(errors).to.deep.equal([]);
    await page.close();
  });

  describe('a failed, incomplete run with a conformance table and a diff', () => {
    const runHtml = join(ARTIFACTS, 'fixture-run.html');
    before(() => writeFileSync(runHtml, renderHtml({ results: [shopRun], conformance: CONFORMANCE, diff: DIFF, incomplete: 'interrupted (SIGINT)' })));

    it('lists the disagreements first; each jumps to its cell and explains it', async () => {
      const { page, errors } = await open(browser, runHtml);
      const jumps = page.locator('#disagreements button.jump');
      expect(await jumps.count()).to.equal(4);
      await jumps.nth(1).click();
      const focused = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.status);
      expect(focused).to.equal('failed');
      const detail = page.locator('.detail:not([hidden])');
      expect(await detail.innerText()).to.include('✗ FAILED');
      expect(await page.locator('#conformance tbody tr').count()).to.equal(CONFORMANCE.features.length);
      expect(await page.locator('#diff pre.diff span.add').count()).to.equal(1);
      expect(await page.locator('.incomplete').innerText()).to.include('INCOMPLETE: interrupted (SIGINT)');
      expect(await page.locator('svg .edge.unexpected').count()).to.be.greaterThan(0);
      expect(errors).to.deep.equal([]);
      await page.close();
    });

    it('is readable in dark mode: dark page, light text, failing cells with contrast', async () => {
      const { page, errors } = await open(browser, runHtml, 'dark');
      const colours = await page.evaluate(() => {
        const body = getComputedStyle(document.body);
        const failed = document.querySelector('button.cell.st-failed')!;
        const mark = failed.querySelector('.mk')!;
        return { bg: body.backgroundColor, fg: body.color, cellBg: getComputedStyle(failed).backgroundColor, mark: getComputedStyle(mark).color };
      });
      expect(colours.bg).to.equal('rgb(13, 17, 23)');
      expect(contrast(colours.fg, colours.bg)).to.be.greaterThan(7);
      expect(contrast(colours.mark, colours.cellBg)).to.be.greaterThan(4.5);
      await page.screenshot({ path: join(ARTIFACTS, 'html-report-dark.png') });
      expect(errors).to.deep.equal([]);
      await page.close();
    });
  });
});
