// The announce function: the `announce` mutation's handler. It creates an
// announcement, signed by the caller, through the data API, signing the
// GraphQL request with its own IAM credentials (SigV4, service `appsync`),
// which the schema's `allow.resource(announce)` lets its role use. Users may
// only read announcements (and guests too): this function is how they post.
import { Sha256 } from '@aws-crypto/sha256-js';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';

type Event = {
  arguments?: { text?: string | null };
  identity?: { sub?: string; username?: string } | null;
};

const CREATE_ANNOUNCEMENT = `mutation Create($input: CreateAnnouncementInput!) {
  createAnnouncement(input: $input) { id }
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
  const author = event.identity?.username;
  if (!author) throw new Error('announce needs a signed-in caller');
  const text = event.arguments?.text?.trim();
  if (!text) throw new Error('an announcement needs text');
  const data = await graphql(CREATE_ANNOUNCEMENT, { input: { text, author } });
  console.log(`${author} announced ${data.createAnnouncement.id}`);
  return data.createAnnouncement.id;
};
