// An owner field without rules of its own: a UNIT resolver on the NONE data source
// that answers the stored owner(s) as usernames (ownerNames, owner_name.js).

export function request(ctx) {
  return { payload: null };
}

export function response(ctx) {
  return ownerNames(ctx.source ? ctx.source[ctx.info.fieldName] : null);
}
