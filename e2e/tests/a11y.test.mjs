// Accessibility: axe-core (the npm package, run inside the page) finds no critical or serious
// violation in any theme, in compare mode, in presenter mode, and with every panel open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { serve, launch, openPage, waitForEpochs, closeLesson } from '../tools/harness.mjs';

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
    await closeLesson(page);
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

// WCAG 2.x relative luminance and contrast ratio of two #rrggbb colours.
function luminance(hex) {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

test('every theme\'s colours, as the page and the charts draw them, are projector-safe (text 4.5:1, marks 3:1)', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=3&width=8`);
  await waitForEpochs(page, 1);
  for (const theme of ['light', 'dark', 'lecture']) {
    await page.selectOption('#ctl-theme', theme);
    await page.waitForFunction((t) => document.querySelector('.app').classList.contains(`theme-${t}`), theme);
    // The charts read these same custom properties (charts::Style::of), from the canvas.
    const v = await page.$eval('#chart-loss', (c) => {
      const cs = getComputedStyle(c);
      const names = ['--card', '--bg', '--fg', '--muted', '--accent', '--alarm', '--inf',
        ...[0, 1, 2, 3].flatMap((i) => [`--run-${i}`, `--run-text-${i}`])];
      // #rgb (the release build's minifier shortens #ffffff) read as #rrggbb, as the charts do.
      const long = (x) => (/^#[0-9a-f]{3}$/i.test(x) ? `#${[...x.slice(1)].map((d) => d + d).join('')}` : x);
      return Object.fromEntries(names.map((n) => [n, long(cs.getPropertyValue(n).trim())]));
    });
    for (const [name, value] of Object.entries(v)) assert.match(value, /^#[0-9a-f]{6}$/i, `${theme}: ${name} = '${value}'`);
    const need = (fg, bg, min) => {
      const r = contrast(v[fg], v[bg]);
      assert.ok(r >= min, `${theme}: ${fg} ${v[fg]} on ${bg} ${v[bg]} is ${r.toFixed(2)}:1, needs ${min}:1`);
    };
    for (const bg of ['--card', '--bg']) {
      need('--fg', bg, 4.5);
      need('--muted', bg, 4.5);
    }
    need('--accent', '--card', 4.5);
    for (let i = 0; i < 4; i++) {
      need(`--run-text-${i}`, '--card', 4.5);
      need(`--run-${i}`, '--card', 3);
    }
    need('--alarm', '--card', 3);
    need('--inf', '--card', 3);
  }
  assert.deepEqual(problems, []);
  await page.close();
});
