// The post-confirmation trigger: runs once a user has confirmed their account.
// Cognito waits for the event back.
export const handler = async (event) => {
  console.log(`welcome ${event.request.userAttributes.email} (${event.triggerSource})`);
  return event;
};
