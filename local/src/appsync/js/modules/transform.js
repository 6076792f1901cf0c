// 'appsync:transform': util.transform. Filter objects ({ field: { op: value } },
// and/or/not) become DynamoDB expressions or subscription filter groups.

import { toDynamoDB } from 'appsync:dynamodb-values';

const COMPARISONS = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
const FUNCTIONS = { beginsWith: 'begins_with', contains: 'contains', notContains: 'NOT contains' };
const ATTRIBUTE_TYPES = {
  null: 'NULL',
  string: 'S',
  stringSet: 'SS',
  number: 'N',
  numberSet: 'NS',
  binary: 'B',
  binarySet: 'BS',
  boolean: 'BOOL',
  list: 'L',
  map: 'M',
};

// Thrown when a filter has a shape no expression can be made of; the transform
// then answers null.
const INVALID = {};

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function joinName(parts) {
  return parts.filter((p) => p !== null && p !== undefined && p !== '').join('_');
}

function wrap(texts, joiner) {
  return texts.length > 1 ? `(${texts.join(` ${joiner} `)})` : (texts[0] ?? '');
}

// The operators on one attribute (or on its size): `path` is how the expression
// names it, `base` how value placeholders are named.
function operators(out, ops, path, base) {
  if (!isObject(ops)) {
    throw INVALID;
  }
  const texts = [];
  const value = (op, v) => {
    const name = `:${joinName([base, op])}`;
    out.values[name] = toDynamoDB(v);
    return name;
  };
  for (const op of Object.keys(ops)) {
    const v = ops[op];
    if (COMPARISONS[op]) {
      texts.push(`(${path} ${COMPARISONS[op]} ${value(op, v)})`);
    } else if (FUNCTIONS[op]) {
      texts.push(`(${FUNCTIONS[op]}(${path},${value(op, v)}))`);
    } else if (op === 'between') {
      if (!Array.isArray(v) || v.length < 2) {
        throw INVALID;
      }
      texts.push(`(${path} BETWEEN ${value('between_start', v[0])} AND ${value('between_end', v[1])})`);
    } else if (op === 'in') {
      if (!Array.isArray(v)) {
        throw INVALID;
      }
      const names = v.map((x, i) => value(`in_${i}`, x));
      texts.push(names.length === 0 ? '(null)' : `(${path} IN (${names.join(', ')}))`);
    } else if (op === 'attributeExists') {
      if (typeof v !== 'boolean') {
        throw INVALID;
      }
      texts.push(`(${v ? 'attribute_exists' : 'attribute_not_exists'}(${path}))`);
    } else if (op === 'attributeType') {
      if (!Object.hasOwn(ATTRIBUTE_TYPES, v)) {
        throw INVALID;
      }
      texts.push(`(attribute_type(${path},${value('attributeType', ATTRIBUTE_TYPES[v])}))`);
    } else if (op === 'size') {
      const size = path.startsWith('size(') ? path : `size(${path})`;
      const inner = operators(out, v, size, joinName([base, 'size']));
      if (inner !== '') {
        texts.push(inner);
      }
    } else {
      throw INVALID;
    }
  }
  return wrap(texts, 'AND');
}

// Every entry of a filter object, joined with AND (not wrapped at this level).
function group(out, filter, prefix) {
  if (!isObject(filter)) {
    throw INVALID;
  }
  const texts = [];
  for (const key of Object.keys(filter)) {
    const v = filter[key];
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(v)) {
        throw INVALID;
      }
      const members = v.map((m, i) => group(out, m, joinName([prefix, key, i])));
      texts.push(wrap(members, key.toUpperCase()));
    } else if (key === 'not') {
      texts.push(`(NOT ${group(out, v, joinName([prefix, 'not']))})`);
    } else {
      out.names[`#${key}`] = key;
      texts.push(operators(out, v, `#${key}`, joinName([prefix, key])));
    }
  }
  return texts.join(' AND ');
}

function toExpression(filter) {
  const out = { names: {}, values: {} };
  try {
    const expression = group(out, filter, null);
    return JSON.stringify({ expression, expressionNames: out.names, expressionValues: out.values });
  } catch (e) {
    if (e === INVALID) {
      return null;
    }
    throw e;
  }
}

// A filter as alternatives (OR) of conjunctions (AND) of { fieldName, operator, value }.
function alternatives(filter, ignored) {
  if (!isObject(filter)) {
    throw INVALID;
  }
  let groups = [[]];
  const times = (options) => {
    const next = [];
    for (const g of groups) {
      for (const o of options) {
        next.push([...g, ...o]);
      }
    }
    groups = next;
  };
  for (const key of Object.keys(filter)) {
    const v = filter[key];
    if (ignored.includes(key)) {
      // dropped
    } else if (key === 'and') {
      if (!Array.isArray(v)) {
        throw INVALID;
      }
      v.forEach((m) => times(alternatives(m, ignored)));
    } else if (key === 'or') {
      if (!Array.isArray(v)) {
        throw INVALID;
      }
      const options = [];
      v.forEach((m) => options.push(...alternatives(m, ignored)));
      times(options);
    } else {
      if (!isObject(v)) {
        throw INVALID;
      }
      times(Object.keys(v).map((op) => [{ fieldName: key, operator: op, value: v[op] }]));
    }
  }
  return groups;
}

function toSubscriptionFilter(filter, ignoredFields, rules) {
  try {
    const ignored = Array.isArray(ignoredFields) ? ignoredFields : [];
    let groups = alternatives(filter, ignored);
    // Rules: at least one of them must hold, so each (field, operator) is an option.
    if (isObject(rules) && Object.keys(rules).length > 0) {
      const options = [];
      for (const field of Object.keys(rules)) {
        if (!isObject(rules[field])) {
          throw INVALID;
        }
        for (const op of Object.keys(rules[field])) {
          options.push([{ fieldName: field, operator: op, value: rules[field][op] }]);
        }
      }
      const next = [];
      groups.forEach((g) => options.forEach((o) => next.push([...g, ...o])));
      groups = next;
    }
    return { filterGroup: groups.filter((g) => g.length > 0).map((filters) => ({ filters })) };
  } catch (e) {
    if (e === INVALID) {
      return null;
    }
    throw e;
  }
}

export const transform = {
  toDynamoDBFilterExpression: toExpression,
  toDynamoDBConditionExpression: toExpression,
  toSubscriptionFilter,
};
