// Accessibility: axe-core (the npm package, run inside the page) finds no critical or serious
// violation in any theme, in compare mode, in presenter mode, and with every panel open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { serve, launch, openPage, waitForEpochs } from '../tools/harness.mjs';

const require = createRequire(import.meta.url);
let server, browser, axeSource;
before(async () => {
  server = await serve();
  browser = await launch();
  axeSource = await fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
});
after(async () => { await browser?.close(); await server?.close(); });

/** Runs axe on the page as it is; returns the critical and serious violations, readable. */
async function serious(page) {
  // Evaluated through the DevTools protocol, so the page's CSP (no foreign scripts) stays on.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  }));
  return result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1, 2).join('')}`).join(' | ')}`);
}

/** Opens every panel that starts closed. */
async function openPanels(page) {
  await page.$$eval('details', (ds) => ds.forEach((d) => { d.open = true; }));
}

for (const theme of ['light', 'dark', 'lecture']) {
  test(`axe: no serious violation in the ${theme} theme, single run and compare mode, panels open`, async () => {
    const { page, problems } = await openPage(browser, `${server.url}?theme=${theme}&depth=4&width=16`);
    await waitForEpochs(page, 1);
    await page.keyboard.press('e');
    await waitForEpochs(page, 2);
    await openPanels(page);
    assert.deepEqual(await serious(page), [], 'single run');
    await page.goto(`${server.url}?theme=${theme}&lesson=clip_modes`);
    await waitForEpochs(page, 1);
    await page.keyboard.press('e');
    await waitForEpochs(page, 2);
    await openPanels(page);
    assert.deepEqual(await serious(page), [], 'four runs');
    await page.keyboard.press('?');
    assert.deepEqual(await serious(page), [], 'list of keys open');
    await page.keyboard.press('Escape');
    await page.keyboard.press('p');
    await page.waitForFunction(() => document.querySelector('.app').classList.contains('presenting'));
    assert.deepEqual(await serious(page), [], 'presenter mode');
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('axe: a diverged run and a refused link are shown accessibly', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?lesson=init_scale&depth=oops`);
  await waitForEpochs(page, 2).catch(() => {});
  await page.keyboard.press('e');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-run-summary]')].some((e) => e.dataset.verdict === 'diverged'), null, { timeout: 30000 });
  await openPanels(page);
  assert.deepEqual(await serious(page), []);
  assert.deepEqual(problems, []);
  await page.close();
});
