// The Distributions view in the real app: what the worker measured, drawn per layer; the
// quantity and the one-layer view chosen with the controls; the link that reopens it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage, waitForEpochs, query, pixels } from '../tools/harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const drawn = (page) => page.$eval('#chart-heatmap', (c) => ({ ...c.dataset }));
const redrawn = (page, key, value) => page.waitForFunction(
  ([k, v]) => document.querySelector('#chart-heatmap').dataset[k]?.includes(v), [key, value], { timeout: 15000 });

test('ReLU + He: about half of every hidden layer outputs exactly 0, drawn per layer with the output on top', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=6&width=64&activation=relu&init=he_normal&dist=activation`);
  await waitForEpochs(page, 1);
  await redrawn(page, 'title', 'every layer');
  const d = await drawn(page);
  assert.equal(d.rows, '7', 'six hidden layers and the output');
  assert.match(d.title, /activations f\(z\) of every layer · epoch 0/);
  const shares = d.zeroShares.split(',').map(Number);
  assert.equal(shares[0], 0, 'the logits (top row) are never exactly 0');
  for (const s of shares.slice(1)) assert.ok(s > 0.35 && s < 0.65, `hidden layer zero share ${s}`);
  assert.ok(Number(d.xLabels) >= 3, 'a labelled value axis');
  assert.deepEqual(problems, []);
  await page.close();
});

test('sigmoid layers are drawn on their own [0, 1] axis; the logits, on decades, are left out of it', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=4&width=32&activation=sigmoid&init=glorot_uniform&dist=activation`);
  await waitForEpochs(page, 1);
  await redrawn(page, 'title', 'every layer');
  const d = await drawn(page);
  assert.equal(d.rows, '5', 'four hidden layers and the output row');
  assert.ok(Number(d.columns) <= 21, `the activation's 20 bins (and zeros at most), not decades: ${d.columns}`);
  assert.equal(d.zeroShares.split(',').length, 4, 'only the hidden layers are drawn');
  assert.equal(d.offAxis, '1', 'the output row\'s logits are on another scale');
  assert.equal(d.offAxisNotes, 'out: other scale, not drawn', 'and the chart says so');
  assert.deepEqual(problems, []);
  await page.close();
});

test('compared runs on different scales: a run off the axis is named once, in its colour, with the rows it leaves, not silently missing', async () => {
  // ReLU (decades) beside sigmoid ([0, 1]): the axis is the sigmoid run's; the ReLU run's three
  // hidden layers and both runs' logits are on other bins.
  const { page, problems } = await openPage(browser,
    `${server.url}?depth=3&width=32&dist=activation&vs=activation:sigmoid,init:glorot_uniform`);
  await waitForEpochs(page, 1);
  await page.waitForFunction(() => document.querySelector('#chart-heatmap').dataset.offAxis === '5',
    null, { timeout: 15000 });
  const d = await drawn(page);
  assert.equal(d.rows, '4');
  assert.ok(Number(d.columns) <= 21, `the sigmoid run's [0, 1] axis: ${d.columns} columns`);
  assert.equal(d.runs, '1', 'one run drawn per row');
  assert.equal(d.offAxisNotes, 'L1–out: other scale, not drawn | out: other scale, not drawn',
    'run 1 (ReLU) is off the axis in every row, run 2 (sigmoid) only in the logits\' row');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the quantity and the one-layer view follow the controls, and the link keeps the quantity', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=4&width=32&activation=tanh&epochs=50`);
  await waitForEpochs(page, 1);
  await page.click('#heat-dist');
  await page.waitForSelector('#dist-quantity', { state: 'visible' });
  const before = await pixels(page, 'chart-heatmap');
  await page.selectOption('#dist-quantity', '3');
  await redrawn(page, 'title', 'weights W of every layer');
  assert.equal(query(page).get('dist'), 'weight');
  assert.notEqual(await pixels(page, 'chart-heatmap'), before, 'the chart changed');
  // Weights are never exactly 0 under Glorot: no zero share anywhere.
  assert.ok((await drawn(page)).zeroShares.split(',').every((s) => Number(s) === 0));
  // Two more epochs, then layer 2 over the epochs: one row per epoch.
  await page.keyboard.press('e');
  await waitForEpochs(page, 2);
  await page.keyboard.press('e');
  await waitForEpochs(page, 3);
  await page.fill('#dist-layer', '2');
  await page.$eval('#dist-layer', (el) => el.dispatchEvent(new Event('change', { bubbles: true })));
  await redrawn(page, 'title', 'layer 2 by epoch');
  assert.equal((await drawn(page)).rows, '3', 'epochs 0, 1 and 2');
  // The link reopens the view with the quantity.
  const again = await openPage(browser, page.url());
  await waitForEpochs(again.page, 1);
  await again.page.waitForSelector('#dist-quantity', { state: 'visible' });
  assert.equal(await again.page.$eval('#dist-quantity', (s) => s.value), '3');
  assert.deepEqual(problems, []);
  assert.deepEqual(again.problems, []);
  await again.page.close();
  await page.close();
});

test('compare mode overlays the runs in every row; a recurrent run says what it lacks', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=5&activation=sigmoid&init=large&dist=activation&vs=batch_norm:before`);
  await page.waitForFunction(() => document.querySelectorAll('[data-run-summary]').length === 2);
  await waitForEpochs(page, 1);
  await redrawn(page, 'runs', '2');
  assert.equal((await drawn(page)).runs, '2');
  const rnn = await openPage(browser, `${server.url}?model=rnn&dataset=delayed_digits&dist=delta`);
  await waitForEpochs(rnn.page, 1);
  await rnn.page.waitForTimeout(500);
  assert.equal((await drawn(rnn.page)).rows, undefined, 'no histogram drawn for a recurrent run');
  assert.deepEqual(problems, []);
  assert.deepEqual(rnn.problems, []);
  await rnn.page.close();
  await page.close();
});
