// Custom::SecretFetcherResource: reads backend secrets from SSM Parameter Store
// while CloudFormation deploys, so that no secret is written into a template.
// CloudFormation resolves `ssm-secure` only in a few properties (not Cognito's).
// Inlined in the template (ZipFile, CommonJS); the runtime provides the AWS SDK.
const http = require("http");
const https = require("https");

// GetParameters takes at most 10 names per call.
const BATCH = 10;

// path -> value of the parameters that exist among `paths`.
async function read(ssm, paths) {
  const found = new Map();
  for (let i = 0; i < paths.length; i += BATCH) {
    const out = await ssm.getParameters(paths.slice(i, i + BATCH));
    for (const p of out.Parameters || []) found.set(p.Name, p.Value);
  }
  return found;
}

// { NAME: value } for props.Secrets ([{Name, Path, SharedPath}]): the branch's
// (or sandbox's) parameter first, then the one shared by the app's branches.
async function fetchSecrets(ssm, props) {
  const secrets = props.Secrets || [];
  const own = await read(ssm, secrets.map((s) => s.Path));
  const rest = secrets.filter((s) => !own.has(s.Path));
  const shared = await read(ssm, rest.map((s) => s.SharedPath));
  const values = {};
  const missing = [];
  for (const s of secrets) {
    const v = own.has(s.Path) ? own.get(s.Path) : shared.get(s.SharedPath);
    if (v === undefined) missing.push(s);
    else values[s.Name] = v;
  }
  if (missing.length) {
    const how = (s) =>
      props.DeploymentType === "branch" ? "in the Amplify console, under Secrets" : `with \`ampx sandbox secret set ${s.Name}\``;
    const list = missing.map((s) => `${s.Name} (looked for ${s.Path} and ${s.SharedPath}); set it ${how(s)}`);
    throw new Error(`backend secret not set: ${list.join("; ")}`);
  }
  return values;
}

// The response CloudFormation expects; NoEcho masks Data wherever it is shown.
function answer(event, status, data, reason) {
  return {
    Status: status,
    Reason: reason || "see the function's CloudWatch logs",
    PhysicalResourceId: event.PhysicalResourceId || `${event.LogicalResourceId}-${event.RequestId}`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: true,
    Data: data,
  };
}

function put(url, body) {
  const text = JSON.stringify(body);
  const client = url.startsWith("http:") ? http : https;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: "PUT", headers: { "content-type": "", "content-length": Buffer.byteLength(text) } }, (res) => {
      res.resume();
      res.on("end", resolve);
    });
    req.on("error", reject);
    req.end(text);
  });
}

function ssmClient() {
  const { SSMClient, GetParametersCommand } = require("@aws-sdk/client-ssm");
  const client = new SSMClient({});
  return { getParameters: (names) => client.send(new GetParametersCommand({ Names: names, WithDecryption: true })) };
}

exports.handler = async (event) => {
  let body;
  try {
    const data = event.RequestType === "Delete" ? undefined : await fetchSecrets(ssmClient(), event.ResourceProperties);
    body = answer(event, "SUCCESS", data);
    // CloudFormation rejects a response over 4 KB with a vaguer message.
    if (JSON.stringify(body).length > 4096) throw new Error("the secrets are over 4 KB together; fetch fewer per resource");
  } catch (e) {
    // Names and paths only: the error never holds a value.
    console.error(e);
    body = answer(event, "FAILED", undefined, String((e && e.message) || e).slice(0, 1000));
  }
  await put(event.ResponseURL, body);
};
exports.fetchSecrets = fetchSecrets;
