// '@aws-appsync/utils': util, runtime and extensions, as APPSYNC_JS documents them.

import { host, state, Stop, graphQlError } from 'appsync:state';
import { dynamodb } from 'appsync:dynamodb-values';
import { transform } from 'appsync:transform';

const time = {
  nowISO8601() {
    return new Date().toISOString();
  },
  nowEpochSeconds() {
    return Math.floor(Date.now() / 1000);
  },
  nowEpochMilliSeconds() {
    return Date.now();
  },
  nowFormatted(format, timezone) {
    return host.formatMillis(Date.now(), String(format), timezone == null ? 'UTC' : String(timezone));
  },
  parseFormattedToEpochMilliSeconds(timestamp, format, timezone) {
    return host.parseFormatted(String(timestamp), String(format), timezone == null ? 'UTC' : String(timezone));
  },
  parseISO8601ToEpochMilliSeconds(timestamp) {
    return host.parseIso(String(timestamp));
  },
  epochMilliSecondsToSeconds(ms) {
    return Math.floor(ms / 1000);
  },
  epochMilliSecondsToISO8601(ms) {
    return new Date(ms).toISOString();
  },
  epochMilliSecondsToFormatted(ms, format, timezone) {
    return host.formatMillis(ms, String(format), timezone == null ? 'UTC' : String(timezone));
  },
};

const math = {
  roundNum(n) {
    return Math.round(n);
  },
  minVal(a, b) {
    return Math.min(a, b);
  },
  maxVal(a, b) {
    return Math.max(a, b);
  },
  randomDouble() {
    return Math.random();
  },
  // An integer in [start, end].
  randomWithinRange(start, end) {
    return Math.floor(start + Math.random() * (end - start + 1));
  },
};

const str = {
  normalize(value, form) {
    return String(value).normalize(form);
  },
};

// Characters URLEncoder (form encoding) escapes that encodeURIComponent keeps.
function escapeExtra(c) {
  return `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
}

const ESCAPES = { '"': '\\"', "'": "\\'", '\\': '\\\\', '/': '\\/', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

export const util = {
  error(message, errorType, data, errorInfo) {
    throw new Stop('error', graphQlError(message, errorType, data, errorInfo));
  },
  appendError(message, errorType, data, errorInfo) {
    state.errors.push(graphQlError(message, errorType, data, errorInfo));
  },
  unauthorized() {
    const info = state.meta.info;
    throw new Stop(
      'error',
      graphQlError(`Not Authorized to access ${info.fieldName} on type ${info.parentTypeName}`, 'Unauthorized'),
    );
  },
  authType() {
    return state.meta.authType;
  },
  autoId() {
    return host.uuid();
  },
  autoUlid() {
    return host.ulid();
  },
  autoKsuid() {
    return host.ksuid();
  },
  // Java's String.matches: the whole value must match.
  matches(pattern, value) {
    return new RegExp(`^(?:${pattern})$`).test(String(value));
  },
  escapeJavaScript(value) {
    return String(value).replace(/["'\\/\n\r\t\b\f]|[^\x20-\x7e]/g, (c) => {
      if (ESCAPES[c]) {
        return ESCAPES[c];
      }
      return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    });
  },
  urlEncode(value) {
    return encodeURIComponent(String(value)).replace(/[!'()~]/g, escapeExtra).replace(/%20/g, '+');
  },
  urlDecode(value) {
    return decodeURIComponent(String(value).replace(/\+/g, ' '));
  },
  base64Encode(value) {
    return host.base64Encode(String(value));
  },
  base64Decode(value) {
    return host.base64Decode(String(value));
  },
  time,
  dynamodb,
  transform,
  math,
  str,
};

export const runtime = {
  earlyReturn(obj, options) {
    throw new Stop('earlyReturn', obj ?? null, options?.skipTo === 'END');
  },
};

export const extensions = {
  setSubscriptionFilter(filter) {
    state.subscriptionFilter = filter;
  },
  setSubscriptionInvalidationFilter(filter) {
    state.invalidationFilter = filter;
  },
  invalidateSubscriptions(obj) {
    state.invalidation = obj;
  },
  // There is no cache to evict from locally.
  evictFromApiCache() {},
};

// The type declarations also make them globals.
globalThis.util = util;
globalThis.runtime = runtime;
globalThis.extensions = extensions;
