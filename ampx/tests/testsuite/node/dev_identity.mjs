// Guests and identity-pool users with the real Amplify client (aws-amplify v6)
// against `ampx dev`: configured from its amplify_outputs.json plus the two
// endpoints under `custom.local` (userPoolEndpoint, identityPoolEndpoint).
//
// A guest's fetchAuthSession gets credentials and an identity id; the guest
// lists notices (allow.guest() read) and is refused creating one and reading
// owner-only secrets, and subscribes to new notices over the realtime
// WebSocket (SigV4-signed handshake and start). A signed-in user's session
// gets credentials and an identity id; the user creates a notice over IAM
// (authenticated with the identity pool), which the guest's subscription
// receives; after sign-out the guest reads it and cannot change it.
//
// Environment: TOOLS_NODE_MODULES, OUTPUTS, AMPX_LOG (for confirmation codes).
// NODE_EXTRA_CA_CERTS must name the local CA (custom.local.ca_cert).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Amplify, auth, generateClient, outputs } from './local_amplify.mjs';

const step = (name) => process.stdout.write(`step: ${name}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const EMAIL = 'erin@example.com';
const PASSWORD = 'Correct-horse-42';

function ok({ data, errors }) {
  assert.equal(errors, undefined, JSON.stringify(errors));
  return data;
}

function refused(result, what) {
  assert.ok(result.errors?.length, `${what} was not refused: ${JSON.stringify(result)}`);
  assert.equal(result.errors[0].errorType, 'Unauthorized', JSON.stringify(result.errors));
}

async function code(email) {
  const pattern = new RegExp(`sign-up confirmation code for ${email.replace('.', '\\.')} \\(by email\\): (\\d+)`);
  for (let i = 0; i < 100; i++) {
    const match = readFileSync(process.env.AMPX_LOG, 'utf8').match(pattern);
    if (match) return match[1];
    await sleep(50);
  }
  throw new Error(`ampx dev printed no confirmation code for ${email}`);
}

const iam = generateClient({ authMode: 'identityPool' });

step('a guest session has credentials and an identity id');
assert.equal(Amplify.getConfig().Auth.Cognito.allowGuestAccess, true, 'outputs allow guests');
const guest = await auth.fetchAuthSession();
assert.ok(guest.credentials?.accessKeyId?.startsWith('ASIA'), JSON.stringify(guest.credentials));
assert.ok(guest.credentials.sessionToken);
assert.match(guest.identityId, /^us-east-1:[0-9a-f-]{36}$/);
assert.equal(guest.tokens, undefined);

step('a guest reads notices and nothing more');
assert.deepEqual(ok(await iam.models.Notice.list()), []);
refused(await iam.models.Notice.create({ text: 'graffiti' }), 'a guest create');
refused(await iam.models.Secret.list(), 'a guest reading owner-only data');

step('a guest subscribes over the realtime WebSocket, signed with SigV4');
const seen = [];
const sub = iam.models.Notice.onCreate().subscribe({ next: (n) => seen.push(n.text), error: (e) => seen.push(e) });
await sleep(1000);

step('a signed-in session has credentials and an identity id');
const out = await auth.signUp({ username: EMAIL, password: PASSWORD, options: { userAttributes: { email: EMAIL } } });
assert.equal(out.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
await auth.confirmSignUp({ username: EMAIL, confirmationCode: await code(EMAIL) });
assert.equal((await auth.signIn({ username: EMAIL, password: PASSWORD })).isSignedIn, true);
const user = await auth.fetchAuthSession();
assert.ok(user.tokens?.idToken, 'signed in');
assert.ok(user.credentials?.accessKeyId?.startsWith('ASIA'), JSON.stringify(user.credentials));
assert.notEqual(user.credentials.accessKeyId, guest.credentials.accessKeyId);
assert.match(user.identityId, /^us-east-1:[0-9a-f-]{36}$/);

step('the user writes over IAM (authenticated with the identity pool)');
const made = ok(await iam.models.Notice.create({ text: 'open day' }));
assert.equal(made.text, 'open day');

step("the guest's subscription received it");
for (let i = 0; i < 40 && seen.length === 0; i++) await sleep(50);
assert.deepEqual(seen, ['open day']);
sub.unsubscribe();

step('after sign-out, the guest reads it');
await auth.signOut();
const again = await auth.fetchAuthSession();
assert.ok(again.credentials?.accessKeyId, 'guest credentials again');
assert.equal(again.tokens, undefined);
assert.deepEqual(ok(await iam.models.Notice.list()).map((n) => n.text), ['open day']);
refused(await iam.models.Notice.update({ id: made.id, text: 'defaced' }), 'a guest update');
step('done');
process.exit(0);
