// The pipeline resolver of a field whose rules differ from its model's (field rules,
// or a relationship to a model with other rules). Under a mutation's result it
// answers null (a has_many: no items) without running the pipeline: AppSync sends
// that result to the mutation's subscribers as the mutating caller saw it, and
// they may not pass this field's rules. A query reads the field normally.

export function request(ctx) {
  if (ctx.source && ctx.source.__operation === 'Mutation') {
    return runtime.earlyReturn(OP.kind === 'hasMany' ? { items: [], nextToken: null } : null);
  }
  ctx.stash.op = OP;
  return {};
}
