// Hostile input and a locked-down page: 200 random and hostile links, the Content-Security-
// Policy, and no request off the page's origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, watch } from '../tools/harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// A small seeded generator, so a failure names a link that can be replayed.
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const KEYS = ['dataset', 'noise', 'depth', 'width', 'activation', 'init', 'batch_norm', 'bn', 'optimizer', 'lr', 'batch_size', 'batch', 'epochs', 'seed', 'init_seed', 'l2', 'clip', 'clip_at', 'vs', 'lesson', 'metric', 'theme', 'speed'];
const NASTY = ['<img src=x onerror="window.__xss=1">', '"><script>window.__xss=1</script>', 'javascript:window.__xss=1', '%00', '\u202e\u0000', '😀'.repeat(20), '1e309', '-1', 'NaN', '99999999999999999999999', '0x1F', 'relu<b>', '', ' ', ',,,:', 'depth:0,width:1e9', '../../etc/passwd'];
const GOOD = ['relu', 'sigmoid', 'he_normal', 'before', 'adam', 'clipnorm', '0.5', '3', '0.01', '7', 'notes_clipvalue', 'delta_rms', 'lecture', 'fast'];

function hostileLinks(n) {
  const r = rng(2026);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const links = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 10;
    const p = new URLSearchParams();
    if (kind === 0) {
      // Garbage bytes, not even key=value.
      // ('#' would start the fragment: what follows it is not part of the query.)
      const chars = Array.from({ length: 40 }, () => String.fromCharCode(33 + Math.floor(r() * 94)));
      links.push({ q: chars.join('').replaceAll('#', '~'), bad: true });
      continue;
    }
    if (kind === 1) {
      // One 30 KB link of repeated unknown and known keys.
      for (let k = 0; k < 1500; k++) p.append(k % 2 ? `x${k}` : pick(KEYS), pick(NASTY));
      links.push({ q: p.toString().slice(0, 30000), bad: true });
      continue;
    }
    const count = 1 + Math.floor(r() * 8);
    let bad = false;
    for (let k = 0; k < count; k++) {
      const key = r() < 0.85 ? pick(KEYS) : `k${Math.floor(r() * 100)}<i>`;
      const value = r() < 0.5 ? pick(NASTY) : pick(GOOD);
      bad ||= !KEYS.includes(key) || NASTY.includes(value);
      p.append(key, value);
    }
    // Keep the networks small enough to measure quickly.
    p.set('depth', String(1 + Math.floor(r() * 6)));
    p.set('width', String(2 + Math.floor(r() * 30)));
    links.push({ q: p.toString(), bad, kind });
  }
  return links;
}

test('200 random and hostile links: no error, no markup run, charts drawn, a notice for what was ignored', async () => {
  let page, problems;
  const links = hostileLinks(200);
  for (const [i, { q, bad }] of links.entries()) {
    // A fresh tab every 10 links: each navigation starts a new worker, and a tab navigated
    // hundreds of times in a minute can run out of WebAssembly address space before the old
    // workers' memory is reclaimed (seen once: "Cannot allocate Wasm memory").
    if (i % 10 === 0) {
      await page?.close();
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      problems = watch(page, new URL(server.url).origin);
    }
    const before = problems.length;
    await page.goto(`${server.url}?${q}`);
    await page.waitForFunction(() => {
      const bars = document.querySelector('#chart-bars');
      return Number(document.querySelector('.app')?.dataset.epochs) >= 1 && bars?.dataset.epoch !== undefined;
    }, null, { timeout: 60000 }).catch(async (e) => {
      const state = await page.evaluate(() => ({
        phase: document.querySelector('.app')?.dataset.phase,
        epochs: document.querySelector('.app')?.dataset.epochs,
        error: document.querySelector('#error-notice')?.textContent,
        runs: [...document.querySelectorAll('[data-run-summary]')].map((r) => r.textContent),
      })).catch(() => 'unreadable');
      throw new Error(`link ${i}: ${q.slice(0, 200)}: ${e.message} ${JSON.stringify(state)} ${problems.slice(before)}`);
    });
    assert.equal(await page.evaluate(() => window.__xss), undefined, `link ${i} ran markup`);
    const size = await page.$eval('#chart-bars', (c) => c.width * c.height);
    assert.ok(size > 0, `link ${i}: the chart is drawn`);
    if (bad) assert.ok(await page.$('#url-notice'), `link ${i} ignored something and says so: ${q.slice(0, 200)}`);
    const notice = await page.$eval('#url-notice', (n) => n.textContent.length).catch(() => 0);
    assert.ok(notice < 3000, `link ${i}: the notice stays short (${notice})`);
    if (i % 20 === 3) {
      // Play works on what the link left.
      const n = await page.$eval('.app', (el) => Number(el.dataset.epochs));
      await page.click('#btn-play');
      await page.waitForFunction((n) => Number(document.querySelector('.app').dataset.epochs) > n
        || ['finished', 'diverged'].includes(document.querySelector('.app').dataset.phase), n, { timeout: 30000 });
    }
    assert.deepEqual(problems.slice(before), [], `link ${i}: ${q.slice(0, 200)}`);
  }
  await page?.close();
});

test('the page carries a Content-Security-Policy of its own origin, and it holds', async () => {
  const page = await browser.newPage();
  const problems = watch(page, new URL(server.url).origin);
  await page.goto(server.url);
  await page.waitForFunction(() => Number(document.querySelector('.app')?.dataset.epochs) >= 1);
  const policy = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.doesNotMatch(policy, /https?:|\*/);
  // Only style attributes may be inline (plotters measures chart text with a styled span).
  assert.deepEqual(policy.split('; ').filter((d) => d.includes('unsafe-inline')), ["style-src-attr 'unsafe-inline'"]);
  // The policy is enforced: an injected inline script and a foreign image are refused.
  const violations = await page.evaluate(async () => {
    const seen = [];
    document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
    const img = document.createElement('img');
    img.src = 'https://example.com/x.png';
    document.body.append(img);
    await new Promise((r) => setTimeout(r, 300));
    return { seen, inline: window.__inline };
  });
  assert.equal(violations.inline, undefined, 'inline script blocked');
  assert.ok(violations.seen.some((d) => d.startsWith('script-src')), JSON.stringify(violations));
  assert.ok(violations.seen.some((d) => d.startsWith('img-src')), JSON.stringify(violations));
  // The two refusals above are the only problems: the app itself broke no rule and fetched
  // nothing from elsewhere (the foreign image was blocked before any request).
  const ours = (p) => p.includes('example.com') || p.includes('inline script') || p.includes('CSP violation: script-src');
  assert.deepEqual(problems.filter((p) => !ours(p)), []);
  await page.close();
});

test('memory stays flat on a long run once its history is full (500 epochs, fast)', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watch(page, new URL(server.url).origin);
  await page.goto(`${server.url}?depth=10&width=64&epochs=500&speed=fast`);
  await page.waitForFunction(() => Number(document.querySelector('.app')?.dataset.epochs) >= 1);
  await page.click('#btn-play');
  const epoch = () => page.$eval('#epoch-counter', (e) => Number(e.textContent.split('/')[0]));
  const memory = () => page.$eval('.app', (e) => e.dataset.memory.split(',').map(Number));
  // The history holds 200 records: from epoch 250 on it is full and only thinned.
  await page.waitForFunction(() => Number(document.querySelector('#epoch-counter').textContent.split('/')[0]) >= 250, null, { timeout: 120000 });
  const [page1, worker1] = await memory();
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'finished', null, { timeout: 120000 });
  assert.equal(await epoch(), 500);
  const [page2, worker2] = await memory();
  assert.ok(page2 <= page1 * 1.1, `page memory ${page1} → ${page2} bytes`);
  assert.ok(worker2 <= worker1 * 1.1, `worker memory ${worker1} → ${worker2} bytes`);
  const records = await page.$eval('.app', (e) => Number(e.dataset.epochs));
  assert.ok(records <= 200, `${records} records kept`);
  assert.match(await page.textContent('#thinned'), /kept every \d+/);
  assert.deepEqual(problems, []);
  await page.close();
});
