// '@aws-appsync/utils/dynamodb': builds DynamoDB data source requests from plain
// objects (keys, items, filters, update operations).

import { toMapValues, toDynamoDB } from 'appsync:dynamodb-values';
import { transform } from 'appsync:transform';

function condition(c) {
  return c == null ? undefined : JSON.parse(transform.toDynamoDBConditionExpression(c) ?? 'null') ?? undefined;
}

function filter(f) {
  return f == null ? undefined : JSON.parse(transform.toDynamoDBFilterExpression(f) ?? 'null') ?? undefined;
}

function projection(fields) {
  if (!Array.isArray(fields) || fields.length === 0) {
    return undefined;
  }
  const names = {};
  const parts = fields.map((f) =>
    String(f)
      .split('.')
      .map((p) => {
        names[`#${p}`] = p;
        return `#${p}`;
      })
      .join('.'),
  );
  return { expression: parts.join(', '), expressionNames: names };
}

// Drops undefined members, so requests hold only what was given.
function defined(o) {
  const out = {};
  for (const k of Object.keys(o)) {
    if (o[k] !== undefined) {
      out[k] = o[k];
    }
  }
  return out;
}

const KEY_OPS = { eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=' };

function keyCondition(query) {
  const names = {};
  const values = {};
  const parts = [];
  for (const field of Object.keys(query ?? {})) {
    const name = `#${field}`;
    names[name] = field;
    const ops = query[field] ?? {};
    for (const op of Object.keys(ops)) {
      const v = ops[op];
      if (KEY_OPS[op]) {
        values[`:${field}_${op}`] = toDynamoDB(v);
        parts.push(`${name} ${KEY_OPS[op]} :${field}_${op}`);
      } else if (op === 'beginsWith') {
        values[`:${field}_beginsWith`] = toDynamoDB(v);
        parts.push(`begins_with(${name}, :${field}_beginsWith)`);
      } else if (op === 'between') {
        values[`:${field}_between_0`] = toDynamoDB(v[0]);
        values[`:${field}_between_1`] = toDynamoDB(v[1]);
        parts.push(`${name} BETWEEN :${field}_between_0 AND :${field}_between_1`);
      }
    }
  }
  return { expression: parts.join(' AND '), expressionNames: names, expressionValues: values };
}

class Operation {
  constructor(type, value, index) {
    this.type = type;
    this.value = value;
    this.index = index;
  }
}

export const operations = {
  add: (value) => new Operation('add', value),
  remove: () => new Operation('remove'),
  replace: (value) => new Operation('replace', value),
  increment: (by) => new Operation('increment', by),
  decrement: (by) => new Operation('decrement', by),
  append: (items) => new Operation('append', items),
  prepend: (items) => new Operation('prepend', items),
  updateListItem: (value, index) => new Operation('updateListItem', value, index),
};

function updateExpression(values) {
  const names = {};
  const exprValues = {};
  const sets = [];
  const removes = [];
  Object.keys(values ?? {}).forEach((field) => {
    const n = `#${field}`;
    const v = `:${field}`;
    names[n] = field;
    const u = values[field];
    const op = u instanceof Operation ? u : new Operation('replace', u);
    if (op.type === 'remove') {
      removes.push(n);
      return;
    }
    exprValues[v] = toDynamoDB(op.value);
    if (op.type === 'increment') {
      sets.push(`${n} = ${n} + ${v}`);
    } else if (op.type === 'decrement') {
      sets.push(`${n} = ${n} - ${v}`);
    } else if (op.type === 'append') {
      sets.push(`${n} = list_append(${n}, ${v})`);
    } else if (op.type === 'prepend') {
      sets.push(`${n} = list_append(${v}, ${n})`);
    } else if (op.type === 'updateListItem') {
      sets.push(`${n}[${Number(op.index)}] = ${v}`);
    } else {
      sets.push(`${n} = ${v}`);
    }
  });
  const clauses = [];
  if (sets.length > 0) {
    clauses.push(`SET ${sets.join(', ')}`);
  }
  if (removes.length > 0) {
    clauses.push(`REMOVE ${removes.join(', ')}`);
  }
  return { expression: clauses.join(' '), expressionNames: names, expressionValues: exprValues };
}

export function get(p) {
  return defined({
    operation: 'GetItem',
    key: toMapValues(p.key),
    consistentRead: p.consistentRead ?? undefined,
    projection: projection(p.projection),
  });
}

export function put(p) {
  return defined({
    operation: 'PutItem',
    key: toMapValues(p.key),
    attributeValues: toMapValues(p.item ?? {}),
    condition: condition(p.condition),
    customPartitionKey: p.customPartitionKey,
    populateIndexFields: p.populateIndexFields,
    _version: p._version,
  });
}

export function remove(p) {
  return defined({
    operation: 'DeleteItem',
    key: toMapValues(p.key),
    condition: condition(p.condition),
    customPartitionKey: p.customPartitionKey,
    populateIndexFields: p.populateIndexFields,
    _version: p._version,
  });
}

export function update(p) {
  return defined({
    operation: 'UpdateItem',
    key: toMapValues(p.key),
    update: updateExpression(p.update),
    condition: condition(p.condition),
    customPartitionKey: p.customPartitionKey,
    populateIndexFields: p.populateIndexFields,
    _version: p._version,
  });
}

function reading(operation, p) {
  return {
    operation,
    index: p.index ?? undefined,
    limit: p.limit ?? undefined,
    nextToken: p.nextToken ?? undefined,
    filter: filter(p.filter),
    consistentRead: p.consistentRead ?? undefined,
    select: p.select,
    projection: projection(p.projection),
  };
}

export function query(p) {
  return defined({
    ...reading('Query', p),
    query: keyCondition(p.query),
    scanIndexForward: p.scanIndexForward ?? undefined,
  });
}

export function scan(p) {
  return defined({ ...reading('Scan', p), segment: p.segment, totalSegments: p.totalSegments });
}

export function sync(p) {
  return defined({
    operation: 'Sync',
    basePartitionKey: p.basePartitionKey,
    deltaIndexName: p.deltaIndexName,
    limit: p.limit ?? undefined,
    nextToken: p.nextToken ?? undefined,
    lastSync: p.lastSync ?? undefined,
    filter: filter(p.filter),
  });
}

function eachTable(tables, f) {
  const out = {};
  for (const t of Object.keys(tables ?? {})) {
    out[t] = f(tables[t]);
  }
  return out;
}

export function batchGet(p) {
  return {
    operation: 'BatchGetItem',
    tables: eachTable(p.tables, (t) =>
      defined({ keys: t.keys.map(toMapValues), consistentRead: t.consistentRead, projection: projection(t.projection) }),
    ),
  };
}

export function batchPut(p) {
  return { operation: 'BatchPutItem', tables: eachTable(p.tables, (items) => items.map(toMapValues)) };
}

export function batchDelete(p) {
  return { operation: 'BatchDeleteItem', tables: eachTable(p.tables, (keys) => keys.map(toMapValues)) };
}

export function transactGet(p) {
  return {
    operation: 'TransactGetItems',
    transactItems: p.items.map((i) =>
      defined({ table: i.table, key: toMapValues(i.key), projection: projection(i.projection) }),
    ),
  };
}

export function transactWrite(p) {
  return {
    operation: 'TransactWriteItems',
    transactItems: p.items.map((i) =>
      defined({
        table: i.table,
        operation: i.operation,
        key: toMapValues(i.key),
        attributeValues: i.item ? toMapValues(i.item) : undefined,
        update: i.update ? updateExpression(i.update) : undefined,
        condition: condition(i.condition),
      }),
    ),
  };
}

export function toStringSet(list) {
  return { SS: list };
}

export function toNumberSet(list) {
  return { NS: list };
}

export function toBinarySet(list) {
  return { BS: list };
}
