// Lessons in the real app: predict first, then see. The guided tour is played end to end on
// seed 0 (no spoiler before the answer, right and wrong marked, every check of every step
// holding on what the browser computed), every other built-in lesson's checks are held to the
// browser's numbers, and lessons open from a file, a drop, a same-origin path and a shared link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { serve, launch, openPage, watch, DIST } from '../tools/harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const player = (page) => page.$eval('[data-lesson-player]', (el) => ({
  step: Number(el.dataset.step), steps: Number(el.dataset.steps), asking: el.classList.contains('asking'),
}));
const runEpochs = (page) => page.$$eval('[data-run-summary]', (els) => els.map((e) => e.dataset.epoch));
const checks = (page) => page.$$eval('[data-reveal] [data-check]', (els) => els.map((e) => ({ holds: e.dataset.holds, text: e.textContent })));
const waitReveal = (page) => page.waitForSelector('[data-reveal]', { state: 'visible', timeout: 240000 });

const SMALL = `# A small lesson

Two steps on a **tiny** network.

## Small weights
runs: ?depth=3&width=16&init=small&epochs=2
ask: Which layer gets the smallest gradient?
- [ ] the output layer
- [x] layer 1
reveal: Each layer passes on a fraction of what it receives.
check: run 1 epoch 0 grad_norm[1] / grad_norm[last] < 0.5

## Watch it train
runs: ?depth=3&width=16&epochs=2
reveal: A watch step: no question.
`;

test('the guided tour plays end to end on seed 0: no spoiler before the answer, every check holds', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?lesson=tour&speed=fast`, undefined, { ask: true });
  await page.waitForSelector('[data-lesson-player]');
  const { steps } = await player(page);
  assert.equal(steps, 8);
  const text = await fs.readFile(path.resolve(DIST, '..', 'lessons', 'tour.md'), 'utf8');
  const blocks = text.split('\n## ').slice(1);
  const pauses = blocks.map((s) => Number((s.match(/\npause: (\d+)/) ?? [0, 0])[1]));
  const marksOf = (s) => s.split('\n').filter((l) => /^- \[[ x]\]/.test(l)).map((l) => l[3] === 'x');
  const rights = blocks.map((s) => marksOf(s).indexOf(true));
  const wrongs = blocks.map((s) => marksOf(s).indexOf(false));
  let right = 0;
  for (let k = 1; k <= steps; k++) {
    await page.waitForFunction((k) => document.querySelector('[data-lesson-player]')?.dataset.step === String(k), k);
    assert.equal((await player(page)).asking, true, `step ${k} asks first`);
    const choices = await page.$$eval('button[data-choice]', (els) => els.length);
    assert.ok(choices >= 2);
    // Nothing gives the answer away: the runs wait at the pause epoch, charts and run lines
    // are hidden, no reveal, no verdict badge visible.
    await page.waitForTimeout(300);
    await page.waitForFunction((p) => [...document.querySelectorAll('[data-run-summary]')].every((e) => e.dataset.epoch === String(p)), pauses[k - 1], { timeout: 120000 });
    await page.waitForTimeout(600);
    assert.deepEqual([...new Set(await runEpochs(page))], [String(pauses[k - 1])], `step ${k} held at its pause`);
    assert.equal(await page.$('[data-reveal]'), null);
    assert.equal(await page.isVisible('#chart-bars'), false, 'bars hidden');
    assert.equal(await page.isVisible('[data-run-summary]'), false, 'run lines hidden');
    // Every step answered with the keys: right, except step 2 (a wrong choice on purpose).
    const key = k === 2 ? wrongs[k - 1] + 1 : rights[k - 1] + 1;
    await page.keyboard.press(String(key));
    await waitReveal(page);
    const marks = await page.$$eval('button[data-choice]', (els) => els.map((e) => e.dataset.answer));
    assert.ok(marks.includes('right'), `step ${k}: the right answer is marked`);
    assert.equal(marks[key - 1], k === 2 ? 'wrong' : 'right', `step ${k}`);
    if (k !== 2) right++;
    // The reveal waits for the runs' own last epoch (not the hold's): the checks are there
    // with it. Allow a moment all the same, then hold every check.
    await page.waitForFunction(() => { const els = [...document.querySelectorAll('[data-reveal] [data-check]')]; return els.length > 0 && els.every((e) => e.dataset.holds === 'true'); }, null, { timeout: 10000 }).catch(() => {});
    const c = await checks(page);
    assert.ok(c.length >= 1, `step ${k} shows its measured checks`);
    for (const x of c) assert.equal(x.holds, 'true', `step ${k}: ${x.text}`);
    assert.equal(await page.isVisible('#chart-bars'), true, 'the charts are back');
    await page.keyboard.press('PageDown');
  }
  await page.waitForSelector('[data-lesson-summary]');
  const score = await page.$eval('[data-score]', (e) => e.dataset.score);
  assert.equal(score, `${right}/8`);
  assert.equal(right, 7);
  // The one to revisit is step 2.
  assert.deepEqual(await page.$$eval('button[data-revisit]', (els) => els.map((e) => e.dataset.revisit)), ['1']);
  await page.click('button[data-revisit="1"]');
  await page.waitForFunction(() => document.querySelector('[data-lesson-player]').dataset.step === '2');
  assert.deepEqual(problems, []);
});

test('every other built-in lesson: its checks hold on what the browser computes (seed 0)', async () => {
  const ids = (await fs.readdir(path.resolve(DIST, '..', 'lessons'))).map((f) => f.replace(/\.md$/, '')).filter((id) => id !== 'tour');
  assert.ok(ids.length >= 10);
  const { page, problems } = await openPage(browser, `${server.url}?speed=fast`);
  for (const id of ids) {
    await page.goto(`${server.url}?lesson=${id}&speed=fast`);
    await page.waitForSelector('[data-lesson-player]');
    const { steps } = await player(page);
    for (let k = 1; k <= steps; k++) {
      await page.waitForFunction((k) => document.querySelector('[data-lesson-player]')?.dataset.step === String(k), k);
      if (await page.$('[data-just-show]')) await page.click('[data-just-show]');
      await waitReveal(page);
      const c = await checks(page);
      for (const x of c) assert.equal(x.holds, 'true', `${id} step ${k}: ${x.text}`);
      await page.click('button[data-lesson-next]');
    }
  }
  assert.deepEqual(problems, []);
});

test('a lesson file opens from the picker and plays; a malformed one names its line and changes nothing', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?speed=fast`);
  const styles = [];
  page.on('request', (r) => { if (r.url().endsWith('.css')) styles.push(new URL(r.url()).pathname); });
  await page.waitForSelector('input[type=file][data-lesson-file]', { state: 'attached' });
  // The player's stylesheet is not part of the page's start: fetched with the first lesson.
  const lessonCss = () => page.evaluate(() => [...document.querySelectorAll('link[rel=stylesheet]')].filter((l) => l.href.endsWith('/lesson.css')).length);
  assert.equal(await lessonCss(), 0, 'no lesson stylesheet before a lesson opens');
  await page.setInputFiles('input[data-lesson-file]', { name: 'small.md', mimeType: 'text/markdown', buffer: Buffer.from(SMALL) });
  await page.waitForSelector('[data-lesson-player]');
  await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-lesson-player]')).borderTopWidth === '2px');
  assert.equal(await lessonCss(), 1);
  assert.match(await page.textContent('[data-lesson-player]'), /A small lesson/);
  assert.deepEqual(await player(page), { step: 1, steps: 2, asking: true });
  assert.match(await page.textContent('[data-question]'), /smallest gradient/);
  await page.keyboard.press('2');
  await waitReveal(page);
  assert.equal(await page.$eval('button[data-choice="1"]', (e) => e.dataset.answer), 'right');
  assert.equal(await page.$eval('button[data-choice="0"]', (e) => e.dataset.answer), 'other');
  // A watch step: no question, the reveal once the runs are done.
  await page.click('button[data-lesson-next]');
  await page.waitForFunction(() => document.querySelector('[data-lesson-player]').dataset.step === '2');
  assert.equal(await page.$('[data-question]'), null);
  await waitReveal(page);
  assert.match(await page.textContent('[data-reveal]'), /A watch step/);
  // Exploring inside a step, then back to it.
  await page.click('#btn-compare');
  await page.waitForSelector('[data-lesson-back]');
  assert.equal(await page.$('[data-reveal]'), null, 'the reveal belongs to the step\'s own runs');
  await page.click('[data-lesson-back]');
  await page.waitForFunction(() => document.querySelectorAll('[data-run-summary]').length === 1);
  // A malformed file: the error names the line; the lesson on screen stays.
  const bad = SMALL.replace('reveal: Each layer', 'revael: Each layer');
  await page.setInputFiles('input[data-lesson-file]', { name: 'bad.md', mimeType: 'text/markdown', buffer: Buffer.from(bad) });
  await page.waitForSelector('[data-lesson-error]');
  assert.match(await page.textContent('[data-lesson-error]'), /bad\.md: line 10: unknown field 'revael:'/);
  assert.match(await page.textContent('[data-lesson-player]'), /A small lesson/);
  // Too large, and markup that must stay text.
  await page.setInputFiles('input[data-lesson-file]', { name: 'big.md', mimeType: 'text/markdown', buffer: Buffer.alloc(70000, 'x') });
  await page.waitForFunction(() => /64 KB/.test(document.querySelector('[data-lesson-error]')?.textContent ?? ''));
  const hostile = SMALL.replace('# A small lesson', '# <img src=x onerror=alert(1)>').replace('Each layer', '<script>alert(2)</script>');
  await page.setInputFiles('input[data-lesson-file]', { name: 'hostile.md', mimeType: 'text/markdown', buffer: Buffer.from(hostile) });
  await page.waitForFunction(() => /img src=x/.test(document.querySelector('[data-lesson-player]')?.textContent ?? ''));
  assert.equal(await page.$('[data-lesson-player] img, [data-lesson-player] script'), null);
  assert.equal(await lessonCss(), 1, 'each lesson opened after the first reuses the stylesheet');
  assert.equal(styles.filter((p) => p.endsWith('/lesson.css')).length, 1);
  assert.deepEqual(problems, []);
});

test('shared: a #lesson= link carries the whole lesson; a same-origin lesson_file opens; bad ones say why', async () => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const problems = watch(page, new URL(server.url).origin);
  await page.goto(`${server.url}?speed=fast`);
  await page.setInputFiles('input[data-lesson-file]', { name: 'small.md', mimeType: 'text/markdown', buffer: Buffer.from(SMALL) });
  await page.waitForSelector('[data-lesson-player]');
  await page.click('[data-share]');
  await page.waitForSelector('.lesson-note');
  const note = await page.textContent('.lesson-note');
  const link = note.includes('Copy this link: ') ? note.split('Copy this link: ')[1] : await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#lesson=[A-Za-z0-9_-]+$/);
  assert.ok(link.length < SMALL.length * 1.2, `compressed: ${link.length} characters for ${SMALL.length}`);
  // Download lesson: the same text back.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-download]')]);
  const saved = await fs.readFile(await download.path(), 'utf8');
  assert.match(saved, /^# A small lesson\n/);
  assert.match(saved, /- \[x\] layer 1/);
  // Copy as a lesson step: the runs on screen as a ready block.
  await page.click('#copy-lesson-step');
  await page.waitForTimeout(300);
  const block = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(block, /^## .+\nruns: \?.*depth=3.*\nask: /);

  const other = await context.newPage();
  const otherProblems = watch(other, new URL(server.url).origin);
  await other.goto(link);
  await other.waitForSelector('[data-lesson-player]');
  assert.match(await other.textContent('[data-lesson-player]'), /A small lesson/);
  assert.deepEqual(await player(other), { step: 1, steps: 2, asking: true });
  // The fragment stays in the address bar while its lesson is open (a reload keeps it).
  await other.keyboard.press('1');
  await other.waitForTimeout(500);
  assert.match(other.url(), /#lesson=/);
  await other.goto(`${server.url}#lesson=not-a-lesson`);
  await other.waitForSelector('[data-lesson-error]');
  assert.match(await other.textContent('[data-lesson-error]'), /could not be read/);

  const file = path.join(DIST, 'e2e-lesson.md');
  await fs.writeFile(file, SMALL);
  try {
    await other.goto(`${server.url}?lesson_file=e2e-lesson.md`);
    await other.waitForSelector('[data-lesson-player]');
    assert.match(await other.textContent('[data-lesson-player]'), /A small lesson/);
    await other.waitForFunction(() => new URL(location.href).searchParams.get('lesson_file') === 'e2e-lesson.md');
  } finally {
    await fs.rm(file);
  }
  await other.goto(`${server.url}?lesson_file=https://example.org/x.md`);
  await other.waitForSelector('[data-lesson-error]');
  assert.match(await other.textContent('[data-lesson-error]'), /only a path on this site/);
  await other.goto(`${server.url}?lesson_file=missing.md`);
  await other.waitForSelector('[data-lesson-error]');
  assert.match(await other.textContent('[data-lesson-error]'), /404/);
  assert.deepEqual([...problems, ...otherProblems].filter((p) => !/404|Failed to load resource/.test(p)), []);
  await context.close();
});

test('a lesson file dropped on the page opens; presenter mode puts the question on the whole screen', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?present=1&theme=lecture`, { width: 1280, height: 720 });
  await page.waitForSelector('.app.presenting');
  const transfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.md', { type: 'text/markdown' }));
    return dt;
  }, SMALL);
  await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
  await page.waitForSelector('[data-lesson-player].asking');
  const box = await page.$eval('[data-lesson-player]', (e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; });
  assert.deepEqual(box, [1280, 720], 'the question fills the screen');
  const choices = await page.$$eval('button[data-choice] .choice-key', (els) => els.map((e) => e.textContent));
  assert.deepEqual(choices, ['1', '2'], 'numbered for a show of hands');
  await page.keyboard.press('1');
  await page.waitForSelector('[data-lesson-player]:not(.asking)');
  assert.equal(await page.$eval('button[data-choice="0"]', (e) => e.dataset.answer), 'wrong');
  assert.equal(await page.$eval('button[data-choice="1"]', (e) => e.dataset.answer), 'right');
  // The charts get the screen back: the player is one line.
  const height = await page.$eval('[data-lesson-player]', (e) => e.getBoundingClientRect().height);
  assert.ok(height < 120, `player ${height}px tall`);
  assert.deepEqual(problems, []);
});
