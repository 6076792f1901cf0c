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

// `key` of `obj` reads `load()` the first time, then holds it (or what is
// assigned) like any property.
function lazy(obj, key, load) {
  Object.defineProperty(obj, key, {
    get: () => settle(obj, key, load()),
    set: (v) => settle(obj, key, v),
    enumerable: true,
    configurable: true,
  });
}

function makeCtx(run) {
  const parts = {};
  // Each part is parsed once per handler; `arguments` and `args` are one
  // object. A part with a fallback reads as it when null or absent.
  const part = (name, fallback) => {
    if (!(name in parts)) {
      const value = parse(run[name]);
      parts[name] = value == null && fallback !== undefined ? fallback : value;
    }
    return parts[name];
  };
  const ctx = {};
  lazy(ctx, 'arguments', () => part('arguments', {}));
  lazy(ctx, 'args', () => part('arguments', {}));
  lazy(ctx, 'identity', () => part('identity', null));
  lazy(ctx, 'source', () => part('source', null));
  lazy(ctx, 'stash', () => part('stash', {}));
  const prev = {};
  if (run.prev === undefined) {
    prev.result = undefined;
  } else {
    lazy(prev, 'result', () => part('prev'));
  }
  ctx.prev = prev;
  ctx.result = undefined;
  if (run.result !== undefined) {
    lazy(ctx, 'result', () => part('result'));
  }
  ctx.error = undefined;
  if (run.error !== undefined) {
    lazy(ctx, 'error', () => part('error'));
  }
  lazy(ctx, 'info', () => part('info', {}));
  const request = {};
  lazy(request, 'headers', () => part('headers', {}));
  request.domainName = null;
  ctx.request = request;
  lazy(ctx, 'env', () => part('env', {}));
  // What util reads: the info object this handler's ctx was given.
  state.meta = {
    get info() {
      return part('info', {});
    },
    authType: run.authType,
  };
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
