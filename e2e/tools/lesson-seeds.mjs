// Measures a comparison lesson in the browser on seeds 0–4: every run's validation accuracy
// per epoch, from the page's JSON export. Usage: node tools/lesson-seeds.mjs LESSON_ID
// (a later step: 'LESSON_ID&step=K')
import fs from 'node:fs/promises';
import { serve, launch, waitForEpochs } from './harness.mjs';

const id = process.argv[2];
const server = await serve();
const browser = await launch();
for (let seed = 0; seed < 5; seed++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${server.url}?lesson=${id}&seed=${seed}&init_seed=${seed}&speed=fast`);
  await waitForEpochs(page, 1);
  // A lesson step holds its runs at its question: show the answer without choosing one.
  // "Just show me" starts the runs itself; a click on play then would pause them.
  const phase = () => page.evaluate(() => document.querySelector('.app').dataset.phase);
  if (await page.$('[data-just-show]')) {
    await page.click('[data-just-show]');
    await page.waitForFunction(() => document.querySelector('.app').dataset.phase !== 'paused', null, { timeout: 3000 }).catch(() => {});
  }
  if ((await phase()) === 'paused') await page.click('#btn-play');
  await page.waitForFunction(() => ['finished', 'diverged'].includes(document.querySelector('.app').dataset.phase), null, { timeout: 300000 });
  await page.click('#export-menu > summary');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const json = JSON.parse(await fs.readFile(await file.path(), 'utf8'));
  for (const run of json.runs) {
    const accs = run.records.map((r) => (r.status === 'ok' ? r.val_accuracy.toFixed(3) : 'NaN'));
    console.log(`seed ${seed} run ${run.run} (${run.label}): ${accs.join(' ')} → ${run.records.at(-1).verdict}`);
  }
  await context.close();
}
await browser.close();
await server.close();
