// The real Amplify client (aws-amplify v6, the pinned tools) against
// `ampx dev`: configured from the amplify_outputs.json it wrote, plus
// `Auth.Cognito.userPoolEndpoint` and `identityPoolEndpoint` from its
// `custom.local`.
//
// PHASE=first: two users sign up (codes read from ampx's output), confirm and
// sign in with SRP; the data client creates, reads, updates, lists (filter,
// paging), follows relationships both ways and deletes; each user sees only
// their own records; subscriptions reach the owner only.
// `owner` reads as the signed-in username everywhere (results and events).
// PHASE=restart: after ampx dev restarted, the users sign in again and their
// data is there.
// PHASE=reload: a subscription open when the backend reloads (an edit of the
// assembly) is closed by ampx dev; Amplify reconnects by itself and the
// subscription receives the events of the new API.
// PHASE=groups (the notes backend): a member of Admins, added with
// AdminAddUserToGroup, reads and changes everyone's notes; a non-member cannot.
//
// Environment: TOOLS_NODE_MODULES, OUTPUTS (amplify_outputs.json), AMPX_LOG
// (ampx dev's stdout, where confirmation codes are printed), PHASE.
// NODE_EXTRA_CA_CERTS must name the local CA (custom.local.ca_cert).
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { auth, generateClient, outputs, require } from './local_amplify.mjs';

const step = (name) => process.stdout.write(`step: ${name}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PASSWORD = 'Correct-horse-42';
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

async function code(email) {
  const pattern = new RegExp(`sign-up confirmation code for ${email.replace('.', '\\.')} \\(by email\\): (\\d+)`);
  for (let i = 0; i < 100; i++) {
    const match = readFileSync(process.env.AMPX_LOG, 'utf8').match(pattern);
    if (match) return match[1];
    await sleep(50);
  }
  throw new Error(`ampx dev printed no confirmation code for ${email}`);
}

async function signUp(email) {
  const out = await auth.signUp({ username: email, password: PASSWORD, options: { userAttributes: { email } } });
  assert.equal(out.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
  const done = await auth.confirmSignUp({ username: email, confirmationCode: await code(email) });
  assert.equal(done.isSignUpComplete, true);
}

async function signInAs(email) {
  await auth.signOut();
  const out = await auth.signIn({ username: email, password: PASSWORD });
  assert.equal(out.isSignedIn, true, JSON.stringify(out));
  return (await auth.getCurrentUser()).userId;
}

// The signed-in user's username, as a frontend compares it with `owner`.
async function username() {
  return (await auth.getCurrentUser()).username;
}

// Cognito's AdminAddUserToGroup, sent to the local user pool as the AWS SDK sends it.
async function addToGroup(email, group) {
  const response = await fetch(outputs.custom.local.user_pool_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.AdminAddUserToGroup',
    },
    body: JSON.stringify({ UserPoolId: outputs.auth.user_pool_id, Username: email, GroupName: group }),
  });
  assert.equal(response.status, 200, await response.text());
}

function ok({ data, errors }) {
  assert.equal(errors, undefined, JSON.stringify(errors));
  return data;
}

const client = generateClient();

if (process.env.PHASE === 'groups') {
  // Notes: owners, and an Admins group that may read and change every note.
  step('three users sign up; bob joins Admins through AdminAddUserToGroup');
  const [ALICE_N, BOB_N, CAROL_N] = ['alice@notes.test', 'bob@notes.test', 'carol@notes.test'];
  for (const email of [ALICE_N, BOB_N, CAROL_N]) await signUp(email);
  await addToGroup(BOB_N, 'Admins');

  step('alice and carol write notes; owner reads as the username');
  await signInAs(ALICE_N);
  const aliceName = await username();
  const note = ok(await client.models.Note.create({ text: 'alice was here' }));
  assert.equal(note.owner, aliceName, 'owner reads as the username');
  await signInAs(CAROL_N);
  const carols = ok(await client.models.Note.create({ text: 'carol too' }));

  step('bob (Admins) reads, lists, changes and deletes notes that are not his');
  await signInAs(BOB_N);
  const session = await auth.fetchAuthSession();
  assert.deepEqual(session.tokens.accessToken.payload['cognito:groups'], ['Admins']);
  const seen = ok(await client.models.Note.get({ id: note.id }));
  assert.equal(seen.text, 'alice was here');
  assert.equal(seen.owner, aliceName, 'an admin sees the owner as its username too');
  const all = ok(await client.models.Note.list());
  assert.deepEqual(all.map((n) => n.text).sort(), ['alice was here', 'carol too']);
  const edited = ok(await client.models.Note.update({ id: note.id, text: 'moderated' }));
  assert.equal(edited.text, 'moderated');
  assert.equal(edited.owner, aliceName, 'the owner is kept');
  ok(await client.models.Note.delete({ id: carols.id }));

  step('carol (no group) can neither read nor change alice\'s note');
  await signInAs(CAROL_N);
  assert.deepEqual(ok(await client.models.Note.list()), [], 'carol\'s own note was deleted by bob');
  const denied = await client.models.Note.get({ id: note.id });
  assert.equal(denied.data, null);
  assert.ok(denied.errors?.length, 'carol cannot read alice\'s note');
  const change = await client.models.Note.update({ id: note.id, text: 'carol wrote this' });
  assert.ok(change.errors?.length, 'carol cannot change alice\'s note');
  const removal = await client.models.Note.delete({ id: note.id });
  assert.ok(removal.errors?.length, 'carol cannot delete alice\'s note');

  step('alice still has her note, as the admin left it');
  await signInAs(ALICE_N);
  const mine = ok(await client.models.Note.list());
  assert.deepEqual(mine.map((n) => [n.text, n.owner]), [['moderated', aliceName]]);
  step('done');
  process.exit(0);
}

if (process.env.PHASE === 'reload') {
  const { Hub } = require('aws-amplify/utils');
  const { CONNECTION_STATE_CHANGE } = require('aws-amplify/data');
  const states = [];
  Hub.listen('api', ({ payload }) => {
    if (payload.event === CONNECTION_STATE_CHANGE) states.push(payload.data.connectionState);
  });
  const until = async (what, test, ms = 30000) => {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (test()) return;
    throw new Error(`timed out waiting for ${what}; connection states: ${states.join(' > ')}`);
  };
  const reloads = () => readFileSync(process.env.AMPX_LOG, 'utf8').split('reloaded in').length - 1;

  step('dana signs up and subscribes');
  const DANA = 'dana@example.com';
  await signUp(DANA);
  await signInAs(DANA);
  const saw = [];
  const sub = client.models.Chat.onCreate().subscribe({ next: (c) => saw.push(c.name), error: (e) => saw.push(e) });
  await until('the subscription to connect', () => states.includes('Connected'));
  ok(await client.models.Chat.create({ name: 'before' }));
  await until('the event before the reload', () => saw.includes('before'));

  step('the backend reloads (the assembly is edited) and closes the connection');
  const before = reloads();
  const manifest = path.resolve(path.dirname(process.env.OUTPUTS), '..', 'cdk.out', 'manifest.json');
  appendFileSync(manifest, '\n');
  await until('ampx dev to reload', () => reloads() > before);
  await until('the connection to drop', () => states.slice(states.lastIndexOf('Connected')).some((s) => s.startsWith('ConnectionDisrupted')));

  step('Amplify reconnects and the subscription receives the new API\'s events');
  await until('the reconnection', () => states.at(-1) === 'Connected');
  ok(await client.models.Chat.create({ name: 'after' }));
  await until('the event after the reload', () => saw.includes('after'), 10000);
  assert.deepEqual(saw, ['before', 'after']);
  sub.unsubscribe();
  process.stdout.write(`states: ${states.join(' > ')}\n`);
  step('done');
  process.exit(0);
}

if (process.env.PHASE === 'restart') {
  step('users survive a restart');
  await signInAs(ALICE);
  const { data: chats } = await client.models.Chat.list();
  assert.deepEqual(chats.map((c) => c.name).sort(), ['persisted']);
  const messages = ok(await chats[0].messages());
  assert.deepEqual(messages.map((m) => m.text), ['kept']);
  await signInAs(BOB);
  assert.deepEqual((await client.models.Chat.list()).data, []);
  step('done');
  process.exit(0);
}

step('two users sign up, confirm with the printed codes, sign in with SRP');
await signUp(ALICE);
await signUp(BOB);
const bobId = await signInAs(BOB);

step('bob subscribes to chats created');
const bobSaw = [];
const bobSub = client.models.Chat.onCreate().subscribe({ next: (c) => bobSaw.push(c), error: (e) => bobSaw.push(e) });
await sleep(500);

const aliceId = await signInAs(ALICE);
assert.notEqual(aliceId, bobId);
const aliceName = await username();

step('alice subscribes (onCreate, observeQuery)');
const aliceSaw = [];
const aliceSub = client.models.Chat.onCreate().subscribe({ next: (c) => aliceSaw.push(c) });
const snapshots = [];
const observed = client.models.Chat.observeQuery().subscribe({ next: (s) => snapshots.push(s) });
await sleep(500);

step('create, get, update');
const chat = ok(await client.models.Chat.create({ name: 'general' }));
assert.equal(chat.name, 'general');
process.stdout.write(`owner: ${chat.owner}\n`);
// Stored as `sub::username`, read as Amplify's owner field resolver reads it.
assert.equal(chat.owner, aliceName, 'owner is the signed-in username');
const got = ok(await client.models.Chat.get({ id: chat.id }));
assert.equal(got.name, 'general');
assert.equal(got.owner, aliceName);
const updated = ok(await client.models.Chat.update({ id: chat.id, name: 'renamed' }));
assert.equal(updated.name, 'renamed');

step('messages and lazy relationships both ways');
const m1 = ok(await client.models.Message.create({ chatId: chat.id, text: 'hello' }));
ok(await client.models.Message.create({ chatId: chat.id, text: 'world' }));
const messages = ok(await updated.messages());
assert.deepEqual(messages.map((m) => m.text).sort(), ['hello', 'world']);
const parent = ok(await m1.chat());
assert.equal(parent.id, chat.id);

step('list with a filter and paging');
for (const name of ['a', 'b', 'c']) ok(await client.models.Chat.create({ name }));
const filtered = ok(await client.models.Chat.list({ filter: { name: { eq: 'b' } } }));
assert.deepEqual(filtered.map((c) => c.name), ['b']);
const seen = [];
let nextToken = null;
let pages = 0;
do {
  const page = await client.models.Chat.list({ limit: 2, nextToken });
  ok(page);
  seen.push(...page.data.map((c) => c.name));
  nextToken = page.nextToken;
  pages++;
} while (nextToken && pages < 10);
assert.deepEqual(seen.sort(), ['a', 'b', 'c', 'renamed']);
assert.ok(pages >= 2, `paging took ${pages} pages`);

step('subscriptions reach the owner only');
await sleep(1000);
assert.deepEqual(aliceSaw.map((c) => c.name).sort(), ['a', 'b', 'c', 'general']);
assert.deepEqual([...new Set(aliceSaw.map((c) => c.owner))], [aliceName], 'events carry the username too');
assert.deepEqual(bobSaw, [], 'bob received alice\'s chats');
const last = snapshots.at(-1);
assert.ok(last.isSynced, 'observeQuery synced');
assert.deepEqual(last.items.map((c) => c.name).sort(), ['a', 'b', 'c', 'renamed']);
assert.ok(last.items.every((c) => c.owner === aliceName), JSON.stringify(last.items));
aliceSub.unsubscribe();
observed.unsubscribe();
bobSub.unsubscribe();

step('delete');
ok(await client.models.Message.delete({ id: m1.id }));
for (const c of ok(await client.models.Chat.list())) {
  if (c.id !== chat.id) ok(await client.models.Chat.delete({ id: c.id }));
}
ok(await client.models.Chat.update({ id: chat.id, name: 'persisted' }));
const rest = ok(await client.models.Message.list());
assert.equal(rest.length, 1);
ok(await client.models.Message.update({ id: rest[0].id, text: 'kept' }));

step('bob sees none of it and cannot change it');
await signInAs(BOB);
assert.deepEqual(ok(await client.models.Chat.list()), []);
const stolen = await client.models.Chat.get({ id: chat.id });
assert.equal(stolen.data, null);
const renamed = await client.models.Chat.update({ id: chat.id, name: 'mine now' });
assert.ok(renamed.errors?.length, 'bob cannot rename alice\'s chat');
step('done');
process.exit(0);
