// The console's first page in headless Chromium (playwright-core from the
// pinned Node tools): for each run, a fresh browser context (empty cache)
// opens the console and waits until the page is interactive (its config
// loaded, identities listed), then until the first model's table is drawn,
// then opens the Chat table (20 records of a large table). Prints one line
// of milliseconds per run. Env: CONSOLE_URL, CHROMIUM, TOOLS_NODE_MODULES, RUNS.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.TOOLS_NODE_MODULES, 'noop.js'));
const { chromium } = require('playwright-core');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  for (let i = 0; i < Number(process.env.RUNS || 5); i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(60000);
    const started = Date.now();
    await page.goto(process.env.CONSOLE_URL);
    await page.waitForSelector('body[data-ready="true"]');
    const ready = Date.now() - started;
    // The first model's view as the default identity (the admin).
    await page.waitForSelector('#records[data-model]');
    const table = Date.now() - started;
    const clicked = Date.now();
    await page.click('.side button[data-model="Chat"]');
    await page.waitForSelector('#records[data-model="Chat"] tbody tr:nth-child(20)');
    const chat = Date.now() - clicked;
    console.log(`run ready ${ready} table ${table} chat ${chat}`);
    await context.close();
  }
} finally {
  await browser.close();
}
