// The real Amplify client (aws-amplify v6) against `ampx dev` on the chat
// example: a user signs up (which runs the post-confirmation trigger),
// confirms with the code ampx printed, signs in with SRP, and calls the
// custom query `sayHello`, answered by the Node function.
//
// Environment: TOOLS_NODE_MODULES, OUTPUTS (amplify_outputs.json), AMPX_LOG
// (ampx dev's stdout), NODE_EXTRA_CA_CERTS (custom.local.ca_cert).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { auth, generateClient } from './local_amplify.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const EMAIL = 'carol@example.com';
const PASSWORD = 'Correct-horse-42';

async function code(email) {
  const pattern = new RegExp(`sign-up confirmation code for ${email.replace('.', '\\.')} \\(by email\\): (\\d+)`);
  for (let i = 0; i < 100; i++) {
    const match = readFileSync(process.env.AMPX_LOG, 'utf8').match(pattern);
    if (match) return match[1];
    await sleep(50);
  }
  throw new Error(`ampx dev printed no confirmation code for ${email}`);
}

const up = await auth.signUp({ username: EMAIL, password: PASSWORD, options: { userAttributes: { email: EMAIL } } });
assert.equal(up.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
const done = await auth.confirmSignUp({ username: EMAIL, confirmationCode: await code(EMAIL) });
assert.equal(done.isSignUpComplete, true);
const signedIn = await auth.signIn({ username: EMAIL, password: PASSWORD });
assert.equal(signedIn.isSignedIn, true, JSON.stringify(signedIn));

const client = generateClient();
const answer = await client.graphql({ query: 'query Hello($name: String) { sayHello(name: $name) }', variables: { name: 'Ada' } });
assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
process.stdout.write(`sayHello: ${answer.data.sayHello}\n`);
