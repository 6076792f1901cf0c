// The chat example's `media` bucket and data through the real Amplify client
// (aws-amplify v6) against `ampx dev`, as a signed-in user and as a guest of
// the local identity pool. Storage calls take `options.customEndpoint` (the
// local S3 endpoint from custom.local.storage_endpoint).
//
// PHASE=user: a user signs up and confirms with the code ampx printed; its
// writes under another identity's folder or outside the rules are refused.
// Prints the user's identity id.
// PHASE=picture: the user uploads a profile picture under
// profile-pictures/{entity_id}/.
// PHASE=guest (IDENTITY_ID: the user's): a guest reads and lists that profile
// picture, as `allow.guest.to([Read])` lets, and is refused uploads, removes,
// copies and photos/; in the data API the guest reads announcements (posted
// beforehand) and nothing else.
//
// Environment: TOOLS_NODE_MODULES, OUTPUTS, AMPX_LOG, NODE_EXTRA_CA_CERTS,
// USER_EMAIL, USER_PASSWORD.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { auth, generateClient, outputs, require } from './local_amplify.mjs';

const storage = require('aws-amplify/storage');
const local = { customEndpoint: outputs.custom.local.storage_endpoint };
const step = (name) => process.stdout.write(`step: ${name}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const text = async (body) => body.text();

async function code(email) {
  const pattern = new RegExp(`sign-up confirmation code for ${email.replace('.', '\\.')} \\(by email\\): (\\d+)`);
  for (let i = 0; i < 100; i++) {
    const match = readFileSync(process.env.AMPX_LOG, 'utf8').match(pattern);
    if (match) return match[1];
    await sleep(50);
  }
  throw new Error(`ampx dev printed no confirmation code for ${email}`);
}

async function refused(promise, what) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.name, 'AccessDenied', `${what}: expected AccessDenied, got ${e.name}: ${e.message}`);
    return;
  }
  assert.fail(`${what} was allowed`);
}

function unauthorized(result, what) {
  assert.ok(result.errors?.length, `${what} was not refused: ${JSON.stringify(result)}`);
  assert.equal(result.errors[0].errorType, 'Unauthorized', JSON.stringify(result.errors));
}

const { USER_EMAIL: EMAIL, USER_PASSWORD: PASSWORD } = process.env;

if (process.env.PHASE === 'user') {
  step('sign up and in');
  await auth.signUp({ username: EMAIL, password: PASSWORD, options: { userAttributes: { email: EMAIL } } });
  await auth.confirmSignUp({ username: EMAIL, confirmationCode: await code(EMAIL) });
  assert.equal((await auth.signIn({ username: EMAIL, password: PASSWORD })).isSignedIn, true);
  const { identityId } = await auth.fetchAuthSession();
  assert.match(identityId, /^us-east-1:[0-9a-f-]{36}$/);

  step("refused under another identity's folder and outside the rules");
  const other = 'profile-pictures/us-east-1:00000000-0000-4000-8000-000000000000/';
  await refused(storage.uploadData({ path: `${other}x.png`, data: 'no', options: local }).result, "upload to another's folder");
  await refused(storage.list({ path: other, options: local }), "list of another's folder");
  await refused(storage.uploadData({ path: 'public/x.txt', data: 'no', options: local }).result, 'upload outside the rules');
  await auth.signOut();
  process.stdout.write(`identity: ${identityId}\n`);
} else if (process.env.PHASE === 'picture') {
  step('upload a profile picture');
  assert.equal((await auth.signIn({ username: EMAIL, password: PASSWORD })).isSignedIn, true);
  const { identityId } = await auth.fetchAuthSession();
  const path = `profile-pictures/${identityId}/avatar.png`;
  await storage.uploadData({ path, data: 'pixels', options: { ...local, contentType: 'image/png' } }).result;
  await auth.signOut();
} else {
  const path = `profile-pictures/${process.env.IDENTITY_ID}/avatar.png`;
  step('a guest session');
  const guest = await auth.fetchAuthSession();
  assert.equal(guest.tokens, undefined, 'not signed in');
  assert.ok(guest.credentials?.accessKeyId, 'guest credentials');
  assert.notEqual(guest.identityId, process.env.IDENTITY_ID);

  step("a guest reads and lists the user's profile picture");
  const read = await storage.downloadData({ path, options: local }).result;
  assert.equal(await text(read.body), 'pixels');
  assert.equal(read.contentType, 'image/png');
  const listed = await storage.list({ path: `profile-pictures/${process.env.IDENTITY_ID}/`, options: local });
  assert.deepEqual(listed.items.map((i) => i.path), [path]);

  step('a guest writes nothing and reads nothing else');
  await refused(storage.uploadData({ path: `profile-pictures/${guest.identityId}/g.png`, data: 'no', options: local }).result, 'guest upload');
  await refused(storage.remove({ path, options: local }), 'guest remove');
  await refused(storage.copy({ source: { path }, destination: { path: `${path}.copy` }, options: local }), 'guest copy');
  await refused(storage.list({ path: 'photos/', options: local }), 'guest list of photos/');
  await refused(storage.downloadData({ path: 'photos/any.jpg', options: local }).result, 'guest read of photos/');

  step('a guest reads announcements, and no other data');
  const iam = generateClient({ authMode: 'identityPool' });
  const listedAnnouncements = await iam.models.Announcement.list();
  assert.equal(listedAnnouncements.errors, undefined, JSON.stringify(listedAnnouncements.errors));
  assert.deepEqual(listedAnnouncements.data.map((a) => a.text), ['Welcome, guests']);
  unauthorized(await iam.models.Announcement.create({ text: 'graffiti' }), 'a guest creating an announcement');
  unauthorized(await iam.models.Chat.list(), 'a guest listing chats');
  unauthorized(await iam.models.Message.list(), 'a guest listing messages');
  unauthorized(await iam.graphql({ query: '{ sayHello(name: "x") }' }).catch((e) => e), 'a guest calling sayHello');
  unauthorized(
    await iam.graphql({ query: 'mutation { announce(text: "x") }' }).catch((e) => e),
    'a guest calling announce',
  );
  step('done');
}
process.exit(0);
