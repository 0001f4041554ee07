// Shared by the browser tests: a static server for dist/ on a free loopback port, and a
// headless Debian Chromium driven by playwright-core (never a downloaded browser).
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST = path.resolve(here, '..', '..', 'dist');
// Files of dist/ the page fetches only when first asked (the clipping explainer, the script
// writer behind the code panel, the lessons and the lesson player's stylesheet): outside the
// start-up size budget.
export const loadedLater = (f) => f.startsWith('clip-explainer') || f.startsWith('gradscope-code') || f.startsWith('lessons') || f === 'lesson.css';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export async function serve(dir = DIST) {
  // Room for a 30 KB link (Node's default stops at 16 KB of headers).
  const server = http.createServer({ maxHeaderSize: 80 * 1024 }, async (req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (url.pathname.endsWith('/')) file = path.join(file, 'index.html');
    try {
      const body = await fs.readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  });
}

// A page that records console errors, uncaught exceptions (a WASM panic shows as both),
// Content-Security-Policy violations and any request that leaves the page's origin.
// A lesson link opens on a question with the runs held: unless `ask` is set, the lesson is
// closed (✕), which leaves its runs measured at epoch 0 and paused — a loaded experiment, as
// the tests that use lessons for their runs expect (lesson.test.mjs tests the questions).
export async function openPage(browser, url, viewport = { width: 1280, height: 800 }, { ask = false } = {}) {
  const page = await browser.newPage({ viewport });
  const problems = watch(page, new URL(url).origin);
  await page.goto(url);
  // The app mounted: tests read `.app`'s data at once, and on a busy machine the first read
  // could come before the module started (seen once: null.classList).
  await page.waitForSelector('.app', { state: 'attached', timeout: 30000 });
  if (!ask && /[?&]lesson=/.test(url)) await closeLesson(page);
  return { page, problems };
}

// Closes the open lesson player (its runs stay, paused where they were held).
export async function closeLesson(page) {
  await page.waitForSelector('[data-lesson-player]');
  await page.click('[data-lesson-player] [data-close]');
  await page.waitForSelector('[data-lesson-player]', { state: 'detached' });
}

export function watch(page, origin) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`off-origin request: ${u}`);
  });
  page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return problems;
}

export const epochs = (page) =>
  page.$eval('.app', (el) => Number(el.getAttribute('data-epochs')));

// Waits until at least n epoch records have arrived *and* the charts show the latest one
// for every run (charts redraw at most 8 times a second, so they may trail the records
// briefly; a run added by Compare has no bars until its epoch 0 is measured). For short
// runs only: past 200 records a run's history is thinned, and records no longer count epochs.
export async function waitForEpochs(page, n, timeout = 30000) {
  await page.waitForFunction(
    (n) => {
      const app = document.querySelector('.app');
      const bars = document.querySelector('#chart-bars');
      const have = Number(app?.getAttribute('data-epochs'));
      const shown = bars?.getAttribute('data-epoch');
      // Every run's bars are drawn (a run added by Compare has none until its epoch 0).
      const drawn = JSON.parse(bars?.getAttribute('data-runs-log10') || '[]').length;
      return have >= n && shown !== null && shown !== '' && Number(shown) === have - 1
        && drawn === Number(app.getAttribute('data-runs'));
    },
    n,
    { timeout },
  );
}

// Waits until the loss and accuracy charts, where visible, are drawn with data: they draw a
// few frames after the bars (results.rs), and until then show a placeholder with no plot.
export async function waitForCurves(page, timeout = 30000) {
  await page.waitForFunction(
    () => ['#chart-loss', '#chart-accuracy'].every((id) => {
      const c = document.querySelector(id);
      if (!c || c.offsetParent === null) return true;
      const [, h] = (c.dataset.plotPx || '0,0').split(',').map(Number);
      return h > 0;
    }),
    undefined,
    { timeout },
  );
}

export const query = (page) => new URL(page.url()).searchParams;

// The canvas as a data URL: compares pixels between two moments.
export const pixels = (page, id) =>
  page.$eval(`#${id}`, (c) => c.toDataURL('image/png'));

export const barLog10 = (page) =>
  page.$eval('#chart-bars', (c) => JSON.parse(c.getAttribute('data-log10') ?? '[]'));
