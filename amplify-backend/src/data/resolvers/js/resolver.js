// The pipeline resolver around every generated operation: it hands the operation's
// configuration (OP, generated above) to the functions. resolvers/code.rs appends
// the response that fits the operation (response*.js).

export function request(ctx) {
  ctx.stash.op = OP;
  return {};
}
