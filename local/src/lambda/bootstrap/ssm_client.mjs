// A small stand-in for `@aws-sdk/client-ssm` when the SDK is not installed next
// to a function run by ampx dev: GetParameter(s) against the local SSM endpoint
// (AWS_ENDPOINT_URL_SSM), which holds the secrets set with `ampx dev secret set`.
async function ssm(target, input) {
  const endpoint = process.env.AWS_ENDPOINT_URL_SSM;
  if (!endpoint) throw new Error('AWS_ENDPOINT_URL_SSM is not set; this client only talks to ampx dev');
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonSSM.${target}` },
    body: JSON.stringify(input),
  });
  const body = await res.json();
  if (!res.ok) {
    const e = new Error(body.message ?? res.statusText);
    e.name = (body.__type ?? 'SSMError').split('#').pop();
    throw e;
  }
  return body;
}

export class GetParametersCommand {
  constructor(input) {
    this.target = 'GetParameters';
    this.input = input;
  }
}

export class GetParameterCommand {
  constructor(input) {
    this.target = 'GetParameter';
    this.input = input;
  }
}

export class SSMClient {
  constructor(config = {}) {
    this.config = config;
  }

  send(command) {
    return ssm(command.target, command.input);
  }
}
