// 'appsync:invoke': runs one handler with a ctx built from the engine's JSON and
// reports what happened as JSON (value, stash, errors, early return, filters).

import { state, Stop } from 'appsync:state';
// Loads util, runtime and extensions as globals too.
import '@aws-appsync/utils';

function makeCtx(raw) {
  const args = raw.arguments;
  return {
    arguments: args,
    args,
    identity: raw.identity ?? null,
    source: raw.source ?? null,
    stash: raw.stash,
    prev: { result: raw.prev },
    result: raw.result,
    error: raw.error,
    info: raw.info,
    request: { headers: raw.headers, domainName: null },
    env: raw.env,
  };
}

export function invoke(handler, json) {
  const raw = JSON.parse(json);
  state.meta = raw;
  state.errors = [];
  state.subscriptionFilter = undefined;
  state.invalidationFilter = undefined;
  state.invalidation = undefined;
  const ctx = makeCtx(raw);
  const out = {};
  try {
    out.value = handler(ctx);
  } catch (e) {
    if (e instanceof Stop) {
      if (e.kind === 'error') {
        out.raised = e.payload;
      } else {
        out.earlyReturn = true;
        out.skipToEnd = e.skipToEnd;
        out.value = e.payload;
      }
    } else {
      return JSON.stringify({ fault: { message: String(e), stack: e?.stack ?? null } });
    }
  }
  if (out.value !== null && typeof out.value === 'object' && typeof out.value.then === 'function') {
    return JSON.stringify({ fault: { message: 'The handler returned a Promise; APPSYNC_JS has none', stack: null } });
  }
  out.value = out.value ?? null;
  out.stash = ctx.stash;
  out.errors = state.errors;
  out.subscriptionFilter = state.subscriptionFilter;
  out.invalidationFilter = state.invalidationFilter;
  out.invalidation = state.invalidation;
  try {
    return JSON.stringify(out);
  } catch (e) {
    return JSON.stringify({ fault: { message: `The result is not JSON: ${e}`, stack: null } });
  }
}
