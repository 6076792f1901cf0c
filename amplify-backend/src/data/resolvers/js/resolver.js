// The pipeline resolver around every generated operation: it hands the operation's
// configuration (OP, generated above) to the functions, and shapes the result.

export function request(ctx) {
  ctx.stash.op = OP;
  return {};
}

export function response(ctx) {
  if (OP.kind === 'subscribe') {
    const filter = ctx.stash.subscriptionFilter;
    if (filter) {
      extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter(filter));
    }
    return null;
  }
  if (OP.kind === 'field') {
    return ctx.source[OP.field] ?? null;
  }
  return ctx.prev.result;
}
