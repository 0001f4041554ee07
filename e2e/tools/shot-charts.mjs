// Screenshot every chart canvas of a page state, one PNG each, and print what each drew:
// node e2e/tools/shot-charts.mjs URL OUT_PREFIX [width] [height] [waitMs] [clickSelector...]
import { chromium } from 'playwright-core';
const [url, out, w = '1280', h = '800', wait = '4000', ...clicks] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: +w, height: +h } });
page.on('pageerror', (e) => console.log('[pageerror]', e.message));
await page.goto(url);
await page.waitForTimeout(1500);
for (const c of clicks) { await page.click(c); await page.waitForTimeout(300); }
await page.waitForTimeout(+wait);
for (const id of ['chart-bars', 'chart-heatmap', 'chart-loss', 'chart-accuracy']) {
  const el = await page.$(`#${id}`);
  await el.screenshot({ path: `${out}-${id}.png` });
  console.log(id, await el.evaluate((c) => JSON.stringify({ x: c.dataset.xLabels, y: c.dataset.yLabels, plot: c.dataset.plotPx, font: c.dataset.fontPx })));
}
await browser.close();
