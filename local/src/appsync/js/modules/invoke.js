// 'appsync:invoke': runs handlers for the engine. A run (one resolver, unit or
// pipeline) holds the parts of ctx as JSON text, set by the engine: arguments,
// identity, source, stash, prev, result, error, info, headers, env (a part left
// undefined is absent). Each handler gets a fresh ctx whose parts are parsed from
// that text when the handler first reads them, so no handler sees another's
// changes and none pays for parts it does not read. After a handler, its value
// and stash are kept in the run as JSON text (`run.value`, `run.stash`), where the
// next handler or the engine picks them up; the handler's report (errors, early
// return, filters) is returned as JSON.

import { state, Stop } from 'appsync:state';
// Loads util, runtime and extensions as globals too.
import '@aws-appsync/utils';

function parse(text) {
  return text === undefined ? undefined : JSON.parse(text);
}

// Makes `key` of `obj` an own data property holding `value`, as an object
// literal would.
function settle(obj, key, value) {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
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
  return {
    get() {
      return settle(this, key, this[PARTS].get(name, fallback));
    },
    set(v) {
      settle(this, key, v);
    },
    enumerable: true,
    configurable: true,
  };
}

const hidden = (parts) => ({ value: parts, enumerable: false, writable: false, configurable: false });
const plain = { value: undefined, writable: true, enumerable: true, configurable: true };

// ctx's properties, in the order an object literal would give them.
const CTX = {
  arguments: lazy('arguments', 'arguments', {}),
  args: lazy('args', 'arguments', {}),
  identity: lazy('identity', 'identity', null),
  source: lazy('source', 'source', null),
  stash: lazy('stash', 'stash', {}),
  prev: plain,
  result: plain,
  error: plain,
  info: lazy('info', 'info', {}),
  request: plain,
  env: lazy('env', 'env', {}),
};
const RESULT = lazy('result', 'result');
const ERROR = lazy('error', 'error');
const PREV_RESULT = lazy('result', 'prev');
const HEADERS = lazy('headers', 'headers', {});

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
  Object.defineProperty(ctx, PARTS, hidden(parts));
  Object.defineProperties(ctx, CTX);
  const prev = {};
  if (run.prev === undefined) {
    prev.result = undefined;
  } else {
    Object.defineProperty(prev, PARTS, hidden(parts));
    Object.defineProperty(prev, 'result', PREV_RESULT);
  }
  ctx.prev = prev;
  if (run.result !== undefined) {
    Object.defineProperty(ctx, 'result', RESULT);
  }
  if (run.error !== undefined) {
    Object.defineProperty(ctx, 'error', ERROR);
  }
  const request = {};
  Object.defineProperty(request, PARTS, hidden(parts));
  Object.defineProperty(request, 'headers', HEADERS);
  request.domainName = null;
  ctx.request = request;
  state.meta = new Meta(parts, run.authType);
  return ctx;
}

function fault(message, stack) {
  return JSON.stringify({ fault: { message, stack } });
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
  out.errors = state.errors;
  out.subscriptionFilter = state.subscriptionFilter;
  out.invalidationFilter = state.invalidationFilter;
  out.invalidation = state.invalidation;
  try {
    // What JSON cannot hold (undefined, functions) reads as null, as it did
    // when the value and stash crossed to the engine as one JSON document.
    run.value = JSON.stringify(value ?? null) ?? 'null';
    // A stash the handler neither read nor replaced is the one it was given
    // (an absent one reads as {}).
    const stash = Object.getOwnPropertyDescriptor(ctx, 'stash');
    if (stash?.get === undefined) {
      run.stash = JSON.stringify(ctx.stash) ?? 'null';
    } else if (run.stash === undefined || run.stash === 'null') {
      run.stash = '{}';
    }
    return JSON.stringify(out);
  } catch (e) {
    return fault(`The result is not JSON: ${e}`, null);
  }
}
