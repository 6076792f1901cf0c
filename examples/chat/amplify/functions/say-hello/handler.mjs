// The say-hello function: greets the caller by name.
export const handler = async (event) => {
  return `Hello, ${event?.name ?? 'world'}!`;
};
