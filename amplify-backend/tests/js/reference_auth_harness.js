// Runs reference_auth's initializer (the `ZipFile` of a synthesized template,
// written as index.js) as Lambda would, against a fake Cognito and a local HTTP
// server standing in for CloudFormation's pre-signed response URL.
//
// usage: node reference_auth_harness.js INDEX_JS COGNITO_JSON EVENT_JSON
// COGNITO_JSON maps operation names (DescribeUserPool, ...) to their response,
// or, for paginated lists, to the pages in order (each page but the last has a
// NextToken; the page asked for is the one after the token's page).
// Prints {"response": <what CloudFormation received>, "calls": [{command, input}]}.
const http = require("http");
const Module = require("module");

const [indexJs, cognitoJson, eventJson] = process.argv.slice(2);
const cognito = JSON.parse(cognitoJson);
const calls = [];

// `new XCommand(input)` for any X, as the SDK's modules export them.
const commands = new Proxy({}, {
  get(_, name) {
    return class {
      constructor(input) {
        this.command = String(name).replace(/Command$/, "");
        this.input = input;
      }
    };
  },
});

class Client {
  async send(cmd) {
    calls.push({ command: cmd.command, input: cmd.input });
    const answer = cognito[cmd.command];
    if (answer === undefined) throw new Error(`unexpected call ${cmd.command}`);
    if (!Array.isArray(answer)) return answer;
    const token = cmd.input.NextToken;
    const index = token === undefined ? 0 : answer.findIndex((p) => p.NextToken === token) + 1;
    if (index < 0 || index >= answer.length) throw new Error(`${cmd.command}: no page after token ${token}`);
    return answer[index];
  }
}

function sdk(clientName) {
  return new Proxy({}, { get: (_, name) => (name === clientName ? Client : commands[name]) });
}

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "@aws-sdk/client-cognito-identity-provider") return sdk("CognitoIdentityProviderClient");
  if (request === "@aws-sdk/client-cognito-identity") return sdk("CognitoIdentityClient");
  return load.call(this, request, ...rest);
};

const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    res.end();
    server.close();
    console.log(JSON.stringify({ method: req.method, response: JSON.parse(body), calls }));
  });
});
server.listen(0, "127.0.0.1", async () => {
  const event = JSON.parse(eventJson);
  event.ResponseURL = `http://127.0.0.1:${server.address().port}/cloudformation-response`;
  await require(indexJs).handler(event, {});
});
