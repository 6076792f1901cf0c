// 'appsync:state': what the runtime modules share with the engine's invoke step.
// Resolver code cannot import it (check.rs allows only the public modules).

// Rust functions (ids, base64, date formatting), handed over once at start-up.
export const host = globalThis.__appsyncHost;
delete globalThis.__appsyncHost;

// Reset before every handler run.
export const state = {
  meta: null,
  errors: [],
  subscriptionFilter: undefined,
  invalidationFilter: undefined,
  invalidation: undefined,
};

// Thrown by util.error, util.unauthorized and runtime.earlyReturn to stop a handler.
// Resolver code has no try/catch, so only the invoke step sees it.
export class Stop {
  constructor(kind, payload, skipToEnd) {
    this.kind = kind;
    this.payload = payload;
    this.skipToEnd = skipToEnd === true;
  }
}

export function graphQlError(message, errorType, data, errorInfo) {
  const e = { message: message === undefined ? 'undefined' : String(message) };
  if (errorType != null) {
    e.errorType = String(errorType);
  }
  if (data != null) {
    e.data = data;
  }
  if (errorInfo != null) {
    e.errorInfo = errorInfo;
  }
  return e;
}
