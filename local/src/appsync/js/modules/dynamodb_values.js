// 'appsync:dynamodb-values': util.dynamodb, JavaScript values as DynamoDB typed
// values. As in APPSYNC_JS, numbers stay numbers ({ N: 12 }).

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function toDynamoDB(value) {
  if (value === null || value === undefined) {
    return { NULL: null };
  }
  if (typeof value === 'string') {
    return { S: value };
  }
  if (typeof value === 'number') {
    return { N: value };
  }
  if (typeof value === 'boolean') {
    return { BOOL: value };
  }
  if (Array.isArray(value)) {
    return { L: value.map(toDynamoDB) };
  }
  return { M: toMapValues(value) };
}

export function toMapValues(value) {
  if (!isObject(value)) {
    return null;
  }
  const out = {};
  for (const k of Object.keys(value)) {
    if (value[k] !== undefined) {
      out[k] = toDynamoDB(value[k]);
    }
  }
  return out;
}

function typed(type, check) {
  return (v) => (v === null || v === undefined || !check(v) ? null : { [type]: v });
}

const isList = (of) => (v) => Array.isArray(v) && v.every((x) => typeof x === of);

export const dynamodb = {
  toDynamoDB,
  toMapValues,
  toString: typed('S', (v) => typeof v === 'string'),
  toStringSet: typed('SS', isList('string')),
  toNumber: typed('N', (v) => typeof v === 'number'),
  toNumberSet: typed('NS', isList('number')),
  toBinary: typed('B', (v) => typeof v === 'string'),
  toBinarySet: typed('BS', isList('string')),
  toBoolean: typed('BOOL', (v) => typeof v === 'boolean'),
  toNull() {
    return { NULL: null };
  },
  toList(v) {
    return Array.isArray(v) ? { L: v.map(toDynamoDB) } : null;
  },
  toMap(v) {
    return isObject(v) ? { M: toMapValues(v) } : null;
  },
  toS3Object(key, bucket, region, version) {
    const s3 = { key, bucket, region };
    if (version !== undefined) {
      s3.version = version;
    }
    return { S: JSON.stringify({ s3 }) };
  },
  fromS3ObjectJson(json) {
    return JSON.parse(json)?.s3;
  },
};
