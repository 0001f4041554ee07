// The recurrent model in the page: a link trains it, the δ bars are its time steps (t = 1 to
// T, then the output layer), the diagnosis speaks of time steps, the code panel writes a
// SimpleRNN, and a setting for the other model gets a notice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage, waitForEpochs, query } from '../tools/harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a recurrent run: one δ bar per time step, its diagnosis and its script', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?model=rnn&seq_len=12&width=16&metric=delta_rms&activation=linear&recurrent_gain=0.8&epochs=2`);
  await waitForEpochs(page, 1);
  const bars = JSON.parse(await page.getAttribute('#chart-bars', 'data-log10'));
  assert.equal(bars.length, 13, 'twelve time steps and the output layer');
  // Linear with an orthogonal U of gain 0.8: δ_t = δ_T · 0.8^(T − t), exactly.
  const perStep = bars[10] - bars[0];
  assert.ok(Math.abs(perStep - 10 * Math.log10(1 / 0.8)) < 1e-3, `log10 δ_11/δ_1 = ${perStep}`);
  // The theory drawn beside the bars is that power of the gain (it is computed apart from the
  // records and may land a moment after the first of them).
  await page.waitForFunction(() => (document.querySelector('#chart-bars').getAttribute('data-theory-log10') ?? '') !== '');
  const theory = JSON.parse(await page.getAttribute('#chart-bars', 'data-theory-log10'));
  assert.equal(theory.length, 12);
  assert.ok(theory.every((t, i) => Math.abs(t - bars[i]) < 1e-3), JSON.stringify({ theory, bars }));
  assert.match(await page.textContent('#diagnosis'), /time step/);
  // The link keeps the recurrent settings.
  const q = query(page);
  assert.equal(q.get('model'), 'rnn');
  assert.equal(q.get('seq_len'), '12');
  assert.equal(q.get('depth'), null, 'depth means nothing here and is not written');
  await page.click('#code-panel summary');
  await page.waitForFunction(() => /keras\.layers\.SimpleRNN/.test(document.querySelector('[data-code="keras"]').textContent));
  assert.match(await page.textContent('[data-code="pytorch"]'), /class SimpleRNN\(nn\.Module\)/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('depth on a recurrent run gets a notice and the run still trains', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?model=rnn&seq_len=10&width=8&depth=30`);
  await waitForEpochs(page, 1);
  assert.match(await page.textContent('body'), /depth=30.*does not apply to model rnn/);
  assert.equal(query(page).get('depth'), null);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a recurrent run on the map card: δ by time step and epoch, the step-norm trace with its clip threshold, σ_max by epoch', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?model=rnn&seq_len=12&width=16&metric=delta_rms&recurrent_gain=1.5&lr=0.1&epochs=2&clip=global_clipnorm&clip_at=1`);
  await page.click('#btn-play');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'finished', null, { timeout: 60000 });
  // The δ map has a row per time step and one for the output layer.
  await page.waitForFunction(() => document.querySelector('#chart-heatmap').dataset.rows === '13');
  await page.click('#heat-step-norm');
  await page.waitForFunction(() => document.querySelector('#chart-heatmap').dataset.trace === 'StepNorm');
  const steps = Number(await page.getAttribute('#chart-heatmap', 'data-points'));
  // Every training step of epochs 1 and 2 (epoch 0 only measures): the training split of
  // 1 797 digits at 80 %, in batches of 32, twice.
  assert.equal(steps, 2 * Math.ceil(Math.floor((1797 * 4) / 5) / 32), `${steps} step norms`);
  assert.equal(await page.getAttribute('#chart-heatmap', 'data-references'), '1', 'the clip threshold is drawn');
  await page.click('#heat-sigma');
  await page.waitForFunction(() => document.querySelector('#chart-heatmap').dataset.trace === 'SigmaMax');
  assert.equal(await page.getAttribute('#chart-heatmap', 'data-points'), '3', 'σ_max at epochs 0, 1 and 2');
  assert.equal(await page.getAttribute('#chart-heatmap', 'data-references'), '1', 'σ_max = 1 is marked');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a feed-forward page offers no recurrent trace', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=3&epochs=1`);
  await waitForEpochs(page, 1);
  assert.equal(await page.$('#heat-step-norm'), null);
  assert.equal(await page.$('#heat-sigma'), null);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the temporal-order task: learned at a short delay, chance (25 %) marked beside the digits\' 10 %', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?model=rnn&dataset=temporal_order&seq_len=10&width=32&optimizer=adam&lr=0.01&epochs=3&vs=dataset:delayed_digits`);
  await page.click('#btn-play');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'finished', null, { timeout: 120000 });
  // One dashed chance line per task on screen, in run order.
  assert.equal(await page.getAttribute('#chart-accuracy', 'data-references'), '0.25,0.1');
  // Run 1's marks sit 1 and 5 steps in: the SimpleRNN learns them within 3 epochs.
  const accuracy = Number(await page.getAttribute('[data-run-summary="0"]', 'data-val-acc'));
  assert.ok(accuracy > 0.9, `temporal order at T = 10: ${accuracy}`);
  assert.deepEqual(problems, []);
  await page.close();
});
