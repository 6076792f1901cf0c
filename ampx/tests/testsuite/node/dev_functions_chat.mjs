// The chat example's functions through the real Amplify client (aws-amplify
// v6) against `ampx dev`: a user signs up and in, the custom query `fibonacci`
// is answered by the Rust function (and its refusal of a too-large n comes
// back as a GraphQL error), and the mutation `announce` runs the announce
// function, which creates an announcement through the data API with its own
// IAM credentials (users may not create them); the user then reads it.
//
// Environment: TOOLS_NODE_MODULES, OUTPUTS (amplify_outputs.json), AMPX_LOG
// (ampx dev's stdout), NODE_EXTRA_CA_CERTS (custom.local.ca_cert).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { auth, generateClient } from './local_amplify.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const EMAIL = 'dana@example.com';
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

await auth.signUp({ username: EMAIL, password: PASSWORD, options: { userAttributes: { email: EMAIL } } });
await auth.confirmSignUp({ username: EMAIL, confirmationCode: await code(EMAIL) });
const signedIn = await auth.signIn({ username: EMAIL, password: PASSWORD });
assert.equal(signedIn.isSignedIn, true, JSON.stringify(signedIn));
const client = generateClient();

const fib = (n) => client.graphql({ query: 'query F($n: Int!) { fibonacci(n: $n) }', variables: { n } });
const f10 = await fib(10);
assert.equal(f10.errors, undefined, JSON.stringify(f10.errors));
assert.equal(f10.data.fibonacci, 55);
process.stdout.write(`fibonacci(46): ${(await fib(46)).data.fibonacci}\n`);
try {
  const tooBig = await fib(50);
  assert.fail(`fibonacci(50) answered: ${JSON.stringify(tooBig)}`);
} catch (e) {
  const [error] = e.errors ?? [];
  assert.ok(error, `a GraphQL error: ${e}`);
  // AppSync reports a Lambda error's type with the `Lambda:` prefix.
  assert.equal(error.errorType, 'Lambda:BadRequest', JSON.stringify(error));
  assert.match(error.message, /from 0 to 46, not 50/);
  process.stdout.write(`fibonacci(50) refused: ${error.message}\n`);
}

const refused = await client.models.Announcement.create({ text: 'by hand' });
assert.equal(refused.errors?.[0]?.errorType, 'Unauthorized', JSON.stringify(refused));

const posted = await client.graphql({
  query: 'mutation A($text: String!) { announce(text: $text) }',
  variables: { text: 'Open day on Friday' },
});
assert.equal(posted.errors, undefined, JSON.stringify(posted.errors));
const id = posted.data.announce;
assert.ok(id, 'announce answered the new id');

const { data: announcements, errors } = await client.models.Announcement.list();
assert.equal(errors, undefined, JSON.stringify(errors));
const made = announcements.find((a) => a.id === id);
assert.ok(made, `the function's announcement is listed: ${JSON.stringify(announcements)}`);
// The handler signs the announcement with the caller AppSync named.
const { username } = await auth.getCurrentUser();
assert.equal(made.author, username);
process.stdout.write(`announcement by announce: ${made.text} (by the caller)\n`);
