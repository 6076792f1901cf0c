//! The generated AppSync SDL: it parses and validates with graphql-js (AppSync's
//! scalars and directives declared), and for the chat schema it has the same types,
//! inputs, fields, arguments and directives as real Amplify's.

use crate::data_support;

use amplify_backend::data::*;
use data_support::*;
use serde_json::Value;

/// The one type Amplify emits that we do not: an input of the AI conversation
/// routes, which the chat schema does not use.
const AMPLIFY_ONLY: &[&str] = &["AmplifyAIConversationTurnErrorInput"];

#[test]
fn chat_sdl_matches_amplify_type_by_type_and_field_by_field() {
    let ours = describe_sdl(&compile(chat_schema()).sdl());
    let theirs = describe_sdl(&reference("appsync-schema.graphql"));
    let (ours, theirs) = (ours.as_object().unwrap(), theirs.as_object().unwrap());
    for (name, expected) in theirs {
        if AMPLIFY_ONLY.contains(&name.as_str()) {
            assert!(!ours.contains_key(name));
            continue;
        }
        let Some(actual) = ours.get(name) else { panic!("missing type {name}") };
        assert_eq!(actual["kind"], expected["kind"], "{name}: kind");
        assert_eq!(actual["directives"], expected["directives"], "{name}: directives");
        assert_eq!(actual["values"], expected["values"], "{name}: enum values");
        let (af, ef) = (&actual["fields"], &expected["fields"]);
        if let Some(ef) = ef.as_object() {
            let keys = |v: &Value| {
                let mut k: Vec<String> = v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
                k.sort();
                k
            };
            assert_eq!(keys(af), keys(&expected["fields"]), "{name}: field names");
            for (field, e) in ef {
                assert_eq!(&af[field], e, "{name}.{field}: type, arguments and directives");
            }
        }
    }
    let extra: Vec<&String> = ours.keys().filter(|k| !theirs.contains_key(*k)).collect();
    assert!(extra.is_empty(), "types Amplify does not have: {extra:?}");
}

#[test]
fn the_rich_schema_validates_with_graphql_js() {
    let sdl = compile_with(rich_schema(), rich_modes()).sdl();
    let d = describe_sdl(&sdl);
    // Enum and custom-type plumbing.
    assert_eq!(d["Status"]["values"], serde_json::json!(["ARCHIVED", "DRAFT", "PUBLISHED"]));
    assert_eq!(d["PostVisibility"]["kind"], "enum", "inline enums are named <Type><Field>");
    assert_eq!(d["PostStats"]["kind"], "type");
    assert_eq!(d["ModelStatusInput"]["fields"]["eq"]["type"], "Status");
    assert_eq!(d["LocationInput"]["fields"]["lat"]["type"], "Float!");
    assert_eq!(d["CreatePostInput"]["fields"]["location"]["type"], "LocationInput");
    assert_eq!(d["CreatePostInput"]["fields"]["tags"]["type"], "[String!]!");
    assert_eq!(d["CreatePostInput"]["fields"]["visibility"]["type"], "PostVisibility", "a default makes it optional");
    assert_eq!(d["UpdatePostInput"]["fields"]["tags"]["type"], "[String!]", "update inputs drop only the outer `!`");
    assert_eq!(d["UpdatePostInput"]["fields"]["slug"]["type"], "String!", "key fields stay required");
    assert_eq!(d["DeleteEventInput"]["fields"].as_object().unwrap().len(), 3);
    // Custom types inherit the modes of whatever returns them.
    assert_eq!(d["Location"]["directives"], serde_json::json!(["@aws_api_key", "@aws_cognito_user_pools", "@aws_iam"]));
}

#[test]
fn custom_identifiers_and_indexes_shape_the_queries() {
    let d = describe_sdl(&compile_with(rich_schema(), rich_modes()).sdl());
    let q = &d["Query"]["fields"];
    assert_eq!(q["getPost"]["args"], serde_json::json!({"blogId": "ID!", "slug": "String!"}));
    assert_eq!(
        q["listPosts"]["args"],
        serde_json::json!({"blogId": "ID", "slug": "ModelStringKeyConditionInput", "filter": "ModelPostFilterInput", "limit": "Int", "nextToken": "String", "sortDirection": "ModelSortDirection"})
    );
    assert_eq!(q["listEvents"]["args"]["roomSlot"], "ModelEventPrimaryCompositeKeyConditionInput");
    assert_eq!(d["ModelEventPrimaryCompositeKeyInput"]["fields"]["slot"]["type"], "Int");
    assert_eq!(q["postsByStatus"]["args"]["status"], "Status!");
    assert_eq!(q["postsByStatus"]["args"]["publishedAt"], "ModelIntKeyConditionInput");
    assert_eq!(q["listPostByAuthorId"]["type"], "ModelPostConnection", "default query field of an index");
    assert!(d["Subscription"]["fields"].get("onCreateEvent").is_none(), "disabled subscriptions are gone");
    assert!(d["Mutation"]["fields"].get("deleteEvent").is_none(), "disabled mutations are gone");
}

#[test]
fn custom_operations_get_native_appsync_directives() {
    let d = describe_sdl(&compile_with(rich_schema(), rich_modes()).sdl());
    assert_eq!(d["Query"]["fields"]["echo"]["type"], "EchoReturnType");
    assert_eq!(d["Query"]["fields"]["echo"]["args"], serde_json::json!({"content": "String!", "times": "Int"}));
    assert_eq!(
        d["Query"]["fields"]["echo"]["directives"],
        serde_json::json!(["@aws_api_key", "@aws_cognito_user_pools", "@aws_iam"])
    );
    assert_eq!(
        d["Mutation"]["fields"]["moderate"]["directives"],
        serde_json::json!(["@aws_cognito_user_pools(cognito_groups: [\"Editors\", \"Admins\"])", "@aws_iam"])
    );
    assert_eq!(d["Mutation"]["fields"]["moderate"]["args"]["place"], "LocationInput");
    let on_moderated = &d["Subscription"]["fields"]["onModerated"];
    assert_eq!(on_moderated["type"], "Post", "a subscription returns what its mutation returns");
    let has = |field: &Value, directive: &str| field["directives"].as_array().unwrap().iter().any(|d| d == directive);
    assert!(has(on_moderated, "@aws_subscribe(mutations: [\"moderate\"])"), "{on_moderated}");
    assert!(has(on_moderated, "@aws_cognito_user_pools(cognito_groups: [\"Editors\"])"), "{on_moderated}");
    let on_change = &d["Subscription"]["fields"]["onPostChange"];
    assert!(has(on_change, "@aws_subscribe(mutations: [\"createPost\", \"updatePost\"])"), "{on_change}");
}

/// As Amplify emits it: the backend's IAM principals (functions with data access,
/// the console's role) may call every query, mutation and subscription, custom
/// ones included; identity-pool users still need a rule (the auth function).
#[test]
fn every_root_field_admits_iam_as_amplify_emits_it() {
    let d = describe_sdl(&compile_with(rich_schema(), rich_modes()).sdl());
    for root in ["Query", "Mutation", "Subscription"] {
        let fields = d[root]["fields"].as_object().unwrap_or_else(|| panic!("{root}: {d}"));
        assert!(!fields.is_empty());
        for (name, field) in fields {
            let directives = field["directives"].as_array().unwrap();
            assert!(directives.iter().any(|x| x == "@aws_iam"), "{root}.{name}: {directives:?}");
        }
    }
}

#[test]
fn field_rules_put_directives_on_the_field() {
    let d = describe_sdl(&compile_with(rich_schema(), rich_modes()).sdl());
    assert_eq!(d["Post"]["fields"]["notes"]["directives"], serde_json::json!(["@aws_cognito_user_pools", "@aws_iam"]));
    assert_eq!(d["Post"]["directives"], serde_json::json!(["@aws_api_key", "@aws_cognito_user_pools", "@aws_iam"]));
    assert_eq!(d["Profile"]["directives"], serde_json::json!(["@aws_cognito_user_pools", "@aws_iam"]));
}

/// Every scalar builder, with the GraphQL type and the filter scalar Amplify gives it.
fn scalars() -> Vec<(&'static str, Field, &'static str, &'static str)> {
    vec![
        ("anId", a::id(), "ID", "ID"),
        ("aString", a::string(), "String", "String"),
        ("anInt", a::integer(), "Int", "Int"),
        ("aFloat", a::float(), "Float", "Float"),
        ("aBool", a::boolean(), "Boolean", "Boolean"),
        ("aDate", a::date(), "AWSDate", "String"),
        ("aTime", a::time(), "AWSTime", "String"),
        ("aDateTime", a::datetime(), "AWSDateTime", "String"),
        ("aTimestamp", a::timestamp(), "AWSTimestamp", "Int"),
        ("anEmail", a::email(), "AWSEmail", "String"),
        ("someJson", a::json(), "AWSJSON", "String"),
        ("aPhone", a::phone(), "AWSPhone", "String"),
        ("aUrl", a::url(), "AWSURL", "String"),
        ("anIp", a::ip_address(), "AWSIPAddress", "String"),
    ]
}

#[test]
fn every_field_type_with_every_modifier_validates_with_graphql_js() {
    use amplify_backend::data::Operation::*;
    let mut fields: Vec<(String, Field)> = Vec::new();
    for (name, field, _, _) in scalars() {
        fields.push((name.to_string(), field.clone()));
        fields.push((format!("{name}Required"), field.clone().required()));
        fields.push((format!("{name}List"), field.clone().array()));
        fields.push((format!("{name}Lists"), field.required().array().required()));
    }
    let defaults: Vec<(&str, Field)> = vec![
        ("dString", a::string().default("x")),
        ("dInt", a::integer().required().default(3)),
        ("dFloat", a::float().default(1.5)),
        ("dBool", a::boolean().default(true)),
        ("dDate", a::date().default("2024-01-01")),
        ("dJson", a::json().default("{\"a\":1}")),
        ("dEnum", a::inline_enum(["ON", "OFF"]).default("OFF")),
    ];
    fields.extend(defaults.into_iter().map(|(n, f)| (n.to_string(), f)));
    fields.push(("color".into(), a::ref_("Color").required()));
    fields.push(("colors".into(), a::ref_("Color").array()));
    fields.push(("spot".into(), a::ref_("Spot")));
    fields.push(("spots".into(), a::ref_("Spot").required().array()));
    let schema = a::schema([(
        "Everything",
        a::model(fields).authorization(|allow| [allow.owner(), allow.authenticated().to([Read])]),
    )])
    .add("Color", a::enum_type(["RED", "GREEN"]))
    .add("Spot", a::custom_type([("at", a::ref_("Color")), ("tags", a::string().array()), ("inner", a::ref_("Inner"))]))
    .add("Inner", a::custom_type([("n", a::integer().required())]));
    let d = describe_sdl(&compile(schema).sdl());
    let ty =
        |t: &str, f: &str| d[t]["fields"][f]["type"].as_str().unwrap_or_else(|| panic!("{t}.{f} missing")).to_string();
    for (name, _, gql, filter) in scalars() {
        assert_eq!(ty("Everything", name), gql);
        assert_eq!(ty("Everything", &format!("{name}Required")), format!("{gql}!"));
        assert_eq!(ty("Everything", &format!("{name}List")), format!("[{gql}]"));
        assert_eq!(ty("Everything", &format!("{name}Lists")), format!("[{gql}!]!"));
        assert_eq!(ty("ModelEverythingFilterInput", name), format!("Model{filter}Input"), "{name}");
        assert_eq!(ty("ModelEverythingFilterInput", &format!("{name}List")), format!("Model{filter}Input"), "{name}");
        assert_eq!(ty("ModelEverythingConditionInput", name), format!("Model{filter}Input"), "{name}");
        assert_eq!(
            ty("ModelSubscriptionEverythingFilterInput", name),
            format!("ModelSubscription{filter}Input"),
            "{name}"
        );
        assert_eq!(ty("CreateEverythingInput", &format!("{name}Required")), format!("{gql}!"));
        assert_eq!(ty("CreateEverythingInput", &format!("{name}Lists")), format!("[{gql}!]!"));
        assert_eq!(ty("UpdateEverythingInput", &format!("{name}Required")), gql, "updates make fields optional");
        assert_eq!(ty("UpdateEverythingInput", &format!("{name}Lists")), format!("[{gql}!]"));
    }
    // A default makes the create input optional, even for a required field.
    assert_eq!(ty("CreateEverythingInput", "dInt"), "Int");
    assert_eq!(ty("Everything", "dInt"), "Int!");
    assert_eq!(ty("CreateEverythingInput", "dEnum"), "EverythingDEnum");
    // Enums filter through their own inputs, lists through list inputs; custom types
    // become inputs (nested ones too) and are not filterable.
    assert_eq!(ty("ModelEverythingFilterInput", "color"), "ModelColorInput");
    assert_eq!(ty("ModelEverythingFilterInput", "colors"), "ModelColorListInput");
    assert_eq!(ty("ModelColorListInput", "contains"), "Color");
    assert_eq!(ty("ModelSubscriptionEverythingFilterInput", "color"), "ModelSubscriptionStringInput");
    assert_eq!(ty("CreateEverythingInput", "spots"), "[SpotInput!]");
    assert_eq!(ty("SpotInput", "inner"), "InnerInput");
    assert_eq!(ty("SpotInput", "at"), "Color");
    assert!(d["ModelEverythingFilterInput"]["fields"].get("spot").is_none());
    assert_eq!(ty("Spot", "inner"), "Inner");
    assert_eq!(d["Inner"]["directives"], serde_json::json!(["@aws_cognito_user_pools", "@aws_iam"]));
}

/// Posts and tags, many to many through `PostTag`; employees managing employees.
fn relationships() -> amplify_backend::data::Schema {
    post_tags().add(
        "Employee",
        a::model([
            ("name", a::string()),
            ("managerId", a::id()),
            ("manager", a::belongs_to("Employee", "managerId")),
            ("reports", a::has_many("Employee", "managerId")),
        ]),
    )
}

#[test]
fn many_to_many_and_self_relationships_validate_with_graphql_js() {
    let compiled = compile(relationships());
    let d = describe_sdl(&compiled.sdl());
    let post_tags = &d["Post"]["fields"]["tags"];
    assert_eq!(post_tags["type"], "ModelPostTagConnection");
    assert_eq!(
        post_tags["args"],
        serde_json::json!({"filter": "ModelPostTagFilterInput", "sortDirection": "ModelSortDirection", "limit": "Int", "nextToken": "String"})
    );
    assert_eq!(d["Tag"]["fields"]["posts"]["type"], "ModelPostTagConnection");
    assert_eq!(d["PostTag"]["fields"]["post"]["type"], "Post");
    assert_eq!(d["PostTag"]["fields"]["tag"]["type"], "Tag");
    assert_eq!(d["CreatePostTagInput"]["fields"]["postId"]["type"], "ID!");
    assert!(d["CreatePostTagInput"]["fields"].get("post").is_none(), "relationship fields are not inputs");
    assert_eq!(d["Employee"]["fields"]["manager"]["type"], "Employee");
    assert_eq!(d["Employee"]["fields"]["reports"]["type"], "ModelEmployeeConnection");
    // The join table gets one index per side; the employee table one for its reports.
    let ir = &compiled.ir;
    let names = |m: &str| ir.model(m).unwrap().indexes.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
    assert_eq!(names("PostTag"), ["gsi-Post.tags", "gsi-Tag.posts"]);
    assert_eq!(names("Employee"), ["gsi-Employee.reports"]);
}

#[test]
fn a_single_field_custom_identifier_keys_every_operation() {
    let schema = a::schema([(
        "Account",
        a::model([("email", a::email().required()), ("plan", a::string())])
            .identifier(["email"])
            .authorization(|allow| [allow.authenticated()]),
    )]);
    let d = describe_sdl(&compile(schema).sdl());
    let q = &d["Query"]["fields"];
    assert_eq!(q["getAccount"]["args"], serde_json::json!({"email": "AWSEmail!"}));
    assert_eq!(
        q["listAccounts"]["args"],
        serde_json::json!({"email": "AWSEmail", "filter": "ModelAccountFilterInput", "limit": "Int", "nextToken": "String", "sortDirection": "ModelSortDirection"})
    );
    assert_eq!(d["DeleteAccountInput"]["fields"].as_object().unwrap().keys().collect::<Vec<_>>(), ["email"]);
    assert_eq!(d["CreateAccountInput"]["fields"]["email"]["type"], "AWSEmail!");
    assert!(d["Account"]["fields"].get("id").is_none(), "no implicit id with a custom identifier");
    assert!(d["ModelAccountConditionInput"]["fields"].get("email").is_none(), "key fields are not conditions");
}

#[test]
fn every_rule_kind_and_provider_admits_its_auth_mode() {
    use amplify_backend::data::Operation::*;
    let modes = every_mode();
    let schema = a::schema([
        (
            "ByOidc",
            a::model([("t", a::string())]).authorization(|allow| {
                [
                    allow.owner().provider(Provider::Oidc),
                    allow.groups(["Staff"]).provider(Provider::Oidc).with_claim_in("roles"),
                ]
            }),
        ),
        ("ByLambda", a::model([("t", a::string())]).authorization(|allow| [allow.custom()])),
        (
            "ByIam",
            a::model([("t", a::string())]).authorization(|allow| {
                [allow.authenticated().provider(Provider::IdentityPool), allow.guest().to([Read])]
            }),
        ),
        (
            "ByKey",
            a::model([
                ("t", a::string()),
                (
                    "hidden",
                    a::string().authorization(|allow| [allow.custom(), allow.groups_defined_in("viewers").to([Read])]),
                ),
            ])
            .authorization(|allow| [allow.public_api_key(), allow.owners_defined_in("editors").to([Update, Read])]),
        ),
    ])
    .add(
        "whoAmI",
        a::query()
            .returns(a::string())
            .handler(a::handler::function("who"))
            .authorization(|allow| [allow.custom(), allow.guest(), allow.authenticated().provider(Provider::Oidc)]),
    );
    let d = describe_sdl(&compile_with(schema, modes).sdl());
    let dirs = |t: &str| d[t]["directives"].clone();
    assert_eq!(dirs("ByOidc"), serde_json::json!(["@aws_iam", "@aws_oidc"]));
    assert_eq!(dirs("ByLambda"), serde_json::json!(["@aws_iam", "@aws_lambda"]));
    assert_eq!(dirs("ByIam"), serde_json::json!(["@aws_iam"]));
    assert_eq!(
        dirs("ByKey"),
        serde_json::json!(["@aws_api_key", "@aws_cognito_user_pools", "@aws_iam", "@aws_lambda"])
    );
    assert_eq!(
        d["ByKey"]["fields"]["hidden"]["directives"],
        serde_json::json!(["@aws_cognito_user_pools", "@aws_iam", "@aws_lambda"])
    );
    assert_eq!(d["Query"]["fields"]["listByOidcs"]["directives"], serde_json::json!(["@aws_iam", "@aws_oidc"]));
    assert_eq!(
        d["Query"]["fields"]["whoAmI"]["directives"],
        serde_json::json!(["@aws_iam", "@aws_lambda", "@aws_oidc"])
    );
    // Owner fields narrow subscriptions, a list of owners included.
    assert_eq!(d["Subscription"]["fields"]["onUpdateByKey"]["args"]["editors"], "String");
    assert_eq!(d["ByKey"]["fields"]["editors"]["type"], "[String]");
    assert_eq!(d["ByKey"]["fields"]["viewers"]["type"], "[String]");
}

/// The scalar types a DynamoDB key can hold (everything but Boolean and AWSJSON).
fn keyable() -> Vec<(&'static str, Field)> {
    scalars()
        .into_iter()
        .filter(|(_, _, gql, _)| !matches!(*gql, "Boolean" | "AWSJSON"))
        .map(|(n, f, _, _)| (n, f))
        .collect()
}

#[test]
fn keys_and_indexes_of_every_keyable_type_validate_with_graphql_js() {
    let mut schema =
        a::schema(Vec::<(String, amplify_backend::data::Model)>::new()).add("Level", a::enum_type(["LOW", "HIGH"]));
    let mut types: Vec<(&str, Field)> = keyable();
    types.push(("anEnum", a::ref_("Level")));
    for (i, (_, field)) in types.iter().enumerate() {
        let model = a::model([
            ("pk", field.clone().required()),
            ("sk", field.clone().required()),
            ("other", field.clone()),
            ("more", field.clone()),
            ("label", a::string()),
        ])
        .identifier(["pk", "sk"])
        .secondary_indexes(|index| {
            [index("other").sort_keys(["more"]), index("label").sort_keys(["other", "more"]), index("more")]
        })
        .authorization(|allow| [allow.authenticated()]);
        schema = schema.add(format!("Keyed{i}"), model);
        let composite = a::model([
            ("a", field.clone().required()),
            ("b", field.clone().required()),
            ("c", field.clone().required()),
        ])
        .identifier(["a", "b", "c"])
        .authorization(|allow| [allow.authenticated()]);
        schema = schema.add(format!("Composite{i}"), composite);
    }
    let compiled = compile(schema);
    let d = describe_sdl(&compiled.sdl());
    for (i, (name, _)) in types.iter().enumerate() {
        let gql = compiled.ir.model(&format!("Keyed{i}")).unwrap().field("pk").unwrap().ty.graphql_name().to_string();
        let q = &d["Query"]["fields"];
        assert_eq!(q[format!("getKeyed{i}")]["args"]["sk"], format!("{gql}!"), "{name}");
        let cond = q[format!("listKeyed{i}s")]["args"]["sk"].as_str().unwrap().to_string();
        assert!(cond.ends_with("KeyConditionInput"), "{name}: {cond}");
        assert!(d[&cond]["fields"]["between"].is_object(), "{name}: {cond} is declared");
        let composite = &q[format!("listComposite{i}s")]["args"]["bC"];
        assert_eq!(composite, &format!("ModelComposite{i}PrimaryCompositeKeyConditionInput"), "{name}");
        assert_eq!(d[format!("ModelComposite{i}PrimaryCompositeKeyInput")]["fields"]["c"]["type"], gql.as_str());
        let by_label = compiled.ir.model(&format!("Keyed{i}")).unwrap().indexes[1].query_field.clone().unwrap();
        assert!(q[&by_label]["args"]["otherMore"].as_str().unwrap().ends_with("CompositeKeyConditionInput"), "{name}");
    }
}
