// Owner rules store `sub::username`, and the auth function compares with that
// stored value. Reads of an owner field answer the part after the last `::` (the
// username) for one owner or a list of owners, as Amplify's owner field resolver
// does: frontends compare `owner` with the signed-in user's username.
// resolvers/code.rs places this fragment before the owner field's response.

function ownerName(value) {
  if (typeof value !== 'string') {
    return value ?? null;
  }
  const parts = value.split('::');
  return parts[parts.length - 1];
}

function ownerNames(value) {
  return Array.isArray(value) ? value.map(ownerName) : ownerName(value);
}
