//! `define_storage`: S3 buckets with Amplify's path-based access rules, triggers
//! and outputs.
//!
//! Each `define_storage` is one bucket in the backend's `storage` nested stack:
//! - private and encrypted by default (public access blocked, ACLs off, SSE-S3,
//!   TLS only), with the CORS rule Amplify's client libraries need;
//! - versioning and S3 server access logs on request (`versioned`, `access_logs`),
//!   off by default as in Amplify;
//! - `access` rules per path become one IAM policy per role (auth's roles, group
//!   roles, functions' roles) naming the exact prefixes, with Amplify's deny rules
//!   for nested paths. Amplify's path rules are enforced, and one more: an
//!   `entity` rule needs a `{entity_id}` path (else every signed-in user would get
//!   what was meant for owners);
//! - `triggers` run functions on uploads and deletes;
//! - the root stack lists every bucket for `amplify_outputs.json`.
//!
//! Sandboxes delete their buckets with them (emptied first, see
//! [`AutoDeleteObjects`]); branches keep them.
//!
//! ```
//! use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
//! use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageProps};
//! use amplify_backend::Backend;
//!
//! let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
//! let storage = define_storage(StorageProps {
//!     name: "media".into(),
//!     access: access(|allow| {
//!         [
//!             ("photos/*", vec![allow.authenticated.to([Read, Write])]),
//!             (
//!                 "profile-pictures/{entity_id}/*",
//!                 vec![allow.guest.to([Read]), allow.entity("identity").to([Read, Write, Delete])],
//!             ),
//!         ]
//!     }),
//!     ..Default::default()
//! });
//! let backend = Backend::build(constructs::App::new(), (auth, storage));
//! let (_, media) = backend.parts();
//! assert!(media.access_policies().contains_key("authenticated"));
//! ```

mod access;
mod auto_delete;
mod bucket;
mod existing;
mod grants;
mod outputs;
mod paths;
mod policies;
mod policy_size;
mod props;
mod resources;
mod triggers;

use constructs::{Construct, IConstruct, Tags, Value};

pub use access::{access, AccessRule, Allow, Grant, Grantee, StorageAccess, StorageAction};
pub use auto_delete::{AutoDeleteObjects, AutoDeleteProvider};
pub use existing::ExistingBucket;
pub use paths::{ENTITY_ID_TOKEN, IDENTITY_ID_VARIABLE};
pub use props::{AccessLogs, StorageProps};
pub use resources::{Bucket, BucketResources, Storage};
pub use triggers::StorageEvent;
pub use triggers::StorageTriggers;

use crate::backend::{Backend, Category, Definition, FunctionLink};
use crate::codes;
use crate::DeploymentType;
use resources::BucketPlace;

/// The storage definition of one bucket, for `define_backend`.
#[derive(Clone, Debug)]
pub struct StorageDefinition {
    props: StorageProps,
}

/// Defines a bucket (Amplify's `defineStorage`).
///
/// ```
/// use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageProps};
///
/// let storage = define_storage(StorageProps {
///     name: "media".into(),
///     access: access(|allow| [("photos/*", vec![allow.authenticated.to([Read, Write])])]),
///     ..Default::default()
/// });
/// assert_eq!(storage.name(), "media");
/// ```
pub fn define_storage(props: StorageProps) -> StorageDefinition {
    StorageDefinition { props }
}

impl StorageDefinition {
    /// The friendly name.
    pub fn name(&self) -> &str {
        &self.props.name
    }

    /// The props it was defined with.
    pub fn props(&self) -> &StorageProps {
        &self.props
    }
}

impl Definition for StorageDefinition {
    type Built = Bucket;

    fn category(&self) -> Category {
        Category::Storage
    }

    /// Access rules put policies on auth's roles and functions'; triggers name
    /// functions.
    fn needs(&self) -> &'static [Category] {
        &[Category::Auth, Category::Function]
    }

    fn function_links(&self) -> Vec<FunctionLink> {
        let mut links: Vec<FunctionLink> = self
            .props
            .triggers
            .all()
            .into_iter()
            .map(|(_, f)| FunctionLink::called_by(f.name(), Category::Storage))
            .collect();
        for (_, rules) in self.props.access.paths() {
            for rule in rules {
                if let Grantee::Resource(f) = &rule.grantee {
                    links.push(FunctionLink::uses(f.name(), Category::Storage));
                }
            }
        }
        links
    }

    /// Access for guests, signed-in users and groups puts policies on auth's roles.
    fn stack_dependencies(&self) -> Vec<Category> {
        let on_auth_roles = self
            .props
            .access
            .paths()
            .iter()
            .flat_map(|(_, rules)| rules.iter())
            .any(|r| !matches!(r.grantee, Grantee::Resource(_)));
        if on_auth_roles {
            vec![Category::Auth]
        } else {
            Vec::new()
        }
    }

    fn build(self, backend: &mut Backend) -> Bucket {
        let p = self.props;
        let stack = backend.stack(Category::Storage);
        let scope = Construct::new(&stack, &p.name);
        // Amplify names each category's resources in the console with this tag.
        Tags::of(&scope).add("amplify:friendly-name", &p.name);
        let mut problems = name_problems(&p.name);
        if backend.storage().bucket(&p.name).is_some() {
            problems.push("another define_storage has the same name; give each bucket its own".to_string());
        }

        let plan = policies::plan(&p.access);
        problems.extend(plan.problems.iter().cloned());
        let place = match &p.existing_bucket {
            Some(existing) => {
                problems.extend(existing::problems(existing, &p));
                let (name, arn) = (Value::from(existing.name.as_str()), existing.arn());
                let granted = grants::attach(backend, &scope, &p.name, &name, &arn, &plan, &[]);
                problems.extend(granted.problems);
                BucketPlace::Existing {
                    bucket: existing.clone(),
                    access_policies: granted.policies,
                    access_managed_policies: granted.managed,
                }
            }
            None => {
                let (resources, more) = make_bucket(backend, &stack, &scope, &p, &plan);
                problems.extend(more);
                BucketPlace::Made(resources)
            }
        };

        let storage = &mut backend.built_mut().storage;
        // The first bucket is the default until one says `is_default`; two saying so
        // is an error (Amplify asks for `isDefault` as soon as there are two).
        match storage.default.as_ref() {
            None => storage.default = Some((p.name.clone(), p.is_default)),
            Some((_, false)) if p.is_default => storage.default = Some((p.name.clone(), true)),
            Some((other, true)) if p.is_default => problems.push(format!(
                "is_default is set, but \"{other}\" is the default bucket already; only one bucket may be the default"
            )),
            Some(_) => {}
        }
        let paths = (!p.access.is_empty()).then(|| plan.outputs.clone());
        let built = Bucket { name: p.name.clone(), place, paths };
        storage.buckets.entry(p.name.clone()).or_insert_with(|| built.clone());
        if !problems.is_empty() {
            let name = p.name.clone();
            let messages = codes::from_messages(
                codes::STORAGE_PROPS,
                problems.into_iter().map(|m| format!("storage \"{name}\": {m}")).collect(),
            );
            // A scope with a bad or repeated id is left out of the tree, and so
            // would its checks be: report on the stack then.
            let attached = stack.node().try_find_child(&p.name).is_some_and(|n| n.ptr_eq(scope.node()));
            let at = if attached { scope.node().clone() } else { stack.node().clone() };
            at.add_check(move || messages.clone());
        }
        outputs::update(backend);
        built
    }
}

/// Makes the bucket, its triggers, access policies and (in sandboxes) what empties
/// it on deletion; returns them and the problems found.
fn make_bucket(
    backend: &mut Backend,
    stack: &constructs::Stack,
    scope: &Construct,
    p: &StorageProps,
    plan: &policies::AccessPlan,
) -> (resources::BucketResources, Vec<String>) {
    let (bucket, bucket_policy) = bucket::secure_bucket(scope, p);
    let (found, mut problems) = crate::function::trigger::resolve(backend, p.triggers.all());
    let trigger_permissions = triggers::wire(scope, &bucket, &found);
    let triggered_by: Vec<String> = found.iter().map(|t| t.function.name().to_string()).collect();
    let granted = grants::attach(backend, scope, &p.name, &bucket.ref_(), &bucket.attr_arn(), plan, &triggered_by);
    problems.extend(granted.problems);
    let sandbox = backend.identifier().deployment_type == DeploymentType::Sandbox;
    if sandbox && p.keep_on_delete == Some(true) {
        // As Amplify: a sandbox is disposable, whatever the bucket says.
        scope.node().add_warning(
            codes::STORAGE_PROPS,
            format!("storage \"{}\": keep_on_delete is ignored in a sandbox; the bucket is deleted with it", p.name),
            "keep the data elsewhere, or deploy a branch, whose buckets are kept",
        );
    }
    // A branch deletes a bucket only when told to, `keep_on_delete: Some(false)`;
    // the removal policy aspect keeps the others (backend/policies.rs).
    let deleted = sandbox || p.keep_on_delete == Some(false);
    if deleted && !sandbox {
        bucket.apply_removal_policy(constructs::RemovalPolicy::Destroy);
    }
    let auto_delete_objects = deleted.then(|| {
        let storage = &mut backend.built_mut().storage;
        let provider = storage.auto_delete_provider.get_or_insert_with(|| auto_delete::provider(stack)).clone();
        auto_delete::add(scope, &provider, &bucket)
    });
    let resources = resources::BucketResources {
        bucket,
        bucket_policy,
        access_policies: granted.policies,
        access_managed_policies: granted.managed,
        trigger_permissions,
        auto_delete_objects,
    };
    (resources, problems)
}

/// Amplify's rule for resource names, which also keeps construct IDs, tags and
/// environment variable names sane.
fn name_problems(name: &str) -> Vec<String> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.chars().any(|c| c.is_ascii_alphanumeric());
    if ok {
        Vec::new()
    } else {
        vec![format!(
            "the name \"{name}\" must be 1 to 63 letters, digits, '-' or '_'; rename the bucket in define_storage"
        )]
    }
}
