// The result of the last function: the item, the page or the related item.

export function response(ctx) {
  return ctx.prev.result;
}
