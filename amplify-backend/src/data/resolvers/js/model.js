// The model function: one per table. It turns the operation in ctx.stash.op into a
// DynamoDB request, applying what the auth function recorded: the owner-stamped
// input, the condition on updates and deletes, the filter on reads.

function toMap(values) {
  return util.dynamodb.toMapValues(values);
}

// A key as the resolver configures it, with its defaults filled in: no sort key,
// the sort key stored in its own attribute (several joined with `#`), and its
// condition in the argument of the same name.
function keyInfo(key) {
  const sk = key.sk ?? [];
  return {
    name: key.name,
    pk: key.pk,
    sk,
    skAttr: sk.length === 1 ? sk[0] : sk.join('#'),
    skArg: key.skArg ?? sk[0],
    fields: [key.pk, ...sk],
    custom: key.custom === true,
  };
}

function joinKey(parts) {
  return parts.length === 1 ? parts[0] : parts.join('#');
}

// The stored key of an item: the partition key, and the sort key (several sort key
// fields are stored joined with `#` in one attribute).
function keyOf(values, key) {
  const k = { [key.pk]: values[key.pk] };
  if (key.sk.length > 0) {
    k[key.skAttr] = joinKey(key.sk.map((f) => values[f]));
  }
  return k;
}

// Index attributes of composite sort keys, kept in step with their parts.
function setComposites(item, composites) {
  for (const c of composites ?? []) {
    if (c.fields.every((f) => item[f] != null)) {
      item[c.attr] = c.fields.map((f) => item[f]).join('#');
    }
  }
}

// The composite sort key attributes an update rewrites: those the caller's input
// touches, which must then give every part (or the stored attribute would keep old
// parts and the index would find the item under a key it no longer has; Amplify
// refuses such updates too). `known` holds the input with what the update sets
// itself (updatedAt). A null part takes the item out of the index.
function updateComposites(given, known, composites, input) {
  for (const c of composites.filter((x) => x.fields.some((f) => given[f] !== undefined))) {
    const missing = c.fields.filter((f) => known[f] === undefined);
    if (missing.length > 0) {
      util.error(
        `When updating any part of the composite sort key ${c.attr}, give every part of it. Missing: ${missing.join(', ')}.`,
        'InvalidArgumentsError',
      );
    }
    input[c.attr] = c.fields.every((f) => known[f] != null) ? c.fields.map((f) => known[f]).join('#') : null;
  }
}

function condition(parts) {
  let c = null;
  for (const p of parts) {
    if (!isEmpty(p)) {
      c = and(c, p);
    }
  }
  return JSON.parse(util.transform.toDynamoDBConditionExpression(c));
}

// The caller's filter and the auth filter, for list-like reads.
function filterOf(ctx) {
  let f = isEmpty(ctx.args.filter) ? null : ctx.args.filter;
  if (ctx.stash.authGrants) {
    f = and(f, grantsFilter(ctx.stash.authGrants));
  }
  return f ? JSON.parse(util.transform.toDynamoDBFilterExpression(f)) : null;
}

function page(ctx, request, limited) {
  if (limited) {
    request.limit = ctx.args.limit ?? 100;
    if (ctx.args.nextToken) {
      request.nextToken = ctx.args.nextToken;
    }
  }
  const filter = filterOf(ctx);
  if (filter) {
    request.filter = filter;
  }
  return request;
}

// The prefix of a composite sort key value: the given parts, in order.
function compositeValue(value, fields) {
  const parts = [];
  for (const f of fields) {
    if (value[f] == null) {
      break;
    }
    parts.push(value[f]);
  }
  return parts.join('#');
}

const COMPARISONS = { eq: '=', le: '<=', lt: '<', ge: '>=', gt: '>' };

// A sort key condition ({eq|le|lt|ge|gt|between|beginsWith}) as key condition text.
function sortCondition(cond, key, values) {
  const op = Object.keys(cond)[0];
  const raw = cond[op];
  const value = (v) => (key.sk.length === 1 ? v : compositeValue(v, key.sk));
  if (op === 'between') {
    values[':sk0'] = value(raw[0]);
    values[':sk1'] = value(raw[1]);
    return '#sk BETWEEN :sk0 AND :sk1';
  }
  values[':sk'] = value(raw);
  if (op === 'beginsWith') {
    return 'begins_with(#sk, :sk)';
  }
  if (COMPARISONS[op]) {
    return `#sk ${COMPARISONS[op]} :sk`;
  }
  return util.error(`Unsupported sort key condition: ${op}`, 'InvalidArgument');
}

function query(ctx, index, key, pk, sk) {
  const names = { '#pk': key.pk };
  const values = { ':pk': pk };
  let expression = '#pk = :pk';
  if (sk && key.sk.length > 0) {
    names['#sk'] = key.skAttr;
    expression = `${expression} AND ${sortCondition(sk, key, values)}`;
  }
  const request = {
    operation: 'Query',
    query: { expression, expressionNames: names, expressionValues: toMap(values) },
    scanIndexForward: ctx.args.sortDirection !== 'DESC',
  };
  if (index) {
    request.index = index;
  }
  return page(ctx, request, true);
}

function list(ctx, op) {
  const pk = ctx.args[op.key.pk];
  if (op.key.custom && pk != null) {
    return query(ctx, null, op.key, pk, ctx.args[op.key.skArg]);
  }
  return page(ctx, { operation: 'Scan' }, true);
}

// has_many / has_one: the children whose reference fields hold the parent's key.
function children(ctx, op) {
  const parts = op.parentKey.map((f) => ctx.source[f]);
  if (parts.some((p) => p == null)) {
    return runtime.earlyReturn(op.kind === 'hasMany' ? { items: [], nextToken: null } : null);
  }
  const ix = op.index;
  const names = { '#pk': ix.pk };
  const values = { ':pk': parts[0] };
  let expression = '#pk = :pk';
  if (ix.sk.length > 0) {
    names['#sk'] = ix.skAttr;
    values[':sk'] = joinKey(parts.slice(1));
    expression = `${expression} AND #sk = :sk`;
  }
  const request = {
    operation: 'Query',
    index: ix.name,
    query: { expression, expressionNames: names, expressionValues: toMap(values) },
    scanIndexForward: ctx.args.sortDirection !== 'DESC',
  };
  return page(ctx, request, op.kind === 'hasMany');
}

// belongs_to: the parent whose key this item's reference fields hold.
function parent(ctx, op) {
  const values = {};
  op.references.forEach((r, i) => {
    values[op.key.fields[i]] = ctx.source[r];
  });
  if (Object.values(values).some((v) => v == null)) {
    return runtime.earlyReturn(null);
  }
  return { operation: 'GetItem', key: toMap(keyOf(values, op.key)) };
}

// Whether `value` passes one `.validate(...)` rule. The limit arrives as text, as
// Amplify writes it; numbers compare as numbers.
function passes(rule, value) {
  switch (rule.type) {
    case 'gt':
      return value > Number(rule.value);
    case 'lt':
      return value < Number(rule.value);
    case 'gte':
      return value >= Number(rule.value);
    case 'lte':
      return value <= Number(rule.value);
    case 'minLength':
      return value.length >= Number(rule.value);
    case 'maxLength':
      return value.length <= Number(rule.value);
    case 'startsWith':
      return value.startsWith(rule.value);
    case 'endsWith':
      return value.endsWith(rule.value);
    case 'matches':
      return util.matches(rule.value, value);
    default:
      return false;
  }
}

// The field validations, on the caller's input as given (a null or absent value is
// not checked), as Amplify's validate slot does: the first failure is the error.
function validateInput(input, rules) {
  for (const rule of (rules ?? []).filter((r) => input[r.field] != null)) {
    if (!passes(rule, input[rule.field])) {
      util.error(rule.message);
    }
  }
}

function create(ctx, op) {
  validateInput(ctx.args.input, op.validations);
  const item = { ...(ctx.stash.input ?? ctx.args.input) };
  const defaults = op.defaults ?? {};
  for (const field of Object.keys(defaults)) {
    if (item[field] === undefined) {
      item[field] = defaults[field];
    }
  }
  if (op.autoId && item.id == null) {
    item.id = util.autoId();
  }
  const now = util.time.nowISO8601();
  item[op.timestamps.createdAt] = item[op.timestamps.createdAt] ?? now;
  item[op.timestamps.updatedAt] = item[op.timestamps.updatedAt] ?? now;
  item.__typename = op.model;
  setComposites(item, op.composites);
  const key = keyOf(item, op.key);
  const attributes = { ...item };
  for (const k of Object.keys(key)) {
    delete attributes[k];
  }
  // A null is an absent value. Stored as DynamoDB's NULL it would be refused when the
  // field keys an index (an index key must be a string or a number).
  for (const k of Object.keys(attributes)) {
    if (attributes[k] === null) {
      delete attributes[k];
    }
  }
  return {
    operation: 'PutItem',
    key: toMap(key),
    attributeValues: toMap(attributes),
    condition: condition([{ [op.key.pk]: { attributeExists: false } }, ctx.args.condition]),
  };
}

function update(ctx, op) {
  validateInput(ctx.args.input, op.validations);
  const input = { ...ctx.args.input };
  const key = keyOf(input, op.key);
  for (const f of op.key.fields) {
    delete input[f];
  }
  input[op.timestamps.updatedAt] = util.time.nowISO8601();
  // Key fields never change, so they count as given parts of a composite; an index
  // sharing the table's sort key attribute is kept by the key itself.
  const composites = (op.composites ?? []).filter((c) => c.attr !== op.key.skAttr);
  updateComposites(ctx.args.input, { ...ctx.args.input, ...input }, composites, input);
  const names = {};
  const values = {};
  const sets = [];
  const removes = [];
  Object.keys(input).forEach((field, i) => {
    names[`#f${i}`] = field;
    if (input[field] === null) {
      removes.push(`#f${i}`);
    } else {
      values[`:v${i}`] = input[field];
      sets.push(`#f${i} = :v${i}`);
    }
  });
  let expression = `SET ${sets.join(', ')}`;
  if (removes.length > 0) {
    expression = `${expression} REMOVE ${removes.join(', ')}`;
  }
  return {
    operation: 'UpdateItem',
    key: toMap(key),
    update: { expression, expressionNames: names, expressionValues: toMap(values) },
    condition: condition([{ [op.key.pk]: { attributeExists: true } }, ctx.args.condition, ctx.stash.authCondition]),
  };
}

function remove(ctx, op) {
  return {
    operation: 'DeleteItem',
    key: toMap(keyOf(ctx.args.input, op.key)),
    condition: condition([{ [op.key.pk]: { attributeExists: true } }, ctx.args.condition, ctx.stash.authCondition]),
  };
}

export function request(ctx) {
  const op = { ...ctx.stash.op };
  if (op.key) {
    op.key = keyInfo(op.key);
  }
  if (op.index) {
    op.index = keyInfo(op.index);
  }
  switch (op.kind) {
    case 'get':
      return { operation: 'GetItem', key: toMap(keyOf(ctx.args, op.key)) };
    case 'list':
      return list(ctx, op);
    case 'index':
      return query(ctx, op.index.name, op.index, ctx.args[op.index.pk], ctx.args[op.index.skArg]);
    case 'hasMany':
    case 'hasOne':
      return children(ctx, op);
    case 'belongsTo':
      return parent(ctx, op);
    case 'create':
      return create(ctx, op);
    case 'update':
      return update(ctx, op);
    case 'delete':
      return remove(ctx, op);
    default:
      return util.error(`Unknown model operation: ${op.kind}`, 'InternalFailure');
  }
}

export function response(ctx) {
  const op = ctx.stash.op;
  if (ctx.error) {
    // With an auth condition, a failed condition most likely means "not yours";
    // answering Unauthorized also hides whether the item exists.
    if (ctx.error.type === 'DynamoDB:ConditionalCheckFailedException' && ctx.stash.authCondition) {
      util.unauthorized();
    }
    return util.error(ctx.error.message, ctx.error.type);
  }
  const grants = ctx.stash.authGrants;
  switch (op.kind) {
    case 'get':
    case 'belongsTo':
      if (ctx.result && grants && !itemMatches(ctx.result, grants)) {
        util.unauthorized();
      }
      return ctx.result ?? null;
    case 'hasOne':
      return (ctx.result?.items ?? [])[0] ?? null;
    case 'list':
    case 'index':
    case 'hasMany':
      return { items: ctx.result?.items ?? [], nextToken: ctx.result?.nextToken ?? null };
    default:
      // A create, update or delete: its result is marked so that fields with other
      // rules than the model's answer null under it (resolver_redact.js).
      return ctx.result ? { ...ctx.result, __operation: 'Mutation' } : ctx.result;
  }
}
