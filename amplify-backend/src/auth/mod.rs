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
//! console, or once for every branch at `/amplify/shared/<appId>/<NAME>`). Client
//! ids and Apple's team and key ids are a [`Credential`]: a value, or, as Amplify
//! takes them, a secret (`secret_ref("GOOGLE_CLIENT_ID").into()`).
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
mod idp;
pub(crate) mod link;
mod outputs;
mod passwordless;
mod props;
mod reference;
mod reference_initializer;
mod resources;
mod secret_fetcher;
mod senders;
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
    secret_ref, AppleProvider, AttributeMapping, AttributeRequestMethod, Credential, ExternalProviders, OAuthProvider,
    OidcEndpoints, OidcProvider, SamlMetadata, SamlProvider, SamlSigningAlgorithm, SecretRef,
};
pub use passwordless::{PasswordlessOptions, PreferredChallenge, UserVerification, WebAuthn};
pub use props::{
    AccountRecovery, AttributeType, AuthProps, EmailLogin, LoginWith, MfaMode, MultiFactor, PasswordPolicy, PhoneLogin,
    UserAttribute, UserInvitation, VerificationStyle, STANDARD_ATTRIBUTES,
};
pub use reference::{
    reference_auth, ReferenceAuth, ReferenceAuthDefinition, ReferenceAuthProps, ReferenceAuthResources, ReferencedRole,
};
pub use reference_initializer::{
    Initializer as ReferenceAuthInitializer, RESOURCE_TYPE as REFERENCE_AUTH_RESOURCE_TYPE,
};
pub use resources::{Auth, AuthResources, GroupResources};
pub use secret_fetcher::{SecretFetcher, LAST_UPDATED_CONTEXT, RESOURCE_TYPE as SECRET_FETCHER_RESOURCE_TYPE};
pub use senders::{CustomSender, EmailSender, Senders, SesEmail, SmsSender, SnsSms};
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
        let senders = self.props.senders.custom();
        let triggers = self
            .props
            .triggers
            .all()
            .into_iter()
            .map(|(_, f)| f)
            .chain(senders.iter().map(|(_, s)| &s.handler))
            .map(|f| FunctionLink::called_by(f.name(), Category::Auth));
        let access = self.props.access.iter().map(|a| FunctionLink::uses(a.function.name(), Category::Auth));
        triggers.chain(access).collect()
    }

    fn build(self, backend: &mut Backend) -> Auth {
        let p = self.props;
        let stack = backend.stack(Category::Auth);
        // As Amplify's: the scope is named after the category, and every id in
        // it starts with the name when one is given.
        let scope_id = p.name.clone().unwrap_or_else(|| DEFAULT_NAME.to_string());
        let prefix = p.name.clone().unwrap_or_default();
        let scope = Construct::new(&stack, &scope_id);
        // Amplify names each category's resources in the console with this tag.
        constructs::Tags::of(&scope).add("amplify:friendly-name", scope_id.as_str());
        let problems = codes::from_messages(codes::AUTH_PROPS, validate::validate(&p));
        if !problems.is_empty() {
            scope.node().add_check(move || problems.clone());
        }

        let sns = p.senders.sns().cloned().unwrap_or_default();
        let external_id =
            sns.external_id.clone().unwrap_or_else(|| format!("{}-sms", backend.identifier().stack_name()));
        let sms_role = (user_pool::needs_sms(&p) && sns.sns_caller_arn.is_none())
            .then(|| sms_role(&scope, &format!("{prefix}UserPoolSmsRole"), &external_id));
        let sms_role_arn = match (&sns.sns_caller_arn, &sms_role) {
            (Some(arn), _) if user_pool::needs_sms(&p) => Some(Value::from(arn.as_str())),
            (_, Some(role)) => Some(role.get_att("Arn")),
            _ => None,
        };
        let user_pool = CfnUserPool::new(
            &Construct::new(&scope, &format!("{prefix}UserPool")),
            "Resource",
            user_pool::user_pool_props(&p, backend.identifier(), sms_role_arn, &external_id),
        );
        let pool_id = user_pool.ref_();

        let mut external = p.login_with.external_providers.clone();
        if let Some(x) = external.as_mut().filter(|x| x.domain_prefix.is_none()) {
            // Amplify's: a prefix unique to the backend, stable across deployments.
            x.domain_prefix = Some(idp::stable_domain_prefix(backend.identifier()));
        }
        let secret_names = external.as_ref().map(ExternalProviders::secret_names).unwrap_or_default();
        let secret_fetcher =
            (!secret_names.is_empty()).then(|| secret_fetcher::build(&scope, backend.identifier(), &secret_names));
        // Amplify maps `email` from each provider when email is the only sign-in identifier.
        let map_email = p.login_with.email.is_some() && p.login_with.phone.is_none();
        let identity_providers = external
            .as_ref()
            .map(|x| idp::build_providers(&scope, x, &pool_id, secret_fetcher.as_ref(), map_email))
            .unwrap_or_default();
        let client =
            web_client(&scope, &prefix, &pool_id, external.as_ref(), passwordless::first_factors(&p).is_some());
        for idp in &identity_providers {
            client.add_depends_on(idp);
        }
        let user_pool_domain = external.as_ref().and_then(|x| x.domain_prefix.as_ref()).map(|prefix| {
            CfnUserPoolDomain::new(
                &scope,
                &format!("{prefix}UserPoolDomain"),
                CfnUserPoolDomainProps {
                    domain: prefix.as_str().into(),
                    user_pool_id: pool_id.clone().into(),
                    ..Default::default()
                },
            )
        });

        let logins = external.as_ref().map(|x| idp::login_providers(x, secret_fetcher.as_ref()));
        let identity_pool =
            identity_pool::identity_pool(&scope, &prefix, &pool_id, &client.ref_(), !p.disable_guest_access, logins);
        let authenticated = identity_pool::identity_role(
            &scope,
            &format!("{prefix}authenticatedUserRole"),
            &identity_pool.ref_(),
            "authenticated",
        );
        let unauthenticated = identity_pool::identity_role(
            &scope,
            &format!("{prefix}unauthenticatedUserRole"),
            &identity_pool.ref_(),
            "unauthenticated",
        );
        let attachment = identity_pool::role_attachment(
            &scope,
            &prefix,
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
            let role = identity_pool::identity_role(
                &scope,
                &format!("{prefix}{id}GroupRole"),
                &identity_pool.ref_(),
                "authenticated",
            );
            let group = CfnUserPoolGroup::new(
                &scope,
                &format!("{prefix}{id}Group"),
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

        let mut lambda_config = wire_triggers(backend, &scope, &user_pool, &p.triggers);
        let (sender_config, custom_sender_key, sender_problems) =
            senders::wire_custom(backend, &scope, &prefix, &user_pool.get_att("Arn"), &p.senders);
        lambda_config.extend(sender_config);
        if !lambda_config.is_empty() {
            user_pool.add_property_override("LambdaConfig", Value::Object(lambda_config));
        }
        let sender_problems = codes::from_messages(codes::AUTH_FUNCTION, sender_problems);
        if !sender_problems.is_empty() {
            scope.node().add_check(move || sender_problems.clone());
        }
        let called_by_pool: Vec<&str> = p
            .triggers
            .all()
            .into_iter()
            .map(|(_, f)| f.name())
            .chain(p.senders.custom().into_iter().map(|(_, s)| s.handler.name()))
            .collect();
        let pool = access::UserPoolRef { id: user_pool.ref_(), arn: user_pool.get_att("Arn") };
        access::grant(backend, user_pool.node(), &pool, &scope_id, &p.access, &called_by_pool);

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
            custom_sender_key,
        };
        backend.add_stack_outputs("AWS::Amplify::Auth", outputs::auth_outputs(&p, backend.identifier(), &resources));
        let auth = Auth { resources };
        // A second define_auth is reported by the tree (its scope's id is taken).
        let shared = link::SharedAuth::defined(&auth.resources, !p.disable_guest_access);
        backend.built_mut().auth.get_or_insert(shared);
        auth
    }
}

/// The category's name (its scope's id) when `AuthProps::name` is not given.
const DEFAULT_NAME: &str = "amplifyAuth";

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
/// URL, or the external providers' settings when there are some. Passwordless
/// sign-in adds the choice-based `USER_AUTH` flow.
fn web_client(
    scope: &impl IConstruct,
    prefix: &str,
    pool_id: &Value,
    external: Option<&ExternalProviders>,
    user_auth: bool,
) -> CfnUserPoolClient {
    let (callback_urls, logout_urls) = oauth_urls(external);
    let mut flows = vec!["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
    if user_auth {
        flows.push("ALLOW_USER_AUTH");
    }
    let mut props = CfnUserPoolClientProps {
        user_pool_id: pool_id.clone().into(),
        explicit_auth_flows: Some(Value::from(flows).into()),
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
    CfnUserPoolClient::new(&Construct::new(scope, &format!("{prefix}UserPoolAppClient")), "Resource", props)
}

/// The role Cognito publishes SMS with.
fn sms_role(scope: &impl IConstruct, id: &str, external_id: &str) -> cfn_types::iam::role::CfnRole {
    use cfn_types::iam::role::{CfnRole, CfnRoleProps, PolicyProperty};
    let trust = iam::Trust::service(iam::Service::CognitoIdp)
        .with_condition(cfn!({"StringEquals": {"sts:ExternalId": external_id}}))
        .document();
    let publish = iam::policy_document(&[PolicyStatement::allow(["sns:Publish"], ["*".into()])]);
    CfnRole::new(
        scope,
        id,
        CfnRoleProps {
            assume_role_policy_document: trust,
            policies: Some(vec![PolicyProperty { policy_document: publish, policy_name: "sns-publish".into() }].into()),
            ..Default::default()
        },
    )
}

/// The user pool's LambdaConfig entries for each trigger function; lets Cognito
/// invoke them.
fn wire_triggers(
    backend: &Backend,
    scope: &Construct,
    user_pool: &CfnUserPool,
    triggers: &Triggers,
) -> IndexMap<String, Value> {
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
    config
}
