// Screenshot a page state: node e2e/tools/shot.mjs URL OUT.png [width] [height] [waitMs] [clickSelector...]
import { chromium } from 'playwright-core';
const [url, out, w = '1280', h = '800', wait = '4000', ...clicks] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: +w, height: +h } });
page.on('console', (m) => console.log(`[console.${m.type()}]`, m.text()));
page.on('pageerror', (e) => console.log('[pageerror]', e.message));
await page.goto(url);
await page.waitForTimeout(1500);
for (const c of clicks) { await page.click(c); await page.waitForTimeout(300); }
await page.waitForTimeout(+wait);
await page.screenshot({ path: out, fullPage: false });
await browser.close();
