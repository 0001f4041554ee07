// A deep, wide network shows its first per-layer bars after its first measured batches,
// labelled as such, long before epoch 0 (the whole training set) is complete.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage, watch } from '../tools/harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('100 × 512: bars over epoch 0\'s first batches, said so, before any record', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=100&width=512`);
  await page.waitForFunction(() => (document.querySelector('#chart-bars')?.dataset.partial ?? '') !== '', null, { timeout: 60000 });
  const partial = await page.getAttribute('#chart-bars', 'data-partial');
  const [done, of] = partial.split('/').map(Number);
  assert.ok(done >= 1 && done < of && of === 45, partial);
  assert.equal(await page.$eval('.app', (e) => e.dataset.epochs), '0', 'no record yet: the bars are provisional');
  const bars = JSON.parse(await page.getAttribute('#chart-bars', 'data-log10'));
  assert.equal(bars.length, 101, 'a bar per Dense layer');
  assert.ok(bars.every((b) => typeof b === 'number' && Number.isFinite(b)), JSON.stringify(bars.slice(0, 5)));
  // An epoch this long is announced, from the pace of the batches measured so far.
  await page.waitForFunction(() => /about [\d.]+ (s|min) an epoch/.test(document.querySelector('#step-text')?.textContent ?? ''), null, { timeout: 30000 });
  // The count of batches grows as measuring goes on.
  await page.waitForFunction((d) => Number((document.querySelector('#chart-bars').dataset.partial || '0/0').split('/')[0]) > d, done, { timeout: 60000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('before anything is measured, the bar chart is already its labelled frame for the chosen depth', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watch(page, server.url);
  // Hold the training worker back until the frame has been checked.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/gradscope-worker*', async (route) => { await held; await route.continue(); });
  await page.goto(`${server.url}?depth=30&width=64`);
  await page.waitForFunction(() => Number(document.querySelector('#chart-bars')?.dataset.xLabels ?? 0) > 0);
  const frame = await page.$eval('#chart-bars', (c) => ({ ...c.dataset }));
  assert.equal(frame.epoch, '', 'no epoch shown yet');
  assert.ok(Number(frame.xLabels) >= 5 && Number(frame.xLabels) <= 31, `layer labels thinned to fit: ${frame.xLabels}`);
  assert.ok(Number(frame.yLabels) >= 3, `decade labels: ${frame.yLabels}`);
  assert.equal(await page.$eval('.app', (e) => e.dataset.epochs), '0');
  release();
  await page.waitForFunction(() => document.querySelector('#chart-bars').dataset.epoch === '0', null, { timeout: 30000 });
  assert.equal(JSON.parse(await page.getAttribute('#chart-bars', 'data-log10')).length, 31, 'then the bars: 30 hidden layers and the output');
  assert.deepEqual(problems, []);
  await page.close();
});
