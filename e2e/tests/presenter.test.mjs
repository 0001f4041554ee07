// Presenter mode in front of a class: fixed geometry at every projector size with 1–4 runs,
// at epoch 0, after a run diverges and inside an epoch; a lecture driven from links and a
// clicker (present=1, PageDown / PageUp, digits, blanking); focus that hands Space back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, openPage, waitForEpochs, waitForCurves, query, closeLesson } from '../tools/harness.mjs';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
  await fs.mkdir(SHOTS, { recursive: true });
});
after(async () => { await browser?.close(); await server?.close(); });

const VIEWPORTS = [[1280, 720], [1280, 800], [1366, 768], [1920, 1080], [2560, 1440]];
// Run 1 alone diverges; with more runs, run 2 diverges in epoch 1 and the others train.
const LINKS = [
  'init=large&lr=10',
  'vs=init:large,lr:10',
  'vs=init:large,lr:10&vs=activation:sigmoid,init:glorot_uniform',
  'vs=init:large,lr:10&vs=activation:sigmoid,init:glorot_uniform&vs=clip:clipnorm,clip_at:1,lr:0.3',
];

/** What the page drew: each chart's plot area and type as the drawing reports them, the
 * boxes of everything visible, and whether the page scrolls. */
function geometry(page) {
  return page.evaluate(() => {
    const box = (e) => { const r = e.getBoundingClientRect(); return { id: e.id || e.className, x: r.x, y: r.y, w: r.width, h: r.height }; };
    const visible = (e) => e.offsetParent !== null && e.getBoundingClientRect().width > 0;
    const dpr = devicePixelRatio;
    return {
      charts: [...document.querySelectorAll('canvas.chart')].filter(visible).map((c) => {
        const [pw, ph] = (c.dataset.plotPx || '0,0').split(',').map(Number);
        return { ...box(c), plotW: pw / dpr, plotH: ph / dpr, font: Number(c.dataset.fontPx) / dpr };
      }),
      others: [...document.querySelectorAll('.topbar, .run-line, .lesson-line, .chart-head, .scrub, .alert-chip')]
        .filter(visible).map(box),
      scroll: document.scrollingElement.scrollHeight,
      height: innerHeight,
      width: innerWidth,
    };
  });
}
const overlaps = (a, b) => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;

function assertFixedGeometry(g, label, w, h, before) {
  assert.equal(g.charts.length, 4, `${label}: four charts`);
  assert.ok(g.scroll <= h + 1, `${label}: nothing scrolls (${g.scroll} px)`);
  for (const c of g.charts) {
    assert.ok(c.plotH >= 100, `${label}: ${c.id} plot ${c.plotH} px tall`);
    assert.ok(c.plotW >= (c.id === 'chart-heatmap' ? 80 : 200), `${label}: ${c.id} plot ${c.plotW} px wide`);
    assert.ok(c.y >= 0 && c.y + c.h <= h + 0.5 && c.x + c.w <= w + 0.5, `${label}: ${c.id} on screen`);
    if (h <= 720) assert.ok(c.font >= 20, `${label}: ${c.id} text ${c.font} px`);
    for (const o of g.others) assert.ok(!overlaps(c, o), `${label}: ${o.id} overlaps ${c.id}`);
  }
  for (let i = 0; i < 4; i++)
    for (let j = i + 1; j < 4; j++)
      assert.ok(!overlaps(g.charts[i], g.charts[j]), `${label}: ${g.charts[i].id} overlaps ${g.charts[j].id}`);
  // The same places and sizes as before: nothing arrived that moved a chart.
  if (before) {
    for (const [i, c] of g.charts.entries()) {
      const b = before.charts[i];
      for (const k of ['x', 'y', 'w', 'h']) assert.ok(Math.abs(c[k] - b[k]) <= 1, `${label}: ${c.id}.${k} moved ${b[k]} → ${c[k]}`);
    }
  }
}

for (const [w, h] of VIEWPORTS) {
  test(`presenter layout at ${w}×${h}, 1–4 runs: fixed geometry at epoch 0, after a divergence and inside an epoch`, async () => {
    for (const [n, link] of LINKS.entries()) {
      const runs = n + 1;
      const { page, problems } = await openPage(browser, `${server.url}?theme=lecture&present=1&${link}`, { width: w, height: h });
      await page.waitForFunction(() => document.querySelector('.app').classList.contains('presenting'));
      await waitForEpochs(page, 1);
      await waitForCurves(page);
      assert.equal(Number(await page.getAttribute('.app', 'data-runs')), runs);
      const first = await geometry(page);
      assertFixedGeometry(first, `${w}×${h}, ${runs} run(s), epoch 0`, w, h);
      // One epoch: the diverging run turns to NaN and says so in a header chip.
      await page.keyboard.press('e');
      await page.waitForSelector('.diverged-chip', { timeout: 30000 });
      await page.waitForFunction(() => !['loading', 'playing'].includes(document.querySelector('.app').dataset.phase));
      await page.waitForTimeout(250);
      const diverged = await geometry(page);
      assertFixedGeometry(diverged, `${w}×${h}, ${runs} run(s), diverged`, w, h, first);
      if ((w === 1280 && h === 720) || (w === 1920 && h === 1080)) {
        await page.screenshot({ path: path.join(SHOTS, `presenter-${w}x${h}-${runs}runs-diverged.png`) });
      }
      // Inside the next epoch (a Step): still the same geometry.
      if (runs > 1) {
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction(() => /step 1\//.test(document.querySelector('.status').textContent));
        await page.waitForTimeout(250);
        assertFixedGeometry(await geometry(page), `${w}×${h}, ${runs} runs, mid-epoch`, w, h, first);
      }
      assert.deepEqual(problems, []);
      await page.close();
    }
  });
}

test('a diverged run: a header chip in the audience\'s words, dismissible; the loss axis keeps the other runs readable', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?${LINKS[1]}`, { width: 1280, height: 800 });
  await waitForEpochs(page, 1);
  await page.keyboard.press('e');
  await page.waitForSelector('.diverged-chip', { timeout: 30000 });
  const text = await page.textContent('.diverged-chip');
  assert.match(text, /Run 2 diverged in epoch 1/);
  assert.doesNotMatch(text, /initializer|learning rate|clipping/, 'no operator advice in the chip');
  // The loss axis is set by the runs that stayed finite: run 1's curve is not squashed.
  await page.keyboard.press('e');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase !== 'playing');
  await page.waitForTimeout(300);
  const [lo, hi] = (await page.$eval('#chart-loss', (c) => c.dataset.range)).split(',').map(Number);
  assert.ok(hi <= 2, `the loss axis stops at 1e${hi}, a decade above run 1's loss, not at run 2's 1e8`);
  assert.ok(hi - lo >= 1, `and spans run 1's loss (1e${lo} to 1e${hi})`);
  await page.click('.diverged-chip .chip-x');
  assert.equal(await page.$('.diverged-chip'), null, 'dismissed');
  assert.deepEqual(problems, []);
  await page.close();
});

test('present=1 opens presenter mode from a link and the link keeps it; the lesson line and one verdict line per run stay visible', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?lesson=clip_modes&present=1&theme=lecture`, { width: 1280, height: 720 });
  await page.waitForFunction(() => document.querySelector('.app').classList.contains('presenting'));
  await waitForEpochs(page, 1);
  assert.equal(query(page).get('present'), '1');
  assert.ok(await page.isVisible('#lesson-line'), 'the lesson line');
  assert.match(await page.textContent('#lesson-line'), /Clipping modes/);
  const lines = await page.$$eval('.run-line', (ls) => ls.map((l) => [l.getBoundingClientRect().y, l.querySelector('.run-headline')?.offsetParent !== null]));
  assert.equal(lines.length, 4);
  assert.ok(lines.every(([y]) => Math.abs(y - lines[0][0]) < 1), 'one legend row');
  assert.ok(lines.every(([, shown]) => shown), 'each run has its one-line diagnosis');
  // The lecture speed: slow unless the link chose one.
  assert.equal(await page.inputValue('#ctl-speed'), 'slow');
  // Export is reachable while presenting.
  assert.ok(await page.isVisible('.export > summary'));
  // Leaving presenter mode drops present=1 from the link.
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('present'));
  assert.equal(await page.inputValue('#ctl-speed'), 'slow', 'the lecture theme talks slowly too');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a clicker drives the lecture: PageDown / PageUp open a lesson and step through it, digits answer, b blanks the screen until any key', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?present=1&theme=lecture`, { width: 1280, height: 720 });
  await waitForEpochs(page, 1);
  const lesson = () => query(page).get('lesson');
  const step = () => page.$eval('[data-lesson-player]', (e) => e.dataset.step);
  const menu = await page.$$eval('#ctl-preset option', (os) => os.map((o) => o.value).filter(Boolean));
  assert.equal(menu[0], 'tour');
  // No lesson open: PageDown opens the first lesson of the menu, on its first question.
  await page.keyboard.press('PageDown');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('lesson') === 'tour');
  await page.waitForSelector('[data-lesson-player].asking');
  // With a lesson open, the clicker moves through its steps (the link follows).
  await page.keyboard.press('PageDown');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('step') === '2');
  assert.equal(await step(), '2');
  await page.keyboard.press('PageUp');
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('step'));
  assert.equal(await step(), '1');
  // Digits answer the question; one that is not a choice does nothing, and never leaves the lesson.
  await page.keyboard.press('9');
  await page.waitForTimeout(200);
  assert.equal(lesson(), 'tour');
  assert.ok(await page.$('[data-lesson-player].asking'), 'still asking');
  await page.keyboard.press('3');
  await page.waitForSelector('[data-lesson-player]:not(.asking)');
  assert.equal(await page.$eval('button[data-choice="2"]', (e) => e.dataset.answer), 'right');
  await page.keyboard.press('b');
  assert.ok(await page.isVisible('#blank-screen'));
  await page.keyboard.press('x');
  assert.equal(await page.isVisible('#blank-screen'), false, 'any key brings the page back');
  assert.equal(await step(), '1', 'and does nothing else');
  await page.keyboard.press('.');
  assert.ok(await page.isVisible('#blank-screen'));
  await page.keyboard.press('PageDown');
  assert.equal(await page.isVisible('#blank-screen'), false);
  assert.equal(await step(), '1', 'the key that un-blanks does not also page');
  // Closed, the digits pick lessons from the menu again, and a lesson opens on its measure.
  await page.evaluate(() => document.querySelector('[data-close]').click());
  await page.waitForSelector('[data-lesson-player]', { state: 'detached' });
  await page.keyboard.press('5');
  await page.waitForFunction((id) => new URL(location.href).searchParams.get('lesson') === id, menu[4]);
  assert.match(await page.$eval('#ctl-preset', (s) => s.selectedOptions[0].textContent), /^5\. /, 'the menu shows the number');
  assert.equal(menu[4], 'relu30_glorot');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('metric') === 'delta_rms');
  assert.deepEqual(problems, []);
  await page.close();
});

test('? then Esc then Space plays: closing the list of keys hands the keyboard back to the page', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=3&width=8&epochs=500`);
  await waitForEpochs(page, 1);
  await page.keyboard.press('?');
  await page.waitForFunction(() => !document.querySelector('.overlay').classList.contains('hidden'));
  await page.keyboard.press('Escape');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'playing', null, { timeout: 5000 });
  assert.equal(await page.$eval('.overlay', (o) => o.classList.contains('hidden')), true, 'the list stayed closed');
  assert.deepEqual(problems, []);
  await page.close();
});

test('Back returns to the previous experiment; a vs= that names nothing adds no run', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?lesson=sigmoid`, { width: 1280, height: 800 });
  await waitForEpochs(page, 1);
  await page.selectOption('#ctl-preset', 'clip_modes');
  await page.waitForFunction(() => document.querySelector('.app').dataset.runs === '4');
  await closeLesson(page);
  await page.keyboard.press('c');   // four runs already: refused, no history entry
  await page.goBack();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('lesson') === 'sigmoid');
  await page.waitForFunction(() => document.querySelector('.app').dataset.runs === '1');
  await waitForEpochs(page, 1);
  assert.equal(await page.inputValue('#ctl-activation'), 'sigmoid');
  assert.ok(await page.isVisible('#info-chip'), 'says the runs start again');
  await page.goForward();
  await page.waitForFunction(() => document.querySelector('.app').dataset.runs === '4');
  // Compare and a structural change are experiments of their own too; a live change is not.
  await page.selectOption('#ctl-preset', 'healthy');
  await page.waitForFunction(() => document.querySelector('.app').dataset.runs === '1');
  await page.keyboard.press('c');
  await page.waitForFunction(() => document.querySelector('.app').dataset.runs === '2');
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('.app').dataset.runs === '1');
  assert.equal(query(page).get('lesson'), 'healthy');
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('.app').dataset.runs === '4');

  const bad = await openPage(browser, `${server.url}?depth=3&width=8&vs=garbage`);
  await waitForEpochs(bad.page, 1);
  assert.equal(await bad.page.getAttribute('.app', 'data-runs'), '1', 'no phantom run');
  await bad.page.waitForFunction(() => !new URL(location.href).searchParams.has('vs'));
  assert.match(await bad.page.textContent('#url-notice'), /no run added/);
  assert.deepEqual([...problems, ...bad.problems], []);
  await page.close();
  await bad.page.close();
});

test('Step inside an epoch updates the bars with the epoch so far', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=3&width=8&epochs=50`);
  await waitForEpochs(page, 1);
  await page.keyboard.press('e');
  await waitForEpochs(page, 2);
  await page.keyboard.press('e');
  await waitForEpochs(page, 3);
  const bars = () => page.$eval('#chart-bars', (c) => [c.dataset.partial, c.dataset.runsLog10]);
  const [, rest] = await bars();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('#chart-bars').dataset.partial === '1/45');
  const [, one] = await bars();
  assert.notEqual(one, rest, 'the bars show step 1 of epoch 2');
  assert.match(await page.textContent('.status'), /step 1\/45/);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('#chart-bars').dataset.partial === '2/45');
  assert.deepEqual(problems, []);
  await page.close();
});
