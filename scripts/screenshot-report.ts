/**
 * `npm run docs:screenshot`: the HTML report of the tutorials (`check scenarios/ --html`),
 * opened in headless Chromium with one denied cell explained, saved as docs/html-report.png
 * (light) and docs/html-report-dark.png. Look at both before committing them.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../src/cli/main.js';
import { launchChromium } from '../spec/support/browser.js';

const html = resolve('artifacts', 'tutorials-check.html');
mkdirSync('artifacts', { recursive: true });
const code = await main(['check', 'scenarios/', '--html', html], { stdout: () => undefined, stderr: (t) => process.stderr.write(t), env: process.env, isTTY: false });
if (code !== 0) throw new Error(`check exited ${code}`);

const browser = await launchChromium();
try {
  for (const [scheme, file] of [['light', 'html-report.png'], ['dark', 'html-report-dark.png']] as const) {
    const page = await browser.newPage({ viewport: { width: 1360, height: 1020 }, colorScheme: scheme, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(html).href);
    // three-tier, step 5 of 6: an unlabelled pod is kept from the backend; the explanation names why.
    const step = page.locator('article[data-scenario="three-tier"][data-step="4"]');
    await step.locator('button.cell[data-from="netpol-demo/test"][data-to="netpol-demo/backend"]').click();
    await step.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY));
    await page.screenshot({ path: join('docs', file) });
    await page.close();
    process.stdout.write(`wrote docs/${file}\n`);
  }
} finally {
  await browser.close();
}
