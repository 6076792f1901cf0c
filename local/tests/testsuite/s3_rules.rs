//! Storage access rules as the templates give them, enforced per caller:
//! examples/chat's guest, signed-in `{entity_id}` and function grants, and a
//! second backend's group rules. Callers are minted with the roles the
//! identity pool attachment, the groups and the functions name.

use amplify_backend::auth::{define_auth, AuthProps, EmailLogin, LoginWith};
use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageProps};
use amplify_backend::Backend;
use aws_sdk_s3::primitives::ByteStream;
use constructs::{App, AppProps};
use local::s3::Principal;
use serde_json::json;

use crate::assembly_support::chat_assembly;
use crate::s3_support::{
    bucket, client, code, function_role, group_role, identity_pool_roles, load, seed, serve, status,
};

const ALICE: &str = "us-east-1:11111111-1111-1111-1111-111111111111";
const BOB: &str = "us-east-1:22222222-2222-2222-2222-222222222222";

/// Whether `who` may put, get, delete and list (with `prefix`) at `key`.
struct Can {
    put: bool,
    get: bool,
    delete: bool,
}

async fn can(endpoint: &str, bucket: &str, who: &Principal, key: &str) -> Can {
    let c = client(endpoint, who);
    let put = match c.put_object().bucket(bucket).key(key).body(ByteStream::from_static(b"x")).send().await {
        Ok(_) => true,
        Err(e) => {
            assert_eq!((status(&e), code(&e).as_str()), (403, "AccessDenied"), "put {key}");
            false
        }
    };
    let get = match c.get_object().bucket(bucket).key(key).send().await {
        Ok(_) => true,
        // A reader who may not list learns nothing of a missing key: 403 either way.
        Err(e) if status(&e) == 404 => true,
        Err(e) => {
            assert_eq!((status(&e), code(&e).as_str()), (403, "AccessDenied"), "get {key}");
            false
        }
    };
    let delete = match c.delete_object().bucket(bucket).key(key).send().await {
        Ok(_) => true,
        Err(e) => {
            assert_eq!((status(&e), code(&e).as_str()), (403, "AccessDenied"), "delete {key}");
            false
        }
    };
    Can { put, get, delete }
}

async fn can_list(endpoint: &str, bucket: &str, who: &Principal, prefix: &str) -> bool {
    match client(endpoint, who).list_objects_v2().bucket(bucket).prefix(prefix).send().await {
        Ok(_) => true,
        Err(e) => {
            assert_eq!((status(&e), code(&e).as_str()), (403, "AccessDenied"), "list {prefix}");
            false
        }
    }
}

fn flags(c: Can) -> (bool, bool, bool) {
    (c.put, c.get, c.delete)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_rules_for_guests_signed_in_owners_and_the_say_hello_function() {
    let dir = chat_assembly();
    let assembly = load(dir.path());
    let served = serve(&assembly, true).await;
    let media = bucket(&served.s3, "mediabucket");
    let (auth_role, unauth_role) = identity_pool_roles(&assembly);
    let alice = served.principals.mint(&auth_role, Some(ALICE));
    let bob = served.principals.mint(&auth_role, Some(BOB));
    let guest = served.principals.mint(&unauth_role, Some("us-east-1:33333333-3333-3333-3333-333333333333"));
    let say_hello = served.principals.mint(&function_role(&assembly, "sayhello"), None);
    let e = &served.endpoint;

    // Alice's own profile pictures: read, write, delete.
    let own = format!("profile-pictures/{ALICE}/me.png");
    assert_eq!(flags(can(e, &media, &alice, &own).await), (true, true, true));
    client(e, &alice).put_object().bucket(&media).key(&own).body(ByteStream::from_static(b"png")).send().await.unwrap();
    // Another signed-in user gets nothing there: the path lets guests read,
    // and signed-in users only their own folder (Amplify grants the
    // authenticated role just the `{entity_id}` policy for it).
    assert_eq!(flags(can(e, &media, &bob, &own).await), (false, false, false));
    // Guests read every profile picture and write none.
    assert_eq!(flags(can(e, &media, &guest, &own).await), (false, true, false));
    // photos/: signed-in users read and write but may not delete; guests nothing;
    // the function reads.
    assert_eq!(flags(can(e, &media, &bob, "photos/cat.png").await), (true, true, false));
    assert_eq!(flags(can(e, &media, &guest, "photos/cat.png").await), (false, false, false));
    assert_eq!(flags(can(e, &media, &say_hello, "photos/cat.png").await), (false, true, false));
    assert_eq!(flags(can(e, &media, &say_hello, &own).await), (false, false, false));
    // Nobody has anything outside the declared paths.
    assert_eq!(flags(can(e, &media, &alice, "elsewhere/x").await), (false, false, false));

    // Listing follows the s3:prefix conditions.
    assert!(can_list(e, &media, &alice, &format!("profile-pictures/{ALICE}/")).await);
    assert!(!can_list(e, &media, &alice, &format!("profile-pictures/{BOB}/")).await);
    assert!(!can_list(e, &media, &alice, "profile-pictures/").await);
    assert!(can_list(e, &media, &guest, "profile-pictures/").await);
    assert!(!can_list(e, &media, &guest, "photos/").await);
    assert!(can_list(e, &media, &say_hello, "photos/").await);
    assert!(!can_list(e, &media, &say_hello, "").await);

    // The refusal says who lacked which action, as S3 does.
    let err = client(e, &bob).delete_object().bucket(&media).key(&own).send().await.unwrap_err();
    let message = err
        .as_service_error()
        .and_then(|s| aws_sdk_s3::error::ProvideErrorMetadata::message(s))
        .unwrap_or_default()
        .to_string();
    assert!(message.contains("is not authorized to perform: s3:DeleteObject"), "{message}");
    assert!(message.contains(&format!("profile-pictures/{ALICE}/me.png")), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cdk_bucket_policy_refuses_requests_without_tls() {
    let dir = chat_assembly();
    let assembly = load(dir.path());
    let served = serve(&assembly, false).await;
    let media = bucket(&served.s3, "mediabucket");
    let (auth_role, _) = identity_pool_roles(&assembly);
    let alice = served.principals.mint(&auth_role, Some(ALICE));
    let e = client(&served.endpoint, &alice)
        .put_object()
        .bucket(&media)
        .key(format!("profile-pictures/{ALICE}/me.png"))
        .body(ByteStream::from_static(b"x"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "AccessDenied");
    let message = e
        .as_service_error()
        .and_then(|s| aws_sdk_s3::error::ProvideErrorMetadata::message(s))
        .unwrap_or_default()
        .to_string();
    assert!(message.contains("explicit deny"), "{message}");
}

/// A backend with two groups: ADMINS manage `admin/*`, EDITORS read it;
/// everyone signed in reads `shared/*`.
fn groups_assembly() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let context = json!({"amplify-backend-namespace": "groups", "amplify-backend-name": "dev", "amplify-backend-type": "sandbox"});
    let app = App::with_props(AppProps {
        outdir: Some(dir.path().to_path_buf()),
        context: serde_json::from_value(context).unwrap(),
        ..AppProps::default()
    });
    let auth = define_auth(AuthProps {
        login_with: LoginWith { email: Some(EmailLogin::default()), ..Default::default() },
        groups: vec!["ADMINS".into(), "EDITORS".into()],
        ..Default::default()
    });
    let storage = define_storage(StorageProps {
        name: "files".into(),
        access: access(|allow| {
            [
                (
                    "admin/*",
                    vec![allow.groups(["ADMINS"]).to([Read, Write, Delete]), allow.groups(["EDITORS"]).to([Read])],
                ),
                ("shared/*", vec![allow.authenticated.to([Read])]),
            ]
        }),
        ..Default::default()
    });
    let _backend = Backend::build(app.clone(), (auth, storage));
    app.synth().expect("the groups backend synthesizes");
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_roles_get_their_groups_paths_and_nothing_else() {
    let dir = groups_assembly();
    let assembly = load(dir.path());
    let served = serve(&assembly, true).await;
    let files = bucket(&served.s3, "filesbucket");
    let (auth_role, _) = identity_pool_roles(&assembly);
    let admin = served.principals.mint(&group_role(&assembly, "ADMINS"), Some(ALICE));
    let editor = served.principals.mint(&group_role(&assembly, "EDITORS"), Some(BOB));
    let plain = served.principals.mint(&auth_role, Some(BOB));
    let e = &served.endpoint;
    // The object exists while the others try it; the admin's own check deletes it last.
    client(e, &admin)
        .put_object()
        .bucket(&files)
        .key("admin/report.pdf")
        .body(ByteStream::from_static(b"%PDF"))
        .send()
        .await
        .unwrap();
    assert_eq!(flags(can(e, &files, &editor, "admin/report.pdf").await), (false, true, false));
    assert_eq!(flags(can(e, &files, &plain, "admin/report.pdf").await), (false, false, false));
    assert_eq!(flags(can(e, &files, &admin, "admin/report.pdf").await), (true, true, true));
    // Nobody may write shared/; the file is put there as a deployment would.
    seed(&served.s3, &files, "shared/notes.txt", b"notes");
    assert_eq!(flags(can(e, &files, &plain, "shared/notes.txt").await), (false, true, false));
    assert!(can_list(e, &files, &editor, "admin/").await);
    assert!(!can_list(e, &files, &plain, "admin/").await);
}
