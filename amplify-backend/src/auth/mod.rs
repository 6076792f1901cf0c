//! `define_auth`: a Cognito user pool, its web client, and an identity pool with
//! roles for signed-in users, guests and user groups.
//!
//! ```
//! use amplify_backend::auth::{define_auth, AuthProps, EmailLogin, LoginWith};
//! use amplify_backend::Backend;
//!
//! let auth = define_auth(AuthProps {
//!     login_with: LoginWith {
//!         email: Some(EmailLogin {
//!             verification_email_subject: Some("Welcome! Verify your email".into()),
//!             verification_email_body: Some(|code| format!("Your code is {code}")),
//!             ..Default::default()
//!         }),
//!         ..Default::default()
//!     },
//!     groups: vec!["ADMINS".into()],
//!     ..Default::default()
//! });
//! let backend = Backend::build(constructs::App::with_props(Default::default()), (auth,));
//! let (auth,) = backend.parts();
//! assert_eq!(auth.resources().groups.len(), 1);
//! ```
//!
//! # Client secrets of external providers
//!
//! A provider's client secret (Apple's private key) is a backend secret,
//! [`secret_ref("GOOGLE_CLIENT_SECRET")`](secret_ref), set with
//! `ampx sandbox secret set GOOGLE_CLIENT_SECRET` (or, for a branch, in the Amplify
//! console, or once for every branch at `/amplify/shared/<appId>/<NAME>`).
//! CloudFormation cannot resolve `{{resolve:ssm-secure:...}}` in Cognito
//! properties, so, as in Amplify, a `Custom::SecretFetcherResource` reads the
//! parameters while the stack deploys and the provider's details take each value
//! with `Fn::GetAtt`; the template holds only parameter paths, and the response is
//! `NoEcho`. A missing secret fails the deployment with the command that sets it.
//! The fetcher runs again when its properties change: a tool that sets the context
//! `secretLastUpdated` after a secret changes makes the new value reach Cognito.
//! See [`SecretFetcher`] for the resources and the exact IAM rights.

mod access;
mod external;
mod identity_pool;
mod outputs;
mod props;
mod resources;
mod secret_fetcher;
mod triggers;
mod user_pool;
mod validate;

use cfn_types::cognito::user_pool::CfnUserPool;
use cfn_types::cognito::user_pool_client::{CfnUserPoolClient, CfnUserPoolClientProps};
use cfn_types::cognito::user_pool_domain::{CfnUserPoolDomain, CfnUserPoolDomainProps};
use cfn_types::cognito::user_pool_group::{CfnUserPoolGroup, CfnUserPoolGroupProps};
use constructs::{cfn, Construct, IConstruct, Value};
use indexmap::IndexMap;

pub use access::{auth_access, AuthAccess, AuthAccessBuilder, AuthAction, AuthAllow};
pub use external::{
    secret_ref, AppleProvider, ExternalProviders, OAuthProvider, OidcProvider, SamlMetadata, SamlProvider, SecretRef,
};
pub use props::{
    AccountRecovery, AttributeType, AuthProps, EmailLogin, LoginWith, MfaMode, MultiFactor, PasswordPolicy, PhoneLogin,
    UserAttribute, VerificationStyle, STANDARD_ATTRIBUTES,
};
pub use resources::{Auth, AuthResources, GroupResources};
pub use secret_fetcher::{SecretFetcher, LAST_UPDATED_CONTEXT, RESOURCE_TYPE as SECRET_FETCHER_RESOURCE_TYPE};
pub use triggers::Triggers;

use crate::backend::{Backend, Category, Definition, FunctionLink};
use crate::codes;
use crate::function::trigger;
use crate::iam::{self, PolicyStatement};

/// The auth category's definition, for `define_backend`.
#[derive(Clone)]
pub struct AuthDefinition {
    props: AuthProps,
}

/// Defines the auth category (Amplify's `defineAuth`).
pub fn define_auth(props: AuthProps) -> AuthDefinition {
    AuthDefinition { props }
}

impl Definition for AuthDefinition {
    type Built = Auth;

    fn category(&self) -> Category {
        Category::Auth
    }

    /// Triggers and access grants name functions, which must be built to be
    /// wired (or reported missing).
    fn needs(&self) -> &'static [Category] {
        &[Category::Function]
    }

    fn function_links(&self) -> Vec<FunctionLink> {
        let triggers =
            self.props.triggers.all().into_iter().map(|(_, f)| FunctionLink::called_by(f.name(), Category::Auth));
        let access = self.props.access.iter().map(|a| FunctionLink::uses(a.function.name(), Category::Auth));
        triggers.chain(access).collect()
    }

    fn build(self, backend: &mut Backend) -> Auth {
        let p = self.props;
        let stack = backend.stack(Category::Auth);
        let scope = Construct::new(&stack, "amplifyAuth");
        // Amplify names each category's resources in the console with this tag.
        constructs::Tags::of(&scope).add("amplify:friendly-name", "amplifyAuth");
        let problems = codes::from_messages(codes::AUTH_PROPS, validate::validate(&p));
        if !problems.is_empty() {
            scope.node().add_check(move || problems.clone());
        }

        let external_id = format!("{}-sms", backend.identifier().stack_name());
        let sms_role = user_pool::needs_sms(&p).then(|| sms_role(&scope, &external_id));
        let user_pool = CfnUserPool::new(
            &Construct::new(&scope, "UserPool"),
            "Resource",
            user_pool::user_pool_props(&p, sms_role.as_ref().map(|r| r.get_att("Arn")), &external_id),
        );
        let pool_id = user_pool.ref_();

        let external = p.login_with.external_providers.clone();
        let secret_names = external.as_ref().map(ExternalProviders::secret_names).unwrap_or_default();
        let secret_fetcher =
            (!secret_names.is_empty()).then(|| secret_fetcher::build(&scope, backend.identifier(), &secret_names));
        let identity_providers = external
            .as_ref()
            .map(|x| external::build_providers(&scope, x, &pool_id, secret_fetcher.as_ref()))
            .unwrap_or_default();
        let client = web_client(&scope, &pool_id, external.as_ref());
        for idp in &identity_providers {
            client.add_depends_on(idp);
        }
        let user_pool_domain = external.as_ref().and_then(|x| x.domain_prefix.as_ref()).map(|prefix| {
            CfnUserPoolDomain::new(
                &scope,
                "UserPoolDomain",
                CfnUserPoolDomainProps {
                    domain: prefix.as_str().into(),
                    user_pool_id: pool_id.clone().into(),
                    ..Default::default()
                },
            )
        });

        let identity_pool = identity_pool::identity_pool(&scope, &pool_id, &client.ref_(), !p.disable_guest_access);
        let authenticated =
            identity_pool::identity_role(&scope, "authenticatedUserRole", &identity_pool.ref_(), "authenticated");
        let unauthenticated =
            identity_pool::identity_role(&scope, "unauthenticatedUserRole", &identity_pool.ref_(), "unauthenticated");
        let attachment = identity_pool::role_attachment(
            &scope,
            &identity_pool.ref_(),
            &pool_id,
            &client.ref_(),
            &authenticated,
            &unauthenticated,
        );

        let mut groups = IndexMap::new();
        for (precedence, name) in p.groups.iter().enumerate() {
            // A group listed twice is reported by validation; building it twice
            // would only add a cascade of duplicate ids.
            if groups.contains_key(name) {
                continue;
            }
            let id = constructs::names::remove_non_alphanumeric(name);
            let role =
                identity_pool::identity_role(&scope, &format!("{id}GroupRole"), &identity_pool.ref_(), "authenticated");
            let group = CfnUserPoolGroup::new(
                &scope,
                &format!("{id}Group"),
                CfnUserPoolGroupProps {
                    group_name: Some(name.as_str().into()),
                    precedence: Some((precedence as i64).into()),
                    role_arn: Some(role.get_att("Arn").into()),
                    user_pool_id: pool_id.clone().into(),
                    ..Default::default()
                },
            );
            groups.insert(name.clone(), GroupResources { group, role });
        }

        wire_triggers(backend, &scope, &user_pool, &p.triggers);
        grant_access(backend, &user_pool, &p.access, &p.triggers);

        let resources = AuthResources {
            user_pool,
            user_pool_client: client,
            identity_pool,
            authenticated_user_iam_role: authenticated,
            unauthenticated_user_iam_role: unauthenticated,
            identity_pool_role_attachment: attachment,
            groups,
            user_pool_domain,
            identity_providers,
            sms_role,
            secret_fetcher,
        };
        backend.add_stack_outputs("AWS::Amplify::Auth", outputs::auth_outputs(&p, &resources));
        let auth = Auth { resources };
        // A second define_auth is reported by the tree (its scope's id is taken).
        backend.built_mut().auth.get_or_insert_with(|| auth.clone());
        auth
    }
}

/// The OAuth scopes of the web client when none are given, in the order Amplify
/// (through the CDK's user pool client) writes them.
pub(crate) const DEFAULT_OAUTH_SCOPES: [&str; 5] =
    ["profile", "phone", "email", "openid", "aws.cognito.signin.user.admin"];

/// The callback URL of the web client without external providers, as Amplify sets it
/// (the CDK's placeholder; no hosted UI serves it without a domain).
pub(crate) const DEFAULT_CALLBACK_URL: &str = "https://example.com";

/// The OAuth scopes of the web client: the given ones, or Amplify's defaults.
pub(crate) fn oauth_scopes(external: Option<&ExternalProviders>) -> Vec<String> {
    match external {
        Some(x) if !x.scopes.is_empty() => x.scopes.clone(),
        _ => DEFAULT_OAUTH_SCOPES.map(String::from).to_vec(),
    }
}

/// The web client's callback and logout URLs.
pub(crate) fn oauth_urls(external: Option<&ExternalProviders>) -> (Vec<String>, Vec<String>) {
    match external {
        Some(x) => (x.callback_urls.clone(), x.logout_urls.clone()),
        None => (vec![DEFAULT_CALLBACK_URL.to_string()], Vec::new()),
    }
}

/// The web client: SRP sign-in, no secret (it runs in browsers), and the OAuth
/// code flow, as Amplify configures it: with Amplify's default scopes and callback
/// URL, or the external providers' settings when there are some.
fn web_client(scope: &impl IConstruct, pool_id: &Value, external: Option<&ExternalProviders>) -> CfnUserPoolClient {
    let (callback_urls, logout_urls) = oauth_urls(external);
    let mut props = CfnUserPoolClientProps {
        user_pool_id: pool_id.clone().into(),
        explicit_auth_flows: Some(
            Value::from(vec!["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]).into(),
        ),
        prevent_user_existence_errors: Some(Value::from("ENABLED").into()),
        allowed_oauth_flows: Some(Value::from(vec!["code"]).into()),
        allowed_oauth_flows_user_pool_client: Some(true.into()),
        allowed_oauth_scopes: Some(oauth_scopes(external).into()),
        ..Default::default()
    };
    if !callback_urls.is_empty() {
        props.callback_urls = Some(callback_urls.into());
    }
    if !logout_urls.is_empty() {
        props.logout_urls = Some(logout_urls.into());
    }
    let mut providers = vec!["COGNITO".to_string()];
    if let Some(x) = external {
        providers.extend(x.provider_names());
    }
    props.supported_identity_providers = Some(providers.into());
    // Under a `UserPoolAppClient` scope, as the CDK's L2 nests it: the same logical ID.
    CfnUserPoolClient::new(&Construct::new(scope, "UserPoolAppClient"), "Resource", props)
}

/// The role Cognito publishes SMS with.
fn sms_role(scope: &impl IConstruct, external_id: &str) -> cfn_types::iam::role::CfnRole {
    use cfn_types::iam::role::{CfnRole, CfnRoleProps, PolicyProperty};
    let trust = iam::Trust::service(iam::Service::CognitoIdp)
        .with_condition(cfn!({"StringEquals": {"sts:ExternalId": external_id}}))
        .document();
    let publish = iam::policy_document(&[PolicyStatement::allow(["sns:Publish"], ["*".into()])]);
    CfnRole::new(
        scope,
        "UserPoolSmsRole",
        CfnRoleProps {
            assume_role_policy_document: trust,
            policies: Some(vec![PolicyProperty { policy_document: publish, policy_name: "sns-publish".into() }].into()),
            ..Default::default()
        },
    )
}

/// Points the user pool's LambdaConfig at each trigger function and lets Cognito
/// invoke it.
fn wire_triggers(backend: &Backend, scope: &Construct, user_pool: &CfnUserPool, triggers: &Triggers) {
    let (found, problems) = trigger::resolve(backend, triggers.all());
    let problems = codes::from_messages(codes::AUTH_FUNCTION, problems);
    if !problems.is_empty() {
        scope.node().add_check(move || problems.clone());
    }
    let mut config: IndexMap<String, Value> = IndexMap::new();
    for t in found {
        let arn = t.function.resources().lambda.get_att("Arn");
        config.insert(t.event.to_string(), arn.clone());
        let source = iam::InvokeSource::Arn(user_pool.get_att("Arn"));
        iam::allow_invoke(scope, &format!("{}Permission", t.event), arn, iam::Service::CognitoIdp, source);
    }
    if !config.is_empty() {
        user_pool.add_property_override("LambdaConfig", Value::Object(config));
    }
}

/// Gives functions the user pool actions they were granted.
fn grant_access(backend: &Backend, user_pool: &CfnUserPool, access: &[AuthAccess], triggers: &Triggers) {
    for grant in access {
        let Some(function) = backend.functions().get(grant.function.name()) else {
            user_pool.node().add_error(
                codes::AUTH_FUNCTION,
                format!(
                    "auth access is granted to function '{}', which is not in define_backend",
                    grant.function.name()
                ),
                "add it there",
            );
            continue;
        };
        let mut actions: Vec<&str> = grant.actions.iter().flat_map(|a| a.iam_actions().iter().copied()).collect();
        actions.sort_unstable();
        actions.dedup();
        let statement = PolicyStatement::allow(actions, [user_pool.get_att("Arn")]);
        if triggers.all().iter().any(|(_, t)| t.name() == grant.function.name()) {
            // The pool calls this function, so the function must not wait for a
            // policy that names the pool (a cycle): the grant gets a policy of its own.
            let home = Construct::new(function.stack(), &format!("{}.UserPoolAccess", grant.function.name()));
            iam::attach(&home, "Resource", vec![function.resources().role.ref_()], &[statement]);
        } else {
            function.add_to_role_policy(statement);
        }
    }
}
