// Runs the secret fetcher's handler (the `ZipFile` of a synthesized template,
// written as index.js) as Lambda would, against a fake SSM and a local HTTP
// server standing in for CloudFormation's pre-signed response URL.
//
// usage: node secret_fetcher_harness.js INDEX_JS PARAMETERS_JSON EVENT_JSON
// PARAMETERS_JSON maps the parameter names that exist to their values.
// Prints {"response": <what CloudFormation received>, "calls": [<GetParameters inputs>]}.
const http = require("http");
const Module = require("module");

const [indexJs, parametersJson, eventJson] = process.argv.slice(2);
const parameters = JSON.parse(parametersJson);
const calls = [];

// The SDK the Lambda runtime ships, faked with GetParameters' real rules: at most
// 10 names, unknown names listed in InvalidParameters rather than thrown.
class GetParametersCommand {
  constructor(input) {
    this.input = input;
  }
}
class SSMClient {
  async send(command) {
    const { Names, WithDecryption } = command.input;
    calls.push(command.input);
    if (!(command instanceof GetParametersCommand)) throw new Error("unexpected command");
    if (Names.length < 1 || Names.length > 10) throw new Error(`ValidationException: ${Names.length} names`);
    if (WithDecryption !== true) throw new Error("SecureString values need WithDecryption");
    return {
      Parameters: Names.filter((n) => n in parameters).map((n) => ({ Name: n, Type: "SecureString", Value: parameters[n] })),
      InvalidParameters: Names.filter((n) => !(n in parameters)),
    };
  }
}
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "@aws-sdk/client-ssm") return { SSMClient, GetParametersCommand };
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
