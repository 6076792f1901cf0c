// The say-hello function: greets the caller by name.
// As the `sayHello` query's handler it gets AppSync's event: the query's
// arguments are in `event.arguments`.
export const handler = async (event) => {
  const name = event?.arguments?.name ?? event?.name ?? 'world';
  return `Hello, ${name}!`;
};
