// The presenter screenshots of the README: four runs in the lecture theme, one of them
// diverged, after a few epochs; optionally through a washed-out projector (contrast 60 %,
// brightness 130 %).
//   node e2e/tools/lecture-shot.mjs URL OUT.png [width] [height] [--washed] [--epochs N] [--click SELECTOR] [--press KEYS]
// (--click: clicked before the epochs are stepped, e.g. '#heat-step-norm' for a recurrent trace;
// --press: keys pressed then, e.g. 'www' for the same in presenter mode, which hides the buttons)
import { launch } from './harness.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const [url, out, w = '1280', h = '720'] = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--epochs' && args[i - 1] !== '--click' && args[i - 1] !== '--press');
const browser = await launch();
const page = await browser.newPage({ viewport: { width: +w, height: +h } });
page.on('pageerror', (e) => console.log('[pageerror]', e.message));
await page.goto(url);
await page.waitForFunction(() => Number(document.querySelector('.app')?.dataset.epochs) >= 1, null, { timeout: 30000 });
if (option('--click')) await page.click(option('--click'));
for (const key of option('--press', '')) await page.keyboard.press(key);
for (let i = 0; i < Number(option('--epochs', '3')); i++) {
  await page.keyboard.press('e');
  await page.waitForTimeout(300);
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase !== 'playing', null, { timeout: 60000 });
}
await page.waitForTimeout(600);
if (flag('--washed')) {
  // A style attribute: the page's CSP allows those, not injected style sheets.
  await page.evaluate(() => { document.documentElement.style.filter = 'contrast(60%) brightness(130%)'; });
  await page.waitForTimeout(200);
}
await page.screenshot({ path: out });
await browser.close();
