// A deep, wide network shows its first per-layer bars after its first measured batches,
// labelled as such, long before epoch 0 (the whole training set) is complete.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage } from '../tools/harness.mjs';

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
  // The count of batches grows as measuring goes on.
  await page.waitForFunction((d) => Number((document.querySelector('#chart-bars').dataset.partial || '0/0').split('/')[0]) > d, done, { timeout: 60000 });
  assert.deepEqual(problems, []);
  await page.close();
});
