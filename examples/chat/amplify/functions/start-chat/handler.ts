// The start-chat function: the `startChat` mutation's handler. It creates a
// chat for the caller through the data API, signing the GraphQL request with
// its own IAM credentials (SigV4, service `appsync`), which the schema's
// `allow.resource(startChat)` lets its role use. The chat's owner is the
// caller, so the caller sees it among their chats.
import { Sha256 } from '@aws-crypto/sha256-js';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';

type Event = {
  arguments?: { name?: string | null };
  identity?: { sub?: string; username?: string } | null;
};

const CREATE_CHAT = `mutation CreateChat($input: CreateChatInput!) {
  createChat(input: $input) { id name }
}`;

const signer = new SignatureV4({
  credentials: fromEnv(),
  region: process.env.AWS_REGION ?? 'us-east-1',
  service: 'appsync',
  sha256: Sha256,
});

async function graphql(query: string, variables: Record<string, unknown>) {
  const endpoint = process.env.AMPLIFY_DATA_GRAPHQL_ENDPOINT;
  if (!endpoint) throw new Error('AMPLIFY_DATA_GRAPHQL_ENDPOINT is not set: the function has no data access');
  const url = new URL(endpoint);
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
  const answer = await response.json();
  if (answer.errors?.length) {
    const [first] = answer.errors;
    throw new Error(`the data API refused ${first.errorType ?? 'the request'}: ${first.message}`);
  }
  return answer.data;
}

export const handler = async (event: Event) => {
  const { sub, username } = event.identity ?? {};
  if (!sub || !username) throw new Error('startChat needs a signed-in caller');
  const name = event.arguments?.name || 'New chat';
  // Amplify's owner field holds `<sub>::<username>`.
  const data = await graphql(CREATE_CHAT, { input: { name, owner: `${sub}::${username}` } });
  console.log(`started chat ${data.createChat.id} for ${username}`);
  return data.createChat.id;
};
