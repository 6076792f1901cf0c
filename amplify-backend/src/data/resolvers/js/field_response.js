// A field with its own read rules: the auth function let the caller through, so
// the field's value is returned as stored; an owner field (OP.owner) answers its
// usernames (ownerNames, owner_name.js, placed before this fragment).

export function response(ctx) {
  const value = ctx.source[OP.field] ?? null;
  return OP.owner ? ownerNames(value) : value;
}
