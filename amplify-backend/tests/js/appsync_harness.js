// A small stand-in for AppSync's APPSYNC_JS runtime, for tests: it runs generated
// pipeline resolvers against fake `ctx`, `util`, `runtime` and `extensions` objects and
// an in-memory DynamoDB that evaluates the requests the functions build.
//
// Input (stdin, JSON): { plan: { functions: { name: { code, dataSource } },
//   resolvers: { "Type.field": { code, pipeline, unit } } }, env, steps: [...] }
//   (`unit`: a UNIT resolver on the NONE data source).
// A step is either { seed: { table, item } } or an operation call:
//   { field: "Query.getChat", args, identity, authType, source, deliver: [items] }.
// Output (stdout, JSON): one result per step: { data, error, requests,
//   subscriptionFilter, delivered }.
'use strict';

const crypto = require('crypto');

class AppSyncError extends Error {
  constructor(type, message) {
    super(message);
    this.type = type;
  }
}
class EarlyReturn extends Error {
  constructor(value) {
    super('early return');
    this.value = value;
  }
}

// ---- Amplify-style filters, as util.transform receives them -------------------------

function compare(value, op, arg) {
  switch (op) {
    case 'eq':
      return value === arg;
    case 'ne':
      return value !== arg;
    case 'le':
      return value !== undefined && value <= arg;
    case 'lt':
      return value !== undefined && value < arg;
    case 'ge':
      return value !== undefined && value >= arg;
    case 'gt':
      return value !== undefined && value > arg;
    case 'contains':
      return typeof value === 'string' || Array.isArray(value) ? value.includes(arg) : false;
    case 'notContains':
      return !(typeof value === 'string' || Array.isArray(value)) || !value.includes(arg);
    case 'between':
      return value !== undefined && value >= arg[0] && value <= arg[1];
    case 'beginsWith':
      return typeof value === 'string' && value.startsWith(arg);
    case 'attributeExists':
      return (value !== undefined && value !== null) === arg;
    case 'in':
      return arg.includes(value);
    case 'notIn':
      return !arg.includes(value);
    case 'containsAny':
      return Array.isArray(value) && arg.some((a) => value.includes(a));
    default:
      throw new Error(`harness: unsupported filter operator ${op}`);
  }
}

function matches(filter, item) {
  if (!filter) return true;
  return Object.entries(filter).every(([key, cond]) => {
    if (key === 'and') return cond.every((f) => matches(f, item));
    if (key === 'or') return cond.some((f) => matches(f, item));
    if (key === 'not') return !matches(cond, item);
    return Object.entries(cond).every(([op, arg]) => compare(item[key], op, arg));
  });
}

// util.transform encodes to strings; here the string carries the filter itself.
const encode = (filter) => JSON.stringify({ __filter: filter });
const decoded = (expr) => (expr && expr.__filter !== undefined ? expr.__filter : null);

// ---- In-memory DynamoDB -------------------------------------------------------------

function keyMatches(item, key) {
  return Object.entries(key).every(([k, v]) => item[k] === v);
}

function keyCondition(query) {
  const names = query.expressionNames;
  const values = query.expressionValues;
  const pk = query.expression.match(/^#pk = :pk/);
  if (!pk) throw new Error(`harness: unsupported key condition ${query.expression}`);
  const rest = query.expression.slice(pk[0].length);
  const tests = [(item) => item[names['#pk']] === values[':pk']];
  let m;
  if ((m = rest.match(/^ AND #sk (=|<=|<|>=|>) :sk$/))) {
    const op = { '=': 'eq', '<=': 'le', '<': 'lt', '>=': 'ge', '>': 'gt' }[m[1]];
    tests.push((item) => compare(item[names['#sk']], op, values[':sk']));
  } else if (rest === ' AND #sk BETWEEN :sk0 AND :sk1') {
    tests.push((item) => compare(item[names['#sk']], 'between', [values[':sk0'], values[':sk1']]));
  } else if (rest === ' AND begins_with(#sk, :sk)') {
    tests.push((item) => compare(item[names['#sk']], 'beginsWith', values[':sk']));
  } else if (rest !== '') {
    throw new Error(`harness: unsupported key condition ${query.expression}`);
  }
  return { test: (item) => tests.every((t) => t(item)), sortAttr: names['#sk'] ?? null };
}

function applyUpdate(item, update) {
  const { expression, expressionNames: names, expressionValues: values } = update;
  const m = expression.match(/^SET (.*?)(?: REMOVE (.*))?$/);
  if (!m) throw new Error(`harness: unsupported update ${expression}`);
  for (const assignment of m[1].split(', ')) {
    const [name, value] = assignment.split(' = ');
    item[names[name]] = values[value];
  }
  for (const name of m[2] ? m[2].split(', ') : []) {
    delete item[names[name]];
  }
}

function conditionFailed() {
  return { error: { type: 'DynamoDB:ConditionalCheckFailedException', message: 'The conditional request failed' } };
}

function dynamo(tables, table, req) {
  const items = (tables[table] = tables[table] ?? []);
  const find = (key) => items.find((i) => keyMatches(i, key)) ?? null;
  const clone = (v) => (v == null ? v : structuredClone(v));
  switch (req.operation) {
    case 'GetItem':
      return { result: clone(find(req.key)) };
    case 'PutItem': {
      const existing = find(req.key);
      if (!matches(decoded(req.condition), existing ?? {})) return conditionFailed();
      const item = { ...req.key, ...req.attributeValues };
      if (existing) items.splice(items.indexOf(existing), 1);
      items.push(item);
      return { result: clone(item) };
    }
    case 'UpdateItem': {
      const existing = find(req.key);
      if (!matches(decoded(req.condition), existing ?? {})) return conditionFailed();
      const item = existing ?? { ...req.key };
      if (!existing) items.push(item);
      applyUpdate(item, req.update);
      return { result: clone(item) };
    }
    case 'DeleteItem': {
      const existing = find(req.key);
      if (!matches(decoded(req.condition), existing ?? {})) return conditionFailed();
      if (existing) items.splice(items.indexOf(existing), 1);
      return { result: clone(existing) };
    }
    case 'Query':
    case 'Scan': {
      let candidates = items;
      if (req.operation === 'Query') {
        const { test, sortAttr } = keyCondition(req.query);
        candidates = items.filter(test);
        if (sortAttr) candidates = [...candidates].sort((a, b) => (a[sortAttr] < b[sortAttr] ? -1 : a[sortAttr] > b[sortAttr] ? 1 : 0));
        if (req.scanIndexForward === false) candidates = [...candidates].reverse();
      }
      // DynamoDB applies the limit before the filter.
      const start = req.nextToken ? Number(req.nextToken) : 0;
      const limit = req.limit ?? candidates.length;
      const pageItems = candidates.slice(start, start + limit);
      const more = start + limit < candidates.length;
      const filtered = pageItems.filter((i) => matches(decoded(req.filter), i));
      return { result: { items: clone(filtered), nextToken: more ? String(start + limit) : null, scannedCount: pageItems.length } };
    }
    default:
      throw new Error(`harness: unsupported DynamoDB operation ${req.operation}`);
  }
}

// ---- The APPSYNC_JS globals ---------------------------------------------------------

function makeGlobals(step, record) {
  const util = {
    authType: () => step.authType,
    unauthorized: () => {
      throw new AppSyncError('Unauthorized', `Not Authorized to access ${step.field.split('.')[1]} on type ${step.field.split('.')[0]}`);
    },
    error: (message, type) => {
      throw new AppSyncError(type ?? 'Error', message);
    },
    appendError: (message, type) => {
      record.appendedErrors = [...(record.appendedErrors ?? []), { message, type }];
    },
    autoId: () => crypto.randomUUID(),
    // Java's String.matches, as AppSync's: the whole value must match.
    matches: (pattern, value) => new RegExp(`^(?:${pattern})$`).test(String(value)),
    time: { nowISO8601: () => new Date().toISOString() },
    dynamodb: { toMapValues: (v) => structuredClone(v) },
    transform: {
      toDynamoDBFilterExpression: encode,
      toDynamoDBConditionExpression: encode,
      toSubscriptionFilter: (f) => ({ __filter: f }),
    },
  };
  const runtime = {
    earlyReturn: (value) => {
      throw new EarlyReturn(value);
    },
  };
  const extensions = {
    setSubscriptionFilter: (f) => {
      record.subscriptionFilter = decoded(f);
    },
  };
  return { util, runtime, extensions };
}

function load(code, globals) {
  // APPSYNC_JS code runs in strict mode.
  const body = `'use strict';\n${code.replace(/^import .*$/gm, '').replace(/^export function /gm, 'function ')}`;
  // eslint-disable-next-line no-new-func
  const make = new Function('util', 'runtime', 'extensions', `${body}\nreturn { request, response };`);
  return make(globals.util, globals.runtime, globals.extensions);
}

function runStep(plan, env, tables, step) {
  const record = { requests: [] };
  const globals = makeGlobals(step, record);
  const resolver = plan.resolvers[step.field];
  if (!resolver) throw new Error(`harness: no resolver for ${step.field}`);
  const [parentTypeName, fieldName] = step.field.split('.');
  const ctx = {
    args: structuredClone(step.args ?? {}),
    identity: step.identity ?? null,
    source: step.source ?? null,
    stash: {},
    prev: { result: {} },
    info: { parentTypeName, fieldName },
    request: { headers: {} },
    env: env ?? {},
    result: undefined,
    error: undefined,
  };
  ctx.arguments = ctx.args;
  try {
    const r = load(resolver.code, globals);
    if (resolver.unit) {
      // A UNIT resolver on the NONE data source: the request's payload is the result.
      ctx.result = r.request(ctx)?.payload ?? null;
      record.data = r.response(ctx) ?? null;
      record.skipped = true;
    }
    try {
      if (!record.skipped) r.request(ctx);
    } catch (e) {
      // An early return from the resolver's request skips the pipeline and the
      // resolver's response: the value is the field's.
      if (!(e instanceof EarlyReturn)) throw e;
      record.data = e.value ?? null;
      record.skipped = true;
    }
    for (const name of record.skipped ? [] : resolver.pipeline) {
      const fn = plan.functions[name];
      const f = load(fn.code, globals);
      ctx.result = undefined;
      ctx.error = undefined;
      let req;
      try {
        req = f.request(ctx);
      } catch (e) {
        if (e instanceof EarlyReturn) {
          ctx.prev = { result: e.value };
          req = undefined;
        } else {
          throw e;
        }
      }
      if (req !== undefined) {
        const ds = fn.dataSource;
        if (ds.kind === 'table') {
          record.requests.push(structuredClone(req));
          const out = dynamo(tables, ds.table, req);
          ctx.result = out.result;
          ctx.error = out.error;
        } else if (ds.kind === 'lambda') {
          record.requests.push(structuredClone(req));
          if (step.lambdaError) {
            // The step makes Lambda refuse the invocation.
            ctx.error = step.lambdaError;
            ctx.result = null;
          } else if (req.invocationType === 'Event') {
            // Lambda queues the event and answers nothing.
            ctx.result = null;
          } else {
            ctx.result = { function: ds.function, fieldName: req.payload.fieldName, arguments: req.payload.arguments };
          }
        } else {
          ctx.result = req.payload;
        }
        ctx.prev = { result: f.response(ctx) };
      }
    }
    if (!record.skipped) record.data = r.response(ctx) ?? null;
  } catch (e) {
    if (!(e instanceof AppSyncError)) throw e;
    record.data = null;
    record.error = { type: e.type, message: e.message };
  }
  if (step.deliver) {
    record.delivered = record.error ? step.deliver.map(() => false) : step.deliver.map((item) => matches(record.subscriptionFilter, item));
  }
  return record;
}

function main() {
  const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const tables = {};
  const results = [];
  for (const step of input.steps) {
    if (step.seed) {
      (tables[step.seed.table] = tables[step.seed.table] ?? []).push(structuredClone(step.seed.item));
      results.push({ seeded: true });
    } else {
      results.push(runStep(input.plan, input.env, tables, step));
    }
  }
  results.push({ tables });
  process.stdout.write(JSON.stringify(results));
}

main();
