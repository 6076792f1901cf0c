// Helpers shared by the auth and model functions. resolvers/code.rs places this
// fragment after the imports of each function that uses it (APPSYNC_JS code cannot
// import local modules, so shared code is assembled at synthesis).

// Whether `item` satisfies one of the item-level grants (owner or group fields).
function itemMatches(item, grants) {
  if (!item) {
    return false;
  }
  return grants.some((g) => {
    const value = item[g.field];
    return g.values.some((v) => (g.multi ? Array.isArray(value) && value.includes(v) : value === v));
  });
}

// The grants as an Amplify-style filter: one of the caller's identities or groups in
// one of the fields.
function grantsFilter(grants) {
  const or = [];
  for (const g of grants) {
    for (const v of g.values) {
      or.push({ [g.field]: g.multi ? { contains: v } : { eq: v } });
    }
  }
  return or.length === 1 ? or[0] : { or };
}

function and(a, b) {
  if (a && b) {
    return { and: [a, b] };
  }
  return a || b || null;
}

function isEmpty(o) {
  return !o || Object.keys(o).length === 0;
}
