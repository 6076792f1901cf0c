// The real Amplify Storage client (aws-amplify v6, from the pinned tools)
// against the local S3 service: uploadData (single and multipart),
// list, downloadData, getUrl, getProperties, copy and remove, with the
// identity pool's rules of examples/chat's `media` bucket.
//
// Environment:
//   TOOLS_NODE_MODULES  the pinned node_modules
//   S3_ENDPOINT         host:port of the local service (Amplify's `customEndpoint`;
//                       with AMPLIFY_OUTPUTS, custom.local.storage_endpoint by default)
//   BUCKET, REGION      the bucket as amplify_outputs.json names it
//   CREDENTIALS         JSON: {owner, other, guest}, each
//                       {accessKeyId, secretAccessKey, sessionToken, identityId}
// The service must be HTTPS with a CA Node trusts (NODE_EXTRA_CA_CERTS).
//
// Without CREDENTIALS the caller comes from Amplify Auth instead (the local
// identity pool, for `ampx dev`): set AMPLIFY_OUTPUTS to the amplify_outputs.json
// `ampx dev` wrote and USER_EMAIL/USER_PASSWORD to a confirmed user; the
// owner's steps and the refusals outside the rules run as that user.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const require = createRequire(path.join(process.env.TOOLS_NODE_MODULES, 'noop.js'));
const { Amplify } = require('aws-amplify');
const storage = require('aws-amplify/storage');
const auth = require('aws-amplify/auth');

let S3_ENDPOINT = process.env.S3_ENDPOINT;

// Amplify's multipart upload reads each part with the browser's FileReader,
// which Node lacks; this stands in for the one method it calls.
if (typeof globalThis.FileReader === 'undefined') {
  globalThis.FileReader = class {
    static DONE = 2;
    readAsArrayBuffer(blob) {
      blob.arrayBuffer().then(
        (buffer) => {
          this.result = buffer;
          this.readyState = 2;
          this.onload?.();
        },
        (error) => {
          this.error = error;
          this.onerror?.();
        },
      );
    }
  };
}
const step = (name) => process.stdout.write(`step: ${name}\n`);

// Who calls: a credentials provider that answers with the current caller.
let current;
let who = {};
if (process.env.CREDENTIALS) {
  who = JSON.parse(process.env.CREDENTIALS);
  const provider = {
    async getCredentialsAndIdentityId() {
      const { accessKeyId, secretAccessKey, sessionToken, identityId } = current;
      return {
        credentials: { accessKeyId, secretAccessKey, sessionToken, expiration: new Date(Date.now() + 3600_000) },
        identityId,
      };
    },
    async clearCredentialsAndIdentityId() {},
  };
  Amplify.configure(
    { Storage: { S3: { bucket: process.env.BUCKET, region: process.env.REGION } } },
    { Auth: { credentialsProvider: provider } },
  );
} else {
  // Through the local identity pool: a signed-in user's own credentials.
  const outputs = JSON.parse(fs.readFileSync(process.env.AMPLIFY_OUTPUTS, 'utf8'));
  const endpoints = outputs.custom?.local ?? {};
  S3_ENDPOINT ??= endpoints.storage_endpoint;
  Amplify.configure(outputs);
  const config = Amplify.getConfig();
  Amplify.configure({
    ...config,
    Auth: {
      Cognito: {
        ...config.Auth.Cognito,
        userPoolEndpoint: endpoints.user_pool_endpoint,
        ...(endpoints.identity_pool_endpoint ? { identityPoolEndpoint: endpoints.identity_pool_endpoint } : {}),
      },
    },
  });
  await auth.signIn({ username: process.env.USER_EMAIL, password: process.env.USER_PASSWORD });
  const session = await auth.fetchAuthSession();
  who.owner = { identityId: session.identityId };
}
const as = (caller) => {
  current = caller;
};

// Every call goes to the local endpoint (Amplify takes it per call).
const local = { customEndpoint: S3_ENDPOINT };

async function refused(promise, what) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.name, 'AccessDenied', `${what}: expected AccessDenied, got ${e.name}: ${e.message}`);
    return;
  }
  assert.fail(`${what} was allowed`);
}

const text = async (body) => (typeof body.text === 'function' ? body.text() : String(body));

as(who.owner);
const mine = `profile-pictures/${who.owner.identityId}/`;

step('uploadData (single request)');
const up = await storage.uploadData({
  path: `${mine}avatar.txt`,
  data: 'hello from amplify',
  options: { ...local, contentType: 'text/plain', metadata: { note: 'first' } },
}).result;
assert.equal(up.path, `${mine}avatar.txt`);
assert.ok(up.eTag, 'an ETag came back');

step('uploadData (multipart, 6 MiB)');
const big = new Uint8Array(6 * 1024 * 1024).map((_, i) => i % 251);
const upBig = await storage.uploadData({ path: `${mine}big.bin`, data: big, options: local }).result;
assert.match(upBig.eTag, /-2"?$/, `a multipart ETag: ${upBig.eTag}`);

step('list');
const listed = await storage.list({ path: mine, options: local });
assert.deepEqual(listed.items.map((i) => i.path).sort(), [`${mine}avatar.txt`, `${mine}big.bin`]);
assert.equal(listed.items.find((i) => i.path.endsWith('big.bin')).size, big.length);

step('list with a subpath delimiter, paged');
const paged = await storage.list({ path: mine, options: { ...local, pageSize: 1 } });
assert.equal(paged.items.length, 1);
assert.ok(paged.nextToken, 'a next page');
const page2 = await storage.list({ path: mine, options: { ...local, pageSize: 1, nextToken: paged.nextToken } });
assert.equal(page2.items.length, 1);
assert.notEqual(page2.items[0].path, paged.items[0].path);

step('downloadData');
const down = await storage.downloadData({ path: `${mine}avatar.txt`, options: local }).result;
assert.equal(await text(down.body), 'hello from amplify');
assert.equal(down.contentType, 'text/plain');
assert.equal(down.metadata.note, 'first');
const range = await storage.downloadData({
  path: `${mine}big.bin`,
  options: { ...local, bytesRange: { start: 10, end: 19 } },
}).result;
const bytes = new Uint8Array(await (await range.body.blob()).arrayBuffer());
assert.deepEqual([...bytes], [...big.slice(10, 20)]);

step('getProperties');
const props = await storage.getProperties({ path: `${mine}avatar.txt`, options: local });
assert.equal(props.size, 'hello from amplify'.length);

step('getUrl (presigned GET)');
const url = await storage.getUrl({ path: `${mine}avatar.txt`, options: { ...local, validateObjectExistence: true } });
const fetched = await fetch(url.url);
assert.equal(fetched.status, 200);
assert.equal(await fetched.text(), 'hello from amplify');

step('copy');
await storage.copy({ source: { path: `${mine}avatar.txt` }, destination: { path: `${mine}copy.txt` }, options: local });
const copied = await storage.downloadData({ path: `${mine}copy.txt`, options: local }).result;
assert.equal(await text(copied.body), 'hello from amplify');

step('refused outside the rules');
await refused(
  storage.uploadData({ path: 'elsewhere/x.txt', data: 'no', options: local }).result,
  'upload outside the declared paths',
);
if (who.other) {
  const theirs = `profile-pictures/${who.other.identityId}/`;
  await refused(storage.uploadData({ path: `${theirs}x.txt`, data: 'no', options: local }).result, "upload to another's path");
  await refused(storage.list({ path: theirs, options: local }), "list of another's path");
  as(who.other);
  // Another signed-in user gets nothing in the owner's folder: the chat rules
  // let guests read profile pictures, and signed-in users only their own.
  await refused(storage.downloadData({ path: `${mine}avatar.txt`, options: local }).result, "read of another's file");
  await refused(storage.remove({ path: `${mine}avatar.txt`, options: local }), "remove of another's file");
}
if (who.guest) {
  as(who.guest);
  const read = await storage.downloadData({ path: `${mine}avatar.txt`, options: local }).result;
  assert.equal(await text(read.body), 'hello from amplify');
  await refused(storage.uploadData({ path: `${mine}guest.txt`, data: 'no', options: local }).result, 'guest upload');
  await refused(storage.list({ path: 'photos/', options: local }), 'guest list of photos/');
}
as(who.owner);

step('remove');
for (const name of ['avatar.txt', 'big.bin', 'copy.txt']) {
  await storage.remove({ path: `${mine}${name}`, options: local });
}
const after = await storage.list({ path: mine, options: local });
assert.equal(after.items.length, 0);

step('dangerouslyConnectToHttpEndpointForTesting');
// Amplify's own local-testing switch points at http://localhost:20005 and, in
// the pinned version, rejects its own endpoint before sending anything: the
// per-call customEndpoint above is the option that works.
Amplify.configure({
  Storage: { S3: { bucket: process.env.BUCKET ?? 'b', region: 'us-east-1', dangerouslyConnectToHttpEndpointForTesting: 'true' } },
}, Amplify.libraryOptions);
try {
  await storage.list({ path: 'photos/' });
  process.stdout.write('dangerouslyConnectToHttpEndpointForTesting: accepted\n');
} catch (e) {
  process.stdout.write(`dangerouslyConnectToHttpEndpointForTesting: ${e.name}\n`);
}

process.stdout.write('amplify storage: ok\n');
