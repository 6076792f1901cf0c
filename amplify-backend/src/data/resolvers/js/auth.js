// The auth function: the first step of every pipeline. It decides the operation's
// rules (in ctx.stash.op.rules, already limited to the operation) for the caller, and
// either denies the request or records what later steps must enforce: the owner to
// store on create, the condition for update and delete, the filter for reads and
// subscriptions.

const AUTH_TYPES = {
  'API Key Authorization': 'apiKey',
  'IAM Authorization': 'iam',
  'User Pool Authorization': 'userPools',
  'Open ID Connect Authorization': 'oidc',
  'Lambda Authorization': 'function',
};

// IAM callers: identity-pool users (guest or authenticated) of this backend's pool,
// users of another pool, or principals outside any identity pool (functions given
// access, CI roles), which their own IAM policies already authorized.
function iamCaller(ctx) {
  const id = ctx.identity ?? {};
  if (!id.cognitoIdentityPoolId) {
    return 'backend';
  }
  if (id.cognitoIdentityPoolId !== ctx.env?.AMPLIFY_IDENTITY_POOL_ID) {
    return 'foreign';
  }
  return id.cognitoIdentityAuthType === 'authenticated' ? 'authenticated' : 'guest';
}

function providerMatches(ctx, mode, rule) {
  if (rule.provider === 'identityPool') {
    if (mode !== 'iam') {
      return false;
    }
    const caller = iamCaller(ctx);
    return rule.allow === 'guest' ? caller === 'guest' : caller === 'authenticated';
  }
  return rule.provider === mode;
}

function claim(claims, name) {
  if (name.includes('::')) {
    const parts = name.split('::').map((p) => claims[p]);
    return parts.every((p) => p != null) ? parts.join('::') : null;
  }
  return claims[name] ?? null;
}

// The values an owner field may hold for this caller: `sub::username` (what create
// stores), `sub` and `username`, or the rule's identity claim.
function ownerIdentities(ctx, rule) {
  const id = ctx.identity ?? {};
  const claims = id.claims ?? {};
  if (rule.identityClaim) {
    const v = claim(claims, rule.identityClaim);
    return v == null ? [] : [`${v}`];
  }
  const sub = id.sub ?? claims.sub;
  const username = id.username ?? claims['cognito:username'] ?? claims.username;
  const out = [];
  if (sub && username) {
    out.push(`${sub}::${username}`);
  }
  if (sub) {
    out.push(sub);
  }
  if (username && username !== sub) {
    out.push(username);
  }
  return out;
}

function callerGroups(ctx, rule) {
  const claims = ctx.identity?.claims ?? {};
  const raw = claims[rule.groupClaim ?? 'cognito:groups'];
  if (Array.isArray(raw)) {
    return raw;
  }
  if (typeof raw === 'string' && raw.length > 0) {
    return raw.startsWith('[') ? JSON.parse(raw) : raw.split(',').map((g) => g.trim());
  }
  return [];
}

// `all`: a rule grants the operation outright. `grants`: owner and group-field rules
// that grant it on matching items only.
function decide(ctx, rules) {
  const mode = AUTH_TYPES[util.authType()] ?? 'none';
  if (mode === 'iam') {
    const caller = iamCaller(ctx);
    if (caller === 'backend') {
      return { all: true, grants: [] };
    }
    if (caller === 'foreign') {
      return { all: false, grants: [] };
    }
  }
  let all = false;
  const grants = [];
  for (const rule of rules) {
    if (providerMatches(ctx, mode, rule)) {
      if (rule.allow === 'owner') {
        const values = ownerIdentities(ctx, rule);
        if (values.length > 0) {
          grants.push({ field: rule.field, multi: rule.multi, values, owner: true });
        }
      } else if (rule.allow === 'groupsField') {
        const values = callerGroups(ctx, rule);
        if (values.length > 0) {
          grants.push({ field: rule.field, multi: rule.multi, values, owner: false });
        }
      } else if (rule.allow === 'groups') {
        if (callerGroups(ctx, rule).some((g) => rule.groups.includes(g))) {
          all = true;
        }
      } else {
        all = true;
      }
    }
  }
  return { all, grants };
}

function denied(decision) {
  return !decision.all && decision.grants.length === 0;
}

// Field-level rules: writing a field needs one of its rules for the operation. On
// update, item-level field rules become part of the condition.
function checkFieldWrites(ctx, op, input) {
  let condition = null;
  const fieldRules = op.fieldRules ?? {};
  for (const field of Object.keys(fieldRules)) {
    if (input[field] !== undefined) {
      const d = decide(ctx, fieldRules[field]);
      if (denied(d)) {
        util.unauthorized();
      }
      if (!d.all) {
        if (op.kind === 'create') {
          if (!itemMatches(input, d.grants)) {
            util.unauthorized();
          }
        } else {
          condition = and(condition, grantsFilter(d.grants));
        }
      }
    }
  }
  return condition;
}

function authorizeCreate(ctx, op, decision) {
  const input = { ...ctx.args.input };
  // Owner rules make the creator the owner unless the input names one.
  const mode = AUTH_TYPES[util.authType()] ?? 'none';
  for (const rule of op.owners ?? []) {
    if (input[rule.field] == null && providerMatches(ctx, mode, rule)) {
      const ids = ownerIdentities(ctx, rule);
      if (ids.length > 0) {
        input[rule.field] = rule.multi ? [ids[0]] : ids[0];
      }
    }
  }
  if (!decision.all && !itemMatches(input, decision.grants)) {
    util.unauthorized();
  }
  checkFieldWrites(ctx, op, input);
  ctx.stash.input = input;
}

function authorizeChange(ctx, op, decision) {
  let condition = decision.all ? null : grantsFilter(decision.grants);
  if (op.kind === 'update') {
    const input = ctx.args.input;
    // An owner may not hand the item to someone else unless another rule allows it.
    if (!decision.all) {
      for (const g of decision.grants) {
        if (g.owner && !g.multi && input[g.field] != null && !g.values.includes(input[g.field])) {
          util.unauthorized();
        }
      }
    }
    condition = and(condition, checkFieldWrites(ctx, op, input));
  }
  ctx.stash.authCondition = condition;
}

function authorizeSubscription(ctx, decision) {
  let filter = isEmpty(ctx.args.filter) ? null : ctx.args.filter;
  for (const g of decision.grants) {
    const asked = ctx.args[g.field];
    if (g.owner && asked != null) {
      if (!decision.all && !g.values.includes(asked)) {
        util.unauthorized();
      }
      // A list of owners holds the asked-for owner among others.
      filter = and(filter, { [g.field]: g.multi ? { contains: asked } : { eq: asked } });
    }
  }
  if (!decision.all) {
    const or = decision.grants.map((g) => ({ [g.field]: g.multi ? { containsAny: g.values } : { in: g.values } }));
    filter = and(filter, or.length === 1 ? or[0] : { or });
  }
  ctx.stash.subscriptionFilter = filter;
}

export function request(ctx) {
  const op = ctx.stash.op;
  const decision = decide(ctx, op.rules);
  if (denied(decision)) {
    util.unauthorized();
  }
  if (op.kind === 'create') {
    authorizeCreate(ctx, op, decision);
  } else if (op.kind === 'update' || op.kind === 'delete') {
    authorizeChange(ctx, op, decision);
  } else if (op.kind === 'subscribe') {
    authorizeSubscription(ctx, decision);
  } else if (op.kind === 'field') {
    if (!decision.all && !itemMatches(ctx.source, decision.grants)) {
      util.unauthorized();
    }
  } else if (op.kind !== 'custom' && !decision.all) {
    ctx.stash.authGrants = decision.grants;
  }
  return { payload: null };
}

export function response(ctx) {
  return ctx.prev.result ?? null;
}
