// The async invoke function: runs a custom operation's Lambda handler with Lambda's
// Event invocation (AppSync does not wait for the function) and answers
// EventInvocationResponse: whether Lambda accepted the event, with the error when
// it did not, as Amplify's async handlers answer.

export function request(ctx) {
  return {
    operation: 'Invoke',
    invocationType: 'Event',
    payload: {
      typeName: ctx.info.parentTypeName,
      fieldName: ctx.info.fieldName,
      arguments: ctx.args,
      identity: ctx.identity,
      source: ctx.source,
      request: ctx.request,
      prev: ctx.prev,
    },
  };
}

export function response(ctx) {
  if (ctx.error) {
    util.appendError(ctx.error.message, ctx.error.type);
    return { success: false };
  }
  return { success: true };
}
