// Shared by the `ampx dev` acceptance scripts: loads the pinned aws-amplify
// (TOOLS_NODE_MODULES) and configures it from the amplify_outputs.json that
// `ampx dev` wrote (OUTPUTS), adding the one thing a frontend sets by hand for
// a local backend: the Cognito endpoints under `custom.local`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const require = createRequire(path.join(process.env.TOOLS_NODE_MODULES, 'noop.js'));
export const { Amplify } = require('aws-amplify');
export const auth = require('aws-amplify/auth');
export const { generateClient } = require('aws-amplify/data');

export const outputs = JSON.parse(readFileSync(process.env.OUTPUTS, 'utf8'));
Amplify.configure(outputs);
const config = Amplify.getConfig();
Amplify.configure({
  ...config,
  Auth: {
    Cognito: {
      ...config.Auth.Cognito,
      userPoolEndpoint: outputs.custom.local.user_pool_endpoint,
      identityPoolEndpoint: outputs.custom.local.identity_pool_endpoint,
    },
  },
});
