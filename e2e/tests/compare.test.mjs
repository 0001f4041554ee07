// Compare mode in the real app: runs side by side, trained together, in one link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage, epochs, waitForEpochs, query } from '../tools/harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const summaries = (page) => page.$$eval('[data-run-summary]', (els) => els.map((e) => ({
  epoch: e.dataset.epoch === '' ? null : Number(e.dataset.epoch),
  valAcc: e.dataset.valAcc === '' ? null : Number(e.dataset.valAcc),
  verdict: e.dataset.verdict,
  text: e.textContent,
})));
const runsLog10 = (page) => page.$eval('#chart-bars', (c) => JSON.parse(c.dataset.runsLog10 ?? '[]'));
const runCount = (page) => page.$eval('.app', (el) => Number(el.dataset.runs));

test('compare duplicates the run; a run that differs only in clipping starts from identical numbers; both advance', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=6&width=32&epochs=1000`);
  await waitForEpochs(page, 1);
  await page.click('#btn-compare');
  await page.waitForFunction(() => document.querySelectorAll('[data-run-summary]').length === 2);
  assert.match(await page.textContent('#editing-run'), /Editing run 2/);
  // The copy is selected: the controls change it, not run 1.
  await page.selectOption('#ctl-clip', 'clipvalue');
  // A threshold small enough to bite at this size (0.5 never would: no element is that large).
  await page.fill('#ctl-clip-at', '0.01');
  await page.$eval('#ctl-clip-at', (el) => el.dispatchEvent(new Event('change', { bubbles: true })));
  await page.waitForFunction(() => new URL(location.href).searchParams.get('vs') === 'clip:clipvalue,clip_at:0.01');
  assert.equal(query(page).get('clip'), 'off', 'run 1 keeps its settings');
  await waitForEpochs(page, 1);
  const [a, b] = await runsLog10(page);
  assert.deepEqual(a, b, 'same data, same initial weights: identical epoch-0 gradients');
  const s0 = await summaries(page);
  assert.match(s0[1].text, /clipvalue 0.01/);
  assert.match(s0[0].text, /no clipping/);
  // The legend names what differs.
  assert.match(await page.textContent('#curve-legend'), /no clipping.*clipvalue 0.01/s);
  await page.click('#btn-play');
  await waitForEpochs(page, 4);
  await page.click('#btn-play');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'paused');
  const s = await summaries(page);
  assert.ok(s.every((r) => r.epoch >= 3 && r.valAcc >= 0 && r.valAcc <= 1), JSON.stringify(s));
  assert.ok(Math.abs(s[0].epoch - s[1].epoch) <= 1, 'the runs advance together');
  const after = await runsLog10(page);
  assert.notDeepEqual(after[0], after[1], 'clipping changed the training');
  // The maps: one panel per run on one colour range.
  assert.equal(await page.getAttribute('#chart-heatmap', 'data-panels'), '2');
  assert.deepEqual(problems, []);
  await page.close();
});

test('four runs train together; keys act on all of them; a run can be removed', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=4&width=16&epochs=1000`);
  await waitForEpochs(page, 1);
  for (let i = 0; i < 3; i++) await page.keyboard.press('c');
  await page.waitForFunction(() => document.querySelectorAll('[data-run-summary]').length === 4);
  assert.ok(await page.$eval('#btn-compare', (b) => b.disabled), 'no fifth run');
  // Make them differ in the learning rate (a live setting): run 4 is selected.
  await page.$eval('#ctl-lr', (el) => { el.value = '-1'; el.dispatchEvent(new Event('change', { bubbles: true })); });
  await page.waitForFunction(() => new URL(location.href).searchParams.getAll('vs').join('|') === '||lr:0.1');
  await page.keyboard.press('Space');
  await waitForEpochs(page, 5);
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'paused');
  let s = await summaries(page);
  assert.ok(s.every((r) => r.epoch >= 4), `all four advanced: ${JSON.stringify(s.map((r) => r.epoch))}`);
  // R resets every run.
  await page.keyboard.press('r');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-run-summary]')].every((e) => Number(e.dataset.epoch || 0) === 0));
  // → steps every run (epoch 0 is measured first).
  await waitForEpochs(page, 1);
  // Remove run 2: three remain, colours kept, link follows.
  await page.click('[data-run-summary="1"] .remove-run');
  await page.waitForFunction(() => document.querySelectorAll('[data-run-summary]').length === 3);
  assert.equal(query(page).getAll('vs').length, 2);
  assert.equal(await runCount(page), 3);
  s = await summaries(page);
  assert.match(s[2].text, /lr 0.1/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a three-run link round-trips and replays the same numbers', async () => {
  const link = 'dataset=digits&noise=0.1&depth=5&width=24&activation=tanh&init=glorot_uniform&batch_norm=none&optimizer=sgd&lr=0.05&batch_size=32&epochs=2&seed=3&clip=off&vs=init%3Ahe_normal&vs=batch_norm%3Abefore%2Clr%3A0.1&metric=grad_norm';
  const first = await openPage(browser, `${server.url}?${link}`);
  await waitForEpochs(first.page, 1);
  assert.equal(new URL(first.page.url()).search.slice(1), link);
  assert.equal(await runCount(first.page), 3);
  await first.page.click('#btn-play');
  await first.page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'finished');
  await waitForEpochs(first.page, 3);
  const a = { bars: await runsLog10(first.page), s: await summaries(first.page) };
  const again = await openPage(browser, `${server.url}?${link}`);
  await waitForEpochs(again.page, 1);
  await again.page.click('#btn-play');
  await again.page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'finished');
  await waitForEpochs(again.page, 3);
  assert.deepEqual(await runsLog10(again.page), a.bars, 'same runs, same figures');
  assert.deepEqual((await summaries(again.page)).map((r) => r.valAcc), a.s.map((r) => r.valAcc));
  assert.ok(a.s.every((r) => r.epoch === 2));
  assert.deepEqual([...first.problems, ...again.problems], []);
  await first.page.close();
  await again.page.close();
});

test('compare mode: one verdict line per run in the diagnosis card; the bars after clipping are shorter', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?lesson=clip_modes`);
  await waitForEpochs(page, 1);
  const lines = await page.$$eval('[data-run-verdict]', (els) => els.map((e) => [e.dataset.verdict, e.textContent]));
  assert.equal(lines.length, 4, JSON.stringify(lines));
  const chips = await page.$$eval('[data-run-summary]', (els) => els.map((e) => e.dataset.verdict));
  assert.deepEqual(lines.map((l) => l[0]), chips, 'the card and the run lines agree');
  assert.match(lines[2][1], /Run 3 \(clipnorm 1\): Ready to learn/);
  // Clipping is on in three runs: the measure "after clipping" is offered.
  const raw = await page.$eval('#chart-bars', (c) => JSON.parse(c.dataset.runsLog10 ?? '[]'));
  await page.click('#metric-clipped');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('metric') === 'clipped_grad_norm');
  await page.waitForFunction((before) => document.querySelector('#chart-bars').dataset.runsLog10 !== before,
    JSON.stringify(raw));
  const clipped = await page.$eval('#chart-bars', (c) => JSON.parse(c.dataset.runsLog10 ?? '[]'));
  // Run 1 does not clip: its bars are unchanged. clipnorm 1 caps every bar at 10⁰.
  assert.deepEqual(clipped[0], raw[0]);
  for (const v of clipped[2]) assert.ok(v <= 1e-6, `clipnorm 1: log10 ≤ 0, got ${clipped[2]}`);
  for (let l = 0; l < raw[1].length; l++) assert.ok(clipped[1][l] <= raw[1][l] + 1e-9, `clipvalue only shortens: ${clipped[1]} vs ${raw[1]}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the clipping explainer opens from the clipping setting: the notes\' [0.9, 100] turns under clipvalue, keeps its direction under clipnorm', async () => {
  const { page, problems } = await openPage(browser, server.url);
  await waitForEpochs(page, 1);
  assert.equal(await page.$('#clip-explainer iframe'), null, 'not loaded before it is asked for');
  await page.click('#open-clip-explainer');
  await page.waitForSelector('#clip-explainer iframe');
  // Focus is on the dialog's Close button: Esc closes it; reopening keeps the loaded frame.
  await page.keyboard.press('Escape');
  await page.waitForSelector('#clip-explainer', { state: 'hidden' });
  await page.click('#open-clip-explainer');
  const frame = page.frameLocator('#clip-explainer iframe');
  // Threshold 1 is chosen at first: the notes' example.
  const shown = frame.locator('.figure:visible');
  await shown.waitFor();
  assert.equal(await shown.getAttribute('data-threshold'), '1.00');
  assert.match(await shown.locator('tr[data-mode=clipvalue]').textContent(), /g₁ \[0\.900, 1\.00\], length 1\.35/);
  assert.match(await shown.textContent(), /g₁ at 89\.5° → 48\.0°/);
  // A smaller threshold, by keyboard: clipnorm keeps g₁'s direction at any threshold.
  await frame.locator('label[for=t0]').click();
  assert.equal(await frame.locator('.figure:visible').getAttribute('data-threshold'), '0.0100');
  assert.match(await frame.locator('.figure:visible tr[data-mode=clipnorm]').textContent(), /length 0\.0100/);
  await page.click('#clip-explainer-close');
  await page.waitForSelector('#clip-explainer', { state: 'hidden' });
  // The keys work again: Space plays.
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'playing');
  assert.deepEqual(problems, []);
  await page.close();
});
