// Memory over a long run (a measurement, not a test): trains one network at fast speed and
// samples the page's and the worker's WebAssembly memory and the page's JS heap after the first
// 1 % of the epochs and at the end.
// Usage: node e2e/tools/memory.mjs [epochs] [depth] [width]   (default 10000 10 64)
import { serve, launch } from './harness.mjs';

const [epochs = 10000, depth = 10, width = 64] = process.argv.slice(2).map(Number);
const server = await serve();
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
await page.goto(`${server.url}?depth=${depth}&width=${width}&epochs=${epochs}&speed=fast`);
await page.waitForFunction(() => Number(document.querySelector('.app')?.dataset.epochs) >= 1);
await page.click('#btn-play');

async function sample() {
  const [pageWasm, workerWasm] = (await page.getAttribute('.app', 'data-memory')).split(',').map(Number);
  const { metrics } = await cdp.send('Performance.getMetrics');
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize').value;
  const done = Number((await page.textContent('#epoch-counter')).split('/')[0]);
  // A frame's time while training: the charts stay responsive.
  const frame = await page.evaluate(() => new Promise((r) => requestAnimationFrame((a) => requestAnimationFrame((b) => r(b - a)))));
  return { epoch: done, page_wasm_mb: pageWasm / 2 ** 20, worker_wasm_mb: workerWasm / 2 ** 20, js_heap_mb: heap / 2 ** 20, frame_ms: frame };
}

const t0 = Date.now();
const firstPercent = Math.max(1, Math.round(epochs / 100));
await page.waitForFunction((n) => Number(document.querySelector('.app').dataset.epochs) > n, firstPercent, { timeout: 0, polling: 1000 });
const early = await sample();
const samples = [early];
while (true) {
  const phase = await page.getAttribute('.app', 'data-phase');
  if (phase === 'finished' || phase === 'diverged') break;
  await page.waitForTimeout(Math.max(2000, epochs * 6));
  samples.push(await sample());
}
await page.waitForTimeout(1500);
const end = await sample();
samples.push(end);
const growth = (k) => `${(100 * (end[k] / early[k] - 1)).toFixed(1)} %`;
console.log(JSON.stringify({
  network: `${depth}x${width}`, epochs, minutes: (Date.now() - t0) / 60000,
  after_first_percent: early, end, growth: { page_wasm: growth('page_wasm_mb'), worker_wasm: growth('worker_wasm_mb'), js_heap: growth('js_heap_mb') },
  kept_records: await page.evaluate(() => document.querySelector('#thinned')?.textContent ?? ''),
  samples,
}, null, 1));
await browser.close();
await server.close();
