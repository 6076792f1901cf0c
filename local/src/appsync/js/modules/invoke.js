// 'appsync:invoke': runs handlers for the engine. A run (one resolver, unit or
// pipeline) holds the parts of ctx as JSON text, set by the engine: arguments,
// identity, source, stash, prev, result, error, info, headers, env (a part left
// undefined is absent). Each handler gets a fresh ctx whose parts are parsed from
// that text when the handler first reads them, so no handler sees another's
// changes and none pays for parts it does not read. After a handler, its value
// and stash are kept in the run as JSON text (`run.value`, `run.stash`), where the
// next handler or the engine picks them up; the handler's report (errors, early
// return, filters) is returned as JSON.

import { state, Stop, host } from 'appsync:state';
// Loads util, runtime and extensions as globals too.
import '@aws-appsync/utils';

// JSON.parse, done natively (the engine answers undefined for what it leaves
// to JSON.parse: odd escapes, deep nesting, errors).
function parse(text) {
  if (text === undefined) {
    return undefined;
  }
  const value = host.parse(text);
  return value === undefined ? JSON.parse(text) : value;
}

// Makes `key` of `obj` an own data property holding `value`, as an object
// literal would (natively: a descriptor object costs more).
const settle = host.settle;

// JSON.stringify, done natively for plain data (the engine answers null for
// anything else, which JSON.stringify then handles).
function stringify(v) {
  const text = host.stringify(v);
  return text === null ? JSON.stringify(v) : text;
}

// Where a ctx (and its `prev` and `request`) finds its handler's parts: a
// property resolver code does not see (not enumerable, not a string key).
const PARTS = Symbol('parts');

// One handler's parts: each is parsed once, when first read; `arguments` and
// `args` are one object. A part with a fallback reads as it when null or absent.
class Parts {
  constructor(run) {
    this.run = run;
    this.parsed = {};
    // Properties the handler assigned before reading them.
    this.assigned = {};
  }

  get(name, fallback) {
    const parsed = this.parsed;
    if (!(name in parsed)) {
      const value = parse(this.run[name]);
      parsed[name] = value == null && fallback !== undefined ? fallback : value;
    }
    return parsed[name];
  }
}

// `key` reads part `name` the first time, then holds it (or what is assigned)
// like any property. The accessors are made once and shared by every ctx, so a
// handler's ctx costs no closures, and drops as soon as the handler is done.
function lazy(key, name, fallback) {
  return [
    key,
    function () {
      return settle(this, key, this[PARTS].get(name, fallback));
    },
    function (v) {
      this[PARTS].assigned[key] = true;
      settle(this, key, v);
    },
  ];
}

// Each definer gives an object its hidden parts and then these properties, in
// this order ([key]: a plain property, undefined until set): ctx's are in the
// order an object literal would give them.
const defineCtx = host.definer(PARTS, [
  lazy('arguments', 'arguments', {}),
  lazy('args', 'arguments', {}),
  lazy('identity', 'identity', null),
  lazy('source', 'source', null),
  lazy('stash', 'stash', {}),
  ['prev'],
  ['result'],
  ['error'],
  lazy('info', 'info', {}),
  ['request'],
  lazy('env', 'env', {}),
]);
const defineResult = host.definer(PARTS, [lazy('result', 'result')]);
const defineError = host.definer(PARTS, [lazy('error', 'error')]);
const definePrevResult = host.definer(PARTS, [lazy('result', 'prev')]);
const defineHeaders = host.definer(PARTS, [lazy('headers', 'headers', {})]);

// What util reads: the info object this handler's ctx was given.
class Meta {
  constructor(parts, authType) {
    this[PARTS] = parts;
    this.authType = authType;
  }

  get info() {
    return this[PARTS].get('info', {});
  }
}

function makeCtx(run) {
  const parts = new Parts(run);
  const ctx = {};
  defineCtx(ctx, parts);
  const prev = {};
  if (run.prev === undefined) {
    prev.result = undefined;
  } else {
    definePrevResult(prev, parts);
  }
  ctx.prev = prev;
  if (run.result !== undefined) {
    defineResult(ctx, parts);
  }
  if (run.error !== undefined) {
    defineError(ctx, parts);
  }
  const request = {};
  defineHeaders(request, parts);
  request.domainName = null;
  ctx.request = request;
  state.meta = new Meta(parts, run.authType);
  return ctx;
}

function fault(message, stack) {
  return JSON.stringify({ fault: { message, stack } });
}

// The handler's report as JSON text: empty when it has nothing to tell (most
// runs), which spares a JSON document each way.
function report(out) {
  const { errors, subscriptionFilter, invalidationFilter, invalidation } = state;
  if (
    out.raised === undefined &&
    out.earlyReturn === undefined &&
    errors.length === 0 &&
    subscriptionFilter === undefined &&
    invalidationFilter === undefined &&
    invalidation === undefined
  ) {
    return '';
  }
  out.errors = errors;
  out.subscriptionFilter = subscriptionFilter;
  out.invalidationFilter = invalidationFilter;
  out.invalidation = invalidation;
  return JSON.stringify(out);
}

export function invoke(handler, run) {
  state.errors = [];
  state.subscriptionFilter = undefined;
  state.invalidationFilter = undefined;
  state.invalidation = undefined;
  const ctx = makeCtx(run);
  const out = {};
  let value;
  try {
    value = handler(ctx);
  } catch (e) {
    if (e instanceof Stop) {
      if (e.kind === 'error') {
        out.raised = e.payload;
      } else {
        out.earlyReturn = true;
        out.skipToEnd = e.skipToEnd;
        value = e.payload;
      }
    } else {
      return fault(String(e), e?.stack ?? null);
    }
  }
  if (value !== null && typeof value === 'object' && typeof value.then === 'function') {
    return fault('The handler returned a Promise; APPSYNC_JS has none', null);
  }
  try {
    // What JSON cannot hold (undefined, functions) reads as null, as it did
    // when the value and stash crossed to the engine as one JSON document.
    run.value = stringify(value ?? null) ?? 'null';
    // A stash the handler neither read nor replaced is the one it was given
    // (an absent one reads as {}).
    const parts = ctx[PARTS];
    const untouched = !('stash' in parts.parsed) && parts.assigned.stash === undefined && Object.hasOwn(ctx, 'stash');
    if (!untouched) {
      run.stash = stringify(ctx.stash) ?? 'null';
    } else if (run.stash === undefined || run.stash === 'null') {
      run.stash = '{}';
    }
    return report(out);
  } catch (e) {
    return fault(`The result is not JSON: ${e}`, null);
  }
}
