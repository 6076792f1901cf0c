// A field with its own read rules: the auth function let the caller through, so
// the field's value is returned as stored.

export function response(ctx) {
  return ctx.source[OP.field] ?? null;
}
