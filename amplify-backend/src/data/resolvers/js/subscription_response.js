// Subscriptions deliver the mutation's result; the resolver narrows who receives
// it with the filter the auth function built (owners, groups, the caller's filter).

export function response(ctx) {
  const filter = ctx.stash.subscriptionFilter;
  if (filter) {
    extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter(filter));
  }
  return null;
}
