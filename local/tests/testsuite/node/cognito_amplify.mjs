// The real Amplify client (aws-amplify v6, from the pinned tools) against the
// local user pool: sign-up, confirmation, SRP sign-in, session, refresh,
// password change, sign-out, password reset and account deletion.
//
// Environment: TOOLS_NODE_MODULES (the pinned node_modules), ENDPOINT (the
// local Cognito endpoint), POOL_ID, CLIENT_ID, TEST_HOOKS (a URL with
// /code?destination=..&purpose=.. returning the last code the pool "sent",
// and /verify taking a token and answering with UserPools::verify's result).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.TOOLS_NODE_MODULES, 'noop.js'));
const { Amplify } = require('aws-amplify');
const auth = require('aws-amplify/auth');

const { ENDPOINT, POOL_ID, CLIENT_ID, TEST_HOOKS } = process.env;
Amplify.configure({
  Auth: { Cognito: { userPoolId: POOL_ID, userPoolClientId: CLIENT_ID, userPoolEndpoint: ENDPOINT } },
});

const email = 'nora@example.com';
const [pw1, pw2, pw3] = ['Passw0rd!', 'Newer-Passw0rd', 'Reset-Passw0rd1'];

const step = (name) => process.stdout.write(`step: ${name}\n`);

async function lastCode(purpose) {
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${TEST_HOOKS}/code?destination=${encodeURIComponent(email)}&purpose=${purpose}`);
    if (res.ok) return (await res.text()).trim();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${purpose} code was sent to ${email}`);
}

async function serverVerify(token) {
  const res = await fetch(`${TEST_HOOKS}/verify`, { method: 'POST', body: token });
  return { ok: res.ok, body: await res.json() };
}

async function rejects(promise, name, message) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (message) assert.equal(e.message, message);
    return;
  }
  assert.fail(`expected ${name}`);
}

step('signUp');
const signUp = await auth.signUp({ username: email, password: pw1, options: { userAttributes: { email } } });
assert.equal(signUp.isSignUpComplete, false);
assert.equal(signUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
assert.equal(signUp.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
assert.equal(signUp.nextStep.codeDeliveryDetails.destination, 'n***@e***');
assert.match(signUp.userId, /^[0-9a-f-]{36}$/);

step('signUp again is refused');
await rejects(auth.signUp({ username: email, password: pw1 }), 'UsernameExistsException',
  'An account with the given email already exists.');

step('weak password is refused with the policy reason');
await rejects(auth.signUp({ username: 'weak@example.com', password: 'password1!' }), 'InvalidPasswordException',
  'Password did not conform with policy: Password must have uppercase characters');

step('signIn before confirming asks for confirmation');
const early = await auth.signIn({ username: email, password: pw1 });
assert.equal(early.isSignedIn, false);
assert.equal(early.nextStep.signInStep, 'CONFIRM_SIGN_UP');

step('confirmSignUp with a wrong code');
const code = await lastCode('SignUp');
const wrong = code === '000000' ? '111111' : '000000';
await rejects(auth.confirmSignUp({ username: email, confirmationCode: wrong }), 'CodeMismatchException');

step('confirmSignUp');
const confirmed = await auth.confirmSignUp({ username: email, confirmationCode: code });
assert.equal(confirmed.isSignUpComplete, true);

step('signIn with a wrong password');
await rejects(auth.signIn({ username: email, password: 'Wrong-Passw0rd' }), 'NotAuthorizedException',
  'Incorrect username or password.');

step('signIn (SRP)');
const signedIn = await auth.signIn({ username: email, password: pw1 });
assert.deepEqual(signedIn, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });

step('fetchAuthSession');
const session = await auth.fetchAuthSession();
const id = session.tokens.idToken.payload;
const access = session.tokens.accessToken.payload;
assert.equal(id.email, email);
assert.equal(id.email_verified, true);
assert.equal(id.token_use, 'id');
assert.equal(id.aud, CLIENT_ID);
assert.equal(id.iss, `${ENDPOINT}/${POOL_ID}`);
assert.equal(id.sub, signUp.userId);
assert.equal(id['cognito:username'], signUp.userId);
assert.equal(access.token_use, 'access');
assert.equal(access.client_id, CLIENT_ID);
assert.equal(access.scope, 'aws.cognito.signin.user.admin');
assert.equal(access.origin_jti, id.origin_jti);
const verified = await serverVerify(session.tokens.accessToken.toString());
assert.equal(verified.ok, true, JSON.stringify(verified.body));
assert.equal(verified.body.sub, signUp.userId);

step('getCurrentUser');
const current = await auth.getCurrentUser();
assert.equal(current.userId, signUp.userId);
assert.equal(current.username, signUp.userId);
assert.equal(current.signInDetails.loginId, email);

step('fetchUserAttributes');
const attrs = await auth.fetchUserAttributes();
assert.equal(attrs.email, email);
assert.equal(attrs.email_verified, 'true');
assert.equal(attrs.sub, signUp.userId);

step('updatePassword');
await auth.updatePassword({ oldPassword: pw1, newPassword: pw2 });

step('fetchAuthSession with a refresh');
const refreshed = await auth.fetchAuthSession({ forceRefresh: true });
assert.notEqual(refreshed.tokens.accessToken.toString(), session.tokens.accessToken.toString());
assert.equal(refreshed.tokens.accessToken.payload.origin_jti, access.origin_jti);
assert.equal(refreshed.tokens.idToken.payload.auth_time, id.auth_time);

step('signOut revokes the tokens');
const beforeSignOut = refreshed.tokens.accessToken.toString();
await auth.signOut();
const revoked = await serverVerify(beforeSignOut);
assert.equal(revoked.ok, false);
assert.equal(revoked.body.message, 'Access Token has been revoked');
await rejects(auth.getCurrentUser(), 'UserUnAuthenticatedException');

step('the old password no longer works, the new one does');
await rejects(auth.signIn({ username: email, password: pw1 }), 'NotAuthorizedException');
assert.equal((await auth.signIn({ username: email, password: pw2 })).isSignedIn, true);
await auth.signOut();

step('resetPassword');
const reset = await auth.resetPassword({ username: email });
assert.equal(reset.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE');
assert.equal(reset.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');

step('confirmResetPassword');
await auth.confirmResetPassword({ username: email, confirmationCode: await lastCode('ForgotPassword'), newPassword: pw3 });

step('signIn with the reset password');
assert.equal((await auth.signIn({ username: email, password: pw3 })).isSignedIn, true);

step('deleteUser');
await auth.deleteUser();
await rejects(auth.signIn({ username: email, password: pw3 }), 'NotAuthorizedException',
  'Incorrect username or password.');

process.stdout.write('amplify flow: ok\n');
