// Custom::AmplifyRefAuth: checks that the referenced Cognito resources belong
// together and reads the settings amplify_outputs.json needs, while the stack
// deploys. Inlined in the template (ZipFile, CommonJS); the runtime provides the
// AWS SDK. Nothing is changed in Cognito, and Delete does nothing.
const http = require("http");
const https = require("https");

// Every page of a paginated Cognito list.
async function all(call, key) {
  const out = [];
  let NextToken;
  do {
    const page = await call(NextToken);
    out.push(...(page[key] || []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

// The reasons the resources do not fit together (empty when they do).
function problems(props, pool, client, providers, groups, identityPool, roles) {
  const out = [];
  const provider = `cognito-idp.${props.Region}.amazonaws.com/${props.UserPoolId}`;
  const linked = (identityPool.CognitoIdentityProviders || []).some(
    (p) => p.ProviderName === provider && p.ClientId === props.UserPoolClientId,
  );
  if (!linked) {
    out.push(`identity pool ${props.IdentityPoolId} has no provider for user pool ${props.UserPoolId} with client ${props.UserPoolClientId}; add it under the identity pool's user access`);
  }
  if (client.ClientSecret) {
    out.push(`app client ${props.UserPoolClientId} has a client secret; reference a web client (one without a secret)`);
  }
  if ((pool.AliasAttributes || []).length > 0) {
    out.push(`user pool ${props.UserPoolId} signs in with alias attributes, which Amplify's clients do not support; reference a pool with username attributes`);
  }
  if (providers.length > 0 && !(pool.Domain || pool.CustomDomain)) {
    out.push(`user pool ${props.UserPoolId} has external providers but no domain; give it a Cognito or custom domain`);
  }
  if (providers.length > 0 && !((client.CallbackURLs || []).length && (client.LogoutURLs || []).length)) {
    out.push(`app client ${props.UserPoolClientId} has external providers but lacks callback or sign-out URLs; set both`);
  }
  if (roles.authenticated !== props.AuthRoleArn) {
    out.push(`auth_role_arn ${props.AuthRoleArn} is not the identity pool's authenticated role (${roles.authenticated || "none"})`);
  }
  if (roles.unauthenticated !== props.UnauthRoleArn) {
    out.push(`unauth_role_arn ${props.UnauthRoleArn} is not the identity pool's unauthenticated role (${roles.unauthenticated || "none"})`);
  }
  for (const [name, arn] of Object.entries(props.Groups || {})) {
    const group = groups.find((g) => g.GroupName === name);
    if (!group) out.push(`group ${name} is not a group of user pool ${props.UserPoolId}`);
    else if (group.RoleArn !== arn) out.push(`group ${name} has role ${group.RoleArn || "none"} in the user pool, not ${arn}`);
  }
  return out;
}

// The names the outputs use for Cognito's provider types.
const SOCIAL = { Google: "GOOGLE", Facebook: "FACEBOOK", SignInWithApple: "SIGN_IN_WITH_APPLE", LoginWithAmazon: "LOGIN_WITH_AMAZON" };

// The auth outputs Cognito's settings give, in the form define_auth writes them.
function outputs(props, pool, mfa, client, providers, groups, identityPool) {
  const policy = (pool.Policies && pool.Policies.PasswordPolicy) || {};
  const requirements = [
    [policy.RequireNumbers, "REQUIRES_NUMBERS"],
    [policy.RequireLowercase, "REQUIRES_LOWERCASE"],
    [policy.RequireUppercase, "REQUIRES_UPPERCASE"],
    [policy.RequireSymbols, "REQUIRES_SYMBOLS"],
  ].filter(([on]) => on).map(([, name]) => name);
  const mfaTypes = [];
  if (mfa.SmsMfaConfiguration && mfa.SmsMfaConfiguration.SmsConfiguration) mfaTypes.push("SMS");
  if (mfa.SoftwareTokenMfaConfiguration && mfa.SoftwareTokenMfaConfiguration.Enabled) mfaTypes.push("TOTP");
  if (mfa.EmailMfaConfiguration) mfaTypes.push("EMAIL");
  const social = providers.map((p) => SOCIAL[p.ProviderType] || p.ProviderName).filter(Boolean);
  const domain = pool.CustomDomain || (pool.Domain ? `${pool.Domain}.auth.${props.Region}.amazoncognito.com` : "");
  const flows = client.AllowedOAuthFlows || [];
  const signup = (pool.SchemaAttributes || []).filter((a) => a.Required && a.Name).map((a) => a.Name.toLowerCase());
  const ordered = [...groups].sort((a, b) => (a.Precedence ?? Infinity) - (b.Precedence ?? Infinity));
  return {
    allowUnauthenticatedIdentities: identityPool.AllowUnauthenticatedIdentities === true ? "true" : "false",
    signupAttributes: JSON.stringify(signup),
    usernameAttributes: JSON.stringify((pool.UsernameAttributes || []).map((a) => a.toLowerCase())),
    verificationMechanisms: JSON.stringify(pool.AutoVerifiedAttributes || []),
    passwordPolicyMinLength: policy.MinimumLength === undefined ? "" : String(policy.MinimumLength),
    passwordPolicyRequirements: JSON.stringify(requirements),
    mfaConfiguration: pool.MfaConfiguration || "OFF",
    mfaTypes: JSON.stringify(mfaTypes),
    socialProviders: social.length ? JSON.stringify(social) : "",
    oauthCognitoDomain: domain,
    oauthScope: JSON.stringify(client.AllowedOAuthScopes || []),
    oauthRedirectSignIn: (client.CallbackURLs || []).join(","),
    oauthRedirectSignOut: (client.LogoutURLs || []).join(","),
    oauthResponseType: flows.includes("code") || flows.length === 0 ? "code" : "token",
    oauthClientId: props.UserPoolClientId,
    groups: JSON.stringify(ordered.map((g) => ({ [g.GroupName]: { precedence: g.Precedence } }))),
  };
}

// Reads everything, checks it, and answers the outputs (or throws the problems).
async function initialize(cognito, identity, props) {
  const UserPoolId = props.UserPoolId;
  const pool = (await cognito.describeUserPool({ UserPoolId })).UserPool;
  const mfa = await cognito.getUserPoolMfaConfig({ UserPoolId });
  const client = (await cognito.describeUserPoolClient({ UserPoolId, ClientId: props.UserPoolClientId })).UserPoolClient;
  const providers = await all((NextToken) => cognito.listIdentityProviders({ UserPoolId, NextToken }), "Providers");
  const groups = await all((NextToken) => cognito.listGroups({ UserPoolId, NextToken }), "Groups");
  const identityPool = await identity.describeIdentityPool({ IdentityPoolId: props.IdentityPoolId });
  const roles = (await identity.getIdentityPoolRoles({ IdentityPoolId: props.IdentityPoolId })).Roles || {};
  const found = problems(props, pool, client, providers, groups, identityPool, roles);
  if (found.length) throw new Error(`reference_auth: ${found.join("; ")}`);
  return outputs(props, pool, mfa, client, providers, groups, identityPool);
}

function answer(event, status, data, reason) {
  return {
    Status: status,
    Reason: reason || "see the function's CloudWatch logs",
    PhysicalResourceId: event.PhysicalResourceId || `${event.LogicalResourceId}-${event.RequestId}`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  };
}

function put(url, body) {
  const text = JSON.stringify(body);
  const client = url.startsWith("http:") ? http : https;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: "PUT", headers: { "content-type": "", "content-length": Buffer.byteLength(text) } }, (res) => {
      res.resume();
      res.on("end", resolve);
    });
    req.on("error", reject);
    req.end(text);
  });
}

// The SDK clients, as `{ operation(input) }` objects.
function clients() {
  const idp = require("@aws-sdk/client-cognito-identity-provider");
  const ci = require("@aws-sdk/client-cognito-identity");
  const c = new idp.CognitoIdentityProviderClient({});
  const i = new ci.CognitoIdentityClient({});
  return [
    {
      describeUserPool: (input) => c.send(new idp.DescribeUserPoolCommand(input)),
      getUserPoolMfaConfig: (input) => c.send(new idp.GetUserPoolMfaConfigCommand(input)),
      describeUserPoolClient: (input) => c.send(new idp.DescribeUserPoolClientCommand(input)),
      listIdentityProviders: (input) => c.send(new idp.ListIdentityProvidersCommand(input)),
      listGroups: (input) => c.send(new idp.ListGroupsCommand(input)),
    },
    {
      describeIdentityPool: (input) => i.send(new ci.DescribeIdentityPoolCommand(input)),
      getIdentityPoolRoles: (input) => i.send(new ci.GetIdentityPoolRolesCommand(input)),
    },
  ];
}

exports.handler = async (event) => {
  let body;
  try {
    const data = event.RequestType === "Delete" ? undefined : await initialize(...clients(), event.ResourceProperties);
    body = answer(event, "SUCCESS", data);
  } catch (e) {
    console.error(e);
    body = answer(event, "FAILED", undefined, String((e && e.message) || e).slice(0, 1000));
  }
  await put(event.ResponseURL, body);
};
