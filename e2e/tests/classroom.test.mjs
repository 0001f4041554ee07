// The classroom: every shortcut key and its list, presenter mode at projector sizes, the
// phone layout, and labels on every button.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, openPage, epochs, waitForEpochs, query, closeLesson } from '../tools/harness.mjs';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
  await fs.mkdir(SHOTS, { recursive: true });
});
after(async () => { await browser?.close(); await server?.close(); });

const app = (page, attr) => page.$eval('.app', (el, a) => el.getAttribute(a), attr);
const helpOpen = (page) => page.$eval('.overlay', (el) => !el.classList.contains('hidden'));
const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

test('? opens the list of every key, focus moves into it, Esc closes it and hands the keys back to the page', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=3&width=8`);
  await waitForEpochs(page, 1);
  assert.equal(await helpOpen(page), false);
  await page.keyboard.press('?');
  assert.equal(await helpOpen(page), true);
  assert.equal(await focused(page), 'help-close');
  const rows = await page.$$eval('#shortcut-help tr', (trs) => trs.map((t) => t.textContent));
  for (const key of ['Space', '→', 'E', 'R', 'N', 'C', 'M', 'P', 'F', 'PgDn', 'PgUp', '1–9', 'B', '?', 'Esc']) {
    assert.ok(rows.some((r) => r.startsWith(key) || r.includes(`${key} `) || r.includes(`/ ${key}`)), `${key} listed: ${rows}`);
  }
  // While the list is open, the training keys do nothing.
  await page.keyboard.press('e');
  await page.waitForTimeout(400);
  assert.equal(await epochs(page), 1);
  await page.keyboard.press('Escape');
  assert.equal(await helpOpen(page), false);
  assert.equal(await focused(page), 'BODY', 'not the ? button, where Space would open the list again');
  // The button opens it too; a click on the backdrop closes it.
  await page.click('#btn-help');
  assert.equal(await helpOpen(page), true);
  await page.mouse.click(5, 400);
  assert.equal(await helpOpen(page), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('every training key acts, capitals too; a menu choice hands the keys back; typing does not trigger them', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=3&width=8&epochs=500`);
  await waitForEpochs(page, 1);
  // Step: one mini-batch (the header tells the step).
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /step 1\//.test(document.querySelector('.status').textContent));
  await page.keyboard.press('E');                        // Shift+E (a capital)
  await waitForEpochs(page, 2);
  await page.keyboard.press('e');
  await waitForEpochs(page, 3);
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'playing');
  await page.keyboard.press('K');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'paused');
  // Reset: back to epoch 0 only (measured again).
  await page.keyboard.press('r');
  await page.waitForFunction(() => document.querySelector('.app').dataset.epochs === '1');
  // New weights: a new init seed in the link.
  const seedBefore = query(page).get('init_seed');
  await page.keyboard.press('n');
  await page.waitForFunction((s) => new URL(location.href).searchParams.get('init_seed') !== s, seedBefore);
  // Measure switch.
  const metricBefore = query(page).get('metric');
  await page.keyboard.press('m');
  await page.waitForFunction((m) => new URL(location.href).searchParams.get('metric') !== m, metricBefore);
  // Compare.
  await page.keyboard.press('c');
  await page.waitForFunction(() => document.querySelector('.app').dataset.runs === '2');

  // A lesson chosen from the menu: the menu lets go of the keyboard, so Space plays.
  await page.selectOption('#ctl-preset', 'healthy');
  assert.notEqual(await focused(page), 'ctl-preset');
  await closeLesson(page);
  await waitForEpochs(page, 1);
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'playing');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase !== 'playing');

  // Typing "e" and "c" into a number field is typing, not a command.
  const runs = await app(page, 'data-runs');
  const n = await epochs(page);
  await page.click('#ctl-seed');
  await page.keyboard.type('ec');
  await page.waitForTimeout(500);
  assert.equal(await app(page, 'data-runs'), runs);
  assert.equal(await epochs(page), n);
  assert.deepEqual(problems, []);
  await page.close();
});

test('after a click on a tab, a run, a panel heading or the export menu, Space still plays; from the keyboard a button keeps its focus', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=3&width=8&epochs=500`);
  await waitForEpochs(page, 1);
  const phase = () => page.$eval('.app', (e) => e.dataset.phase);
  for (const target of ['#metric-delta', '#metric-grad', '#layer-table summary', '#code-panel summary', '[data-run-summary="0"] .run-pick']) {
    if (!(await page.$(target))) continue;
    await page.click(target);
    const open = await page.$eval('#layer-table', (d) => d.open);
    await page.keyboard.press(' ');
    await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'playing', null, { timeout: 5000 })
      .catch(() => assert.fail(`Space after clicking ${target} did not play (focus: ${target})`));
    assert.equal(await page.$eval('#layer-table', (d) => d.open), open, `Space after ${target} left the table as it was`);
    await page.keyboard.press(' ');
    await page.waitForFunction(() => document.querySelector('.app').dataset.phase !== 'playing');
  }
  assert.notEqual(await phase(), 'playing');
  // Keyboard users: Tab to the δ tab and press Enter — the focus stays on it.
  await page.focus('#metric-grad');
  await page.keyboard.press('Tab');
  const before = await focused(page);
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), before, 'a button activated from the keyboard keeps the focus');
  assert.deepEqual(problems, []);
  await page.close();
});

test('every button has a name a screen reader can say, and focus is visible', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?lesson=init_scale`);
  await waitForEpochs(page, 1);
  const unnamed = await page.$$eval('button, select, input', (els) => els
    .filter((e) => e.offsetParent !== null)
    .filter((e) => {
      const label = e.getAttribute('aria-label') || e.textContent.trim()
        || (e.id && document.querySelector(`label[for="${e.id}"]`)?.textContent.trim());
      return !label;
    })
    .map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(unnamed, []);
  // Every chart is an image with a text alternative that points to the numbers.
  const charts = await page.$$eval('canvas.chart', (cs) => cs.map((c) => [c.getAttribute('role'), c.getAttribute('aria-label') ?? '']));
  assert.equal(charts.length, 4);
  for (const [role, label] of charts) {
    assert.equal(role, 'img');
    assert.match(label, /table|line above/);
  }
  // Tab to the first button: its focus ring is drawn.
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  assert.deepEqual(problems, []);
  await page.close();
});

/** Rectangles of the visible charts and of the visible controls. */
async function layoutBoxes(page) {
  return page.evaluate(() => {
    const box = (e) => { const r = e.getBoundingClientRect(); return { id: e.id || e.className, x: r.x, y: r.y, w: r.width, h: r.height }; };
    const visible = (e) => e.offsetParent !== null && e.getBoundingClientRect().width > 0;
    return {
      charts: [...document.querySelectorAll('canvas.chart')].filter(visible).map(box),
      controls: [...document.querySelectorAll('button, select, input, .run-line, .diagnosis, .notice')].filter((e) => visible(e) && e.checkVisibility()).map(box),   // not inside a closed <details>
      body: parseFloat(getComputedStyle(document.querySelector('.app')).fontSize),
      // The type the charts really drew with (CSS pixels), as each drawing reports it.
      chartFonts: [...document.querySelectorAll('canvas.chart')].map((c) => Number(c.dataset.fontPx) / devicePixelRatio),
      viewport: { w: innerWidth, h: innerHeight },
      scroll: document.scrollingElement.scrollHeight,
    };
  });
}
const overlaps = (a, b) => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;

for (const [w, h] of [[1920, 1080], [1280, 720]]) {
  for (const url of ['?theme=lecture&lesson=sigmoid', '?theme=dark&lesson=clip_modes']) {
    test(`presenter mode at ${w}×${h} (${url}): the charts fill the screen, nothing overlaps them, the type is large`, async () => {
      const { page, problems } = await openPage(browser, `${server.url}${url}`, { width: w, height: h });
      await waitForEpochs(page, 1);
      await page.keyboard.press('p');
      await page.waitForFunction(() => document.querySelector('.app').classList.contains('presenting'));
      await page.keyboard.press('e');
      await waitForEpochs(page, 2);
      await page.waitForTimeout(300);
      const name = `presenter-${w}x${h}-${url.includes('clip') ? 'compare' : 'lecture'}.png`;
      await page.screenshot({ path: path.join(SHOTS, name) });
      const b = await layoutBoxes(page);
      assert.equal(b.charts.length, 4, 'bars, map, loss and accuracy');
      assert.ok(b.scroll <= h + 1, `fits the screen without scrolling (${b.scroll} px)`);
      for (const c of b.charts) {
        assert.ok(c.y >= 0 && c.y + c.h <= h + 0.5 && c.x + c.w <= w + 0.5, `${c.id} on screen: ${JSON.stringify(c)}`);
        assert.ok(c.h >= h * 0.15, `${c.id} is a real chart (${c.h} px tall)`);
        for (const k of b.controls) assert.ok(!overlaps(c, k), `${k.id} overlaps ${c.id}`);
      }
      for (let i = 0; i < b.charts.length; i++)
        for (let j = i + 1; j < b.charts.length; j++)
          assert.ok(!overlaps(b.charts[i], b.charts[j]), `${b.charts[i].id} overlaps ${b.charts[j].id}`);
      if (h === 1080) {
        assert.ok(b.body >= 20, `body type ${b.body} px`);
        assert.ok(b.chartFonts.every((f) => f >= 18), `chart type ${b.chartFonts} px`);
      }
      // The controls come back when presenter mode ends (Esc).
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('.app').classList.contains('presenting'));
      assert.ok(await page.isVisible('#ctl-depth'));
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
}

test('the presenter button toggles presenter mode and says so', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=3&width=8`, { width: 1280, height: 720 });
  await waitForEpochs(page, 1);
  await page.click('#btn-present');
  await page.waitForFunction(() => document.querySelector('.app').classList.contains('presenting'));
  assert.equal(await page.getAttribute('#btn-present', 'aria-pressed'), 'true');
  assert.equal(await page.isVisible('#ctl-depth'), false, 'controls folded away');
  await page.click('#btn-present');
  await page.waitForFunction(() => !document.querySelector('.app').classList.contains('presenting'));
  assert.equal(await page.getAttribute('#btn-present', 'aria-pressed'), 'false');
  assert.deepEqual(problems, []);
  await page.close();
});

test('on a phone: a one-row header with the status, the lesson picker above the charts, the settings one tap away', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?lesson=sigmoid`, { width: 390, height: 844 });
  await waitForEpochs(page, 1);
  await page.screenshot({ path: path.join(SHOTS, 'phone-390x844.png') });
  const top = await page.$eval('.topbar', (e) => e.getBoundingClientRect().height);
  assert.ok(top <= 64, `header ${top} px tall`);
  assert.ok(await page.isVisible('#epoch-counter') && await page.isVisible('#phase-chip'), 'the status is in the header');
  const y = (sel) => page.$eval(sel, (e) => e.getBoundingClientRect().y);
  assert.ok(await y('#ctl-preset') < await y('#chart-bars'), 'lesson picker first');
  assert.ok(await y('#chart-bars') < 844, 'the charts on the first screen');
  assert.ok(await y('#btn-play') < 60, 'transport at the top');
  assert.equal(await page.isVisible('#ctl-depth'), false, 'settings in their own tab');
  // One tap to the settings; changing one brings the charts back.
  await page.click('#tab-settings');
  assert.ok(await page.isVisible('#ctl-depth'));
  assert.equal(await page.isVisible('#chart-bars'), false);
  assert.ok(await y('#ctl-activation') < 844, 'the settings start on the first screen');
  await page.selectOption('#ctl-activation', 'tanh');
  await page.waitForFunction(() => document.querySelector('#chart-bars').offsetParent !== null);
  assert.equal(await page.isVisible('#ctl-depth'), false);
  await waitForEpochs(page, 1);
  const tabs = await page.$eval('.phone-tabs', (e) => e.getBoundingClientRect().bottom);
  assert.ok(Math.abs(tabs - 844) < 1, 'the tabs sit at the bottom of the screen');
  const wide = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(wide <= 391, `no sideways scrolling (${wide} px)`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('dist/ works from a sub-folder of a static host (relative paths only)', async () => {
  const root = await fs.mkdtemp(path.join((await import('node:os')).tmpdir(), 'gradscope-host-'));
  const { DIST } = await import('../tools/harness.mjs');
  await fs.symlink(DIST, path.join(root, 'courses-nn-gradscope'));
  const host = await serve(root);
  try {
    const { page, problems } = await openPage(browser, `${host.url}courses-nn-gradscope/?depth=3&width=8`);
    await waitForEpochs(page, 1);
    await page.keyboard.press('e');
    await waitForEpochs(page, 2);
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await host.close();
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('F toggles full screen; P presents in full screen; leaving full screen leaves presenter mode', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=3&width=8`, { width: 1280, height: 720 });
  await waitForEpochs(page, 1);
  const fullscreen = () => page.evaluate(() => document.fullscreenElement !== null);
  const presenting = () => page.$eval('.app', (e) => e.classList.contains('presenting'));
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.fullscreenElement !== null);
  assert.equal(await presenting(), false, 'F is full screen only');
  await page.keyboard.press('F');
  await page.waitForFunction(() => document.fullscreenElement === null);
  await page.keyboard.press('p');
  await page.waitForFunction(() => document.fullscreenElement !== null);
  assert.equal(await presenting(), true);
  // The browser's own way out (Esc in a real browser) ends presenter mode too.
  await page.evaluate(() => document.exitFullscreen());
  await page.waitForFunction(() => !document.querySelector('.app').classList.contains('presenting'));
  assert.equal(await fullscreen(), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a load prints no console warning and fetches every asset once (the icon is inside the page)', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const warnings = [];
  const fetched = new Map();
  page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text()); });
  page.on('request', (r) => fetched.set(r.url(), (fetched.get(r.url()) ?? 0) + 1));
  await page.goto(`${server.url}?depth=3&width=8`);
  await waitForEpochs(page, 1);
  await page.keyboard.press('e');
  await waitForEpochs(page, 2);
  await page.selectOption('#ctl-activation', 'tanh');
  await page.keyboard.press('c');
  await page.waitForTimeout(500);
  assert.deepEqual(warnings, []);
  const twice = [...fetched].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'each asset fetched once');
  assert.ok(![...fetched.keys()].some((u) => u.includes('favicon')), 'no icon file to fetch again');
  assert.match(await page.$eval('link[rel="icon"]', (l) => l.href), /^data:image\/svg\+xml,/);
  await page.close();
});
