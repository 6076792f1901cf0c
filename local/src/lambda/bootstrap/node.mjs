// ampx dev's Node.js runtime. It speaks the Lambda Runtime API at
// AWS_LAMBDA_RUNTIME_API for the handler named by _HANDLER in LAMBDA_TASK_ROOT:
// it loads the handler once (init), then loops: next event, call, response.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire, register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [host, port] = (process.env.AWS_LAMBDA_RUNTIME_API ?? '').split(':');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd();

function call(method, route, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const sent = body === undefined ? undefined : Buffer.from(body, 'utf8');
    const req = http.request(
      {
        host,
        port,
        method,
        agent,
        path: `/2018-06-01/runtime${route}`,
        headers: sent ? { ...headers, 'content-type': 'application/json', 'content-length': sent.length } : headers,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (sent) req.write(sent);
    req.end();
  });
}

function errorDocument(err) {
  if (err instanceof Error) {
    const stack = (err.stack ?? '').split('\n').slice(1).map((l) => l.trim());
    return { errorType: err.name || 'Error', errorMessage: err.message, stackTrace: stack };
  }
  return { errorType: typeof err, errorMessage: typeof err === 'string' ? err : JSON.stringify(err), stackTrace: [] };
}

function namedError(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

// Without the AWS SDK installed next to the code (Lambda's runtime ships it),
// `@aws-sdk/client-ssm` resolves to a small client of the local SSM endpoint,
// so Amplify's secrets loader works unchanged.
function provideSsmClient() {
  try {
    createRequire(path.join(root, 'index.js')).resolve('@aws-sdk/client-ssm');
    return;
  } catch {
    // not installed: fall back below
  }
  const fallback = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'ssm_client.mjs')).href;
  const hooks = `export async function resolve(specifier, context, next) {
    if (specifier === '@aws-sdk/client-ssm') {
      try { return await next(specifier, context); } catch { return { url: ${JSON.stringify(fallback)}, shortCircuit: true }; }
    }
    return next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

async function loadHandler() {
  const spec = process.env._HANDLER ?? '';
  const dir = path.dirname(spec);
  const [moduleName, ...names] = path.basename(spec).split('.');
  if (!moduleName || names.length === 0) {
    throw namedError('Runtime.MalformedHandlerName', `Bad handler ${spec}: use module.function`);
  }
  const base = path.resolve(root, dir, moduleName);
  const file = ['.js', '.mjs', '.cjs'].map((e) => base + e).find((f) => fs.existsSync(f));
  if (!file) throw namedError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}' in ${path.resolve(root, dir)}`);
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    if (e instanceof SyntaxError) throw namedError('Runtime.UserCodeSyntaxError', `${e.name}: ${e.message}`);
    throw e;
  }
  let handler = names.reduce((o, n) => (o == null ? undefined : o[n]), mod);
  if (handler === undefined && mod.default) handler = names.reduce((o, n) => (o == null ? undefined : o[n]), mod.default);
  if (typeof handler !== 'function') {
    throw namedError('Runtime.HandlerNotFound', `${spec} is undefined or not exported`);
  }
  return handler;
}

function context(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

// Callback-style handlers (three parameters) answer through the callback.
function run(handler, event, ctx) {
  return new Promise((resolve, reject) => {
    const callback = (err, result) => (err ? reject(err) : resolve(result));
    ctx.done = callback;
    ctx.succeed = (r) => resolve(r);
    ctx.fail = (e) => reject(e);
    try {
      const out = handler(event, ctx, callback);
      if (out && typeof out.then === 'function') out.then(resolve, reject);
      else if (handler.length < 3) resolve(out);
    } catch (e) {
      reject(e);
    }
  });
}

let handler;
try {
  provideSsmClient();
  handler = await loadHandler();
} catch (e) {
  const doc = errorDocument(e);
  console.error(`${doc.errorType}: ${doc.errorMessage}`);
  await call('POST', '/init/error', JSON.stringify(doc), { 'lambda-runtime-function-error-type': doc.errorType });
  process.exit(1);
}

for (;;) {
  const next = await call('GET', '/invocation/next');
  if (next.status !== 200) process.exit(0);
  const id = next.headers['lambda-runtime-aws-request-id'];
  process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'] ?? '';
  try {
    const result = await run(handler, JSON.parse(next.body), context(next.headers));
    await call('POST', `/invocation/${id}/response`, JSON.stringify(result === undefined ? null : result));
  } catch (e) {
    const doc = errorDocument(e);
    console.error(`Invoke Error ${JSON.stringify(doc)}`);
    await call('POST', `/invocation/${id}/error`, JSON.stringify(doc), { 'lambda-runtime-function-error-type': doc.errorType });
  }
}
