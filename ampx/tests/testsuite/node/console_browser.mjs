// Drives `ampx dev`'s console in headless Chromium (playwright-core, pinned in
// scripts/tools-node) through the acceptance steps of issue 19, asserting on
// what each page shows. Env: CONSOLE_URL (with its token), CHROMIUM,
// TOOLS_NODE_MODULES, SCREENSHOTS (a directory).
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import path from 'node:path';

const require = createRequire(path.join(process.env.TOOLS_NODE_MODULES, 'noop.js'));
const { chromium } = require('playwright-core');

const step = (name) => console.log(`step: ${name}`);
const shot = (page, name) => page.screenshot({ path: path.join(process.env.SCREENSHOTS, `${name}.png`), fullPage: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const failures = [];
const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
try {
  // Generous: CI runs this beside other builds on two cores. Every wait is
  // for a state the page reaches, never a fixed sleep.
  page.setDefaultTimeout(60000);
  page.setDefaultNavigationTimeout(60000);
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  page.on('dialog', (d) => d.accept());
  const error = page.locator('#error');
  const noError = async () => assert.equal(await error.isVisible() ? await error.textContent() : '', '');

  step('open');
  const started = Date.now();
  await page.goto(process.env.CONSOLE_URL);
  await page.waitForSelector('body[data-ready="true"]');
  console.log(`ready ms: ${Date.now() - started}`);
  assert.ok(!page.url().includes('token='), 'the token is dropped from the address bar');

  step('a request from another origin is refused');
  const other = await fetch(new URL('/api/config', process.env.CONSOLE_URL), { headers: { origin: 'http://evil.example' } });
  assert.equal(other.status, 403);

  step('create users; add one to a group');
  await page.click('a[href="#users"]');
  const createUser = async (email) => {
    await page.fill('#new-user input[name=username]', email);
    await page.fill('#new-user input[name=password]', 'Passw0rd!Passw0rd');
    await page.click('#new-user button[type=submit]');
    await page.waitForSelector(`tr[data-user="${email}"]`);
  };
  await createUser('ann@example.com');
  await createUser('bob@example.com');
  const ann = page.locator('tr[data-user="ann@example.com"]');
  assert.equal(await ann.locator('.status').textContent(), 'CONFIRMED');
  await ann.locator('select.group-pick').selectOption('Moderators');
  await page.waitForSelector('tr[data-user="ann@example.com"] .groups .chip:has-text("Moderators")');
  await noError();

  step('disable and enable a user');
  const bob = page.locator('tr[data-user="bob@example.com"]');
  await bob.locator('button:has-text("Disable")').click();
  await page.waitForSelector('tr[data-user="bob@example.com"] .enabled:has-text("disabled")');
  await page.locator('tr[data-user="bob@example.com"] button:has-text("Enable")').click();
  await page.waitForSelector('tr[data-user="bob@example.com"] .enabled:has-text("enabled")');
  await shot(page, 'users');

  step('sign in as ann');
  await page.locator('tr[data-user="ann@example.com"] button.sign-in-as').click();
  await page.waitForSelector('#note:has-text("Acting as ann@example.com")');
  assert.equal(await page.locator('#identity option:checked').textContent(), 'User ann@example.com');

  step('create a chat and two messages through the forms');
  await page.click('a[href="#data"]');
  await page.click('.side button[data-model="Chat"]');
  await page.waitForSelector('#records[data-model="Chat"]');
  await page.click('#new-record');
  await page.fill('#record-form input[name=name]', 'Team chat');
  await page.click('#record-form button[type=submit]');
  await page.waitForSelector('#records td:has-text("Team chat")');
  await page.click('.side button[data-model="Message"]');
  await page.waitForSelector('#records[data-model="Message"]');
  for (const text of ['hello there', 'second message']) {
    await page.click('#new-record');
    const chatPick = page.locator('#record-form select[name=chatId]');
    await chatPick.selectOption({ label: await chatPick.locator('option:has-text("Team chat")').textContent() });
    await page.fill('#record-form input[name=text]', text);
    await page.click('#record-form button[type=submit]');
    await page.waitForSelector(`#records td:has-text("${text}")`);
  }
  assert.equal(await page.locator('#records tbody tr').count(), 2);
  await noError();
  assert.equal(await page.locator('#playground').isVisible(), false, 'the playground shows on its own tab only');
  assert.ok(!(await page.locator('#page').textContent()).includes('null'), 'nothing renders as "null"');
  await shot(page, 'data');

  step('follow the relationship from the chat to its messages');
  await page.click('.side button[data-model="Chat"]');
  await page.waitForSelector('#records td:has-text("Team chat")');
  await page.locator('#records tr:has-text("Team chat") button.follow:has-text("messages")').click();
  await page.waitForSelector('text=Message of Chat');
  await page.waitForSelector('#records td:has-text("hello there")');
  assert.equal(await page.locator('#records tbody tr').count(), 2);
  await shot(page, 'related');

  step('edit one message, delete the other');
  await page.locator('#records tr:has-text("hello there") button:has-text("Edit")').click();
  await page.fill('#record-form input[name=text]', 'hello, edited');
  await page.click('#record-form button[type=submit]');
  await page.waitForSelector('#records td:has-text("hello, edited")');
  await page.locator('#records tr:has-text("second message") button:has-text("Delete")').click();
  await page.waitForSelector('#records td:has-text("second message")', { state: 'detached' });
  assert.equal(await page.locator('#records tbody tr').count(), 1);
  await noError();

  step('another user sees none of ann\'s records (owner rule)');
  await page.click('a[href="#users"]');
  await page.locator('tr[data-user="bob@example.com"] button.sign-in-as').click();
  await page.waitForSelector('#note:has-text("Acting as bob@example.com")');
  await page.click('a[href="#data"]');
  await page.click('.side button[data-model="Chat"]');
  await page.waitForSelector('#page-number:has-text("0 shown")');
  assert.equal(await page.locator('#records tbody tr').count(), 0);
  await page.selectOption('#identity', { label: 'User ann@example.com' });
  await page.waitForSelector('#records td:has-text("Team chat")');

  step('generate 20 seed chats and page through them');
  await page.fill('#seed-count', '20');
  await page.click('#seed');
  await page.waitForSelector('#page-number:has-text("20 shown")', { timeout: 180000 });
  assert.equal(await page.locator('#next-page').isDisabled(), false, '21 chats do not fit one page of 20');
  await page.click('#next-page');
  await page.waitForSelector('#page-number:has-text("page 2 · 1 shown")');
  await noError();
  await shot(page, 'seeded');

  step('act as the admin: every owner\'s records');
  await page.selectOption('#identity', { label: 'Admin (IAM)' });
  await page.click('.side button[data-model="Chat"]');
  // Ann owns all 21 chats; Bob saw none of them, the admin sees them all.
  await page.waitForSelector('#records[data-model="Chat"] ~ .toolbar #page-number:has-text("page 1 · 20 shown")');
  await page.click('#next-page');
  await page.waitForSelector('#page-number:has-text("page 2 · 1 shown")');
  await noError();

  step('run a query in the playground (as the admin)');
  await page.click('a[href="#playground"]');
  const frame = page.frameLocator('#playground');
  const editor = frame.locator('.graphiql-query-editor .CodeMirror').first();
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type('query Names { listChats(filter: {name: {eq: "Team chat"}}) { items { name } } }');
  await frame.locator('.graphiql-execute-button').click();
  await frame.locator('.graphiql-response:has-text("Team chat")').waitFor();
  const response = await frame.locator('.graphiql-response').textContent();
  assert.ok(response.includes('"listChats"') && response.includes('"Team chat"'), response);
  await shot(page, 'playground');

  step('upload a file and see it in the storage browser');
  await page.click('a[href="#storage"]');
  await page.waitForSelector('#drop');
  await page.setInputFiles('#upload', { name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('hello from the console') });
  await page.waitForSelector('#objects tr[data-key="hello.txt"]');
  assert.ok((await page.locator('#objects tr[data-key="hello.txt"]').textContent()).includes('22 B'));
  await page.waitForSelector('#rules');
  await noError();
  await shot(page, 'storage');

  step('invoke sayHello and see its log line');
  await page.click('a[href="#functions"]');
  await page.locator('.side button:has-text("say-hello")').click();
  await page.fill('#event', '{"arguments": {"name": "Ada"}}');
  await page.click('#invoke');
  await page.waitForSelector('#invoke-result pre:has-text("Hello, Ada!")', { timeout: 120000 });
  await page.waitForSelector('#invoke-result .log:has-text("REPORT RequestId")');
  await noError();
  await shot(page, 'functions');

  assert.deepEqual(failures, []);
  step('done');
} catch (e) {
  // What the page showed when a step failed, to tell why.
  console.log(`error box: ${await page.locator('#error').textContent().catch(() => '?')}`);
  console.log(`page text: ${(await page.locator('main').textContent().catch(() => '?')).slice(0, 2000)}`);
  await shot(page, 'failure').catch(() => {});
  throw e;
} finally {
  await browser.close();
}
