//! `util`, `runtime` and `extensions` against AppSync's documented examples,
//! each run through a real handler.

use local::appsync::js::{AuthType, Context, Evaluation, GraphQlError, Info, Phase, Runtime};
use serde_json::{json, Value};

fn ctx() -> Context {
    Context {
        arguments: json!({"id": "1"}),
        info: Info { field_name: "getChat".into(), parent_type_name: "Query".into(), ..Default::default() },
        auth_type: AuthType::UserPools,
        ..Default::default()
    }
}

/// Runs `body` as the request handler (`ctx` in scope) with every import.
fn run_with(body: &str, ctx: &Context) -> Evaluation {
    let code = format!(
        "import {{ util, runtime, extensions }} from '@aws-appsync/utils';\n\
         export function request(ctx) {{\n{body}\n}}\n\
         export function response(ctx) {{ return ctx.result; }}\n"
    );
    let rt = Runtime::new();
    let compiled = rt.compile("Query.test", &code).unwrap_or_else(|e| panic!("{e}"));
    rt.evaluate(&compiled, Phase::Request, ctx).unwrap_or_else(|e| panic!("{e}"))
}

fn run(body: &str) -> Evaluation {
    run_with(body, &ctx())
}

fn value(expr: &str) -> Value {
    run(&format!("return {expr};")).value
}

#[test]
fn the_handler_sees_the_whole_ctx() {
    let c = Context {
        arguments: json!({"id": "7"}),
        identity: Some(json!({"sub": "u1", "username": "alice", "claims": {"cognito:groups": ["admins"]}}).into()),
        source: Some(json!({"chatId": "c1"})),
        stash: json!({"op": "get"}),
        prev_result: Some(json!({"n": 1})),
        request_headers: json!({"x-api": "h"}).into(),
        env: json!({"STAGE": "dev"}).into(),
        info: Info {
            field_name: "messages".into(),
            parent_type_name: "Chat".into(),
            variables: json!({"v": 1}),
            selection_set_list: vec!["items".into(), "items/id".into()],
            selection_set_graphql: "{ items { id } }".into(),
        },
        auth_type: AuthType::UserPools,
        ..Default::default()
    };
    let ev = run_with(
        "return { args: ctx.args.id, same: ctx.arguments === ctx.args, sub: ctx.identity.sub,
          groups: ctx.identity.claims['cognito:groups'], source: ctx.source.chatId, stash: ctx.stash.op,
          prev: ctx.prev.result.n, header: ctx.request.headers['x-api'], env: ctx.env.STAGE,
          info: ctx.info, resultUndefined: ctx.result === undefined, errorUndefined: ctx.error === undefined };",
        &c,
    );
    assert_eq!(
        ev.value,
        json!({"args": "7", "same": true, "sub": "u1", "groups": ["admins"], "source": "c1", "stash": "get",
            "prev": 1, "header": "h", "env": "dev",
            "info": {"fieldName": "messages", "parentTypeName": "Chat", "variables": {"v": 1},
                "selectionSetList": ["items", "items/id"], "selectionSetGraphQL": "{ items { id } }"},
            "resultUndefined": true, "errorUndefined": true})
    );
    // An API key caller has no identity.
    let api = Context { auth_type: AuthType::ApiKey, ..ctx() };
    assert_eq!(run_with("return [ctx.identity, util.authType()];", &api).value, json!([null, "API Key Authorization"]));
}

#[test]
fn the_stash_a_handler_changes_comes_back() {
    let ev = run("ctx.stash.seen = true; ctx.stash.list = [1, 2]; return {};");
    assert_eq!(ev.stash, json!({"seen": true, "list": [1, 2]}));
}

#[test]
fn auth_type_names_each_mode() {
    for (mode, name) in [
        (AuthType::ApiKey, "API Key Authorization"),
        (AuthType::Iam, "IAM Authorization"),
        (AuthType::UserPools, "User Pool Authorization"),
        (AuthType::Oidc, "Open ID Connect Authorization"),
        (AuthType::Lambda, "Lambda Authorization"),
    ] {
        let c = Context { auth_type: mode, ..ctx() };
        assert_eq!(run_with("return util.authType();", &c).value, json!(name));
    }
}

#[test]
fn util_error_stops_the_handler_with_every_field() {
    let ev =
        run("util.appendError('first', 'Warn'); util.error('boom', 'MyType', {a: 1}, {b: 2}); return 'not reached';");
    assert_eq!(
        ev.raised,
        Some(GraphQlError {
            message: "boom".into(),
            error_type: Some("MyType".into()),
            data: Some(json!({"a": 1})),
            error_info: Some(json!({"b": 2}))
        })
    );
    assert_eq!(ev.value, Value::Null);
    assert_eq!(ev.errors, [GraphQlError::new("first", "Warn")]);
}

#[test]
fn append_error_keeps_going() {
    let ev = run("util.appendError('one'); util.appendError('two', 'T', null, {x: 1}); return 'done';");
    assert_eq!(ev.value, json!("done"));
    assert_eq!(ev.raised, None);
    assert_eq!(ev.errors.len(), 2);
    assert_eq!(ev.errors[0], GraphQlError { message: "one".into(), ..Default::default() });
    assert_eq!(ev.errors[1].error_info, Some(json!({"x": 1})));
}

#[test]
fn unauthorized_names_the_field_and_type() {
    let ev = run("util.unauthorized();");
    assert_eq!(ev.raised, Some(GraphQlError::new("Not Authorized to access getChat on type Query", "Unauthorized")));
}

#[test]
fn early_return_stops_the_handler_with_its_value() {
    let ev = run("runtime.earlyReturn({ hello: 'world' }); return ctx.args;");
    assert!(ev.early_return && !ev.skip_to_end);
    assert_eq!(ev.value, json!({"hello": "world"}));
    let ev = run("runtime.earlyReturn(null, { skipTo: 'END' });");
    assert!(ev.early_return && ev.skip_to_end);
    assert_eq!(ev.value, Value::Null);
}

#[test]
fn extensions_record_filters_and_invalidations() {
    let ev = run("extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ owner: { eq: 'u1' } }));
         extensions.setSubscriptionInvalidationFilter({ filterGroup: [] });
         extensions.invalidateSubscriptions({ subscriptionField: 'onDelete', payload: { id: '1' } });
         return null;");
    assert_eq!(
        ev.subscription_filter,
        Some(json!({"filterGroup": [{"filters": [{"fieldName": "owner", "operator": "eq", "value": "u1"}]}]}))
    );
    assert_eq!(ev.invalidation_filter, Some(json!({"filterGroup": []})));
    assert_eq!(ev.invalidation, Some(json!({"subscriptionField": "onDelete", "payload": {"id": "1"}})));
}

#[test]
fn ids_have_their_formats() {
    let v = value("[util.autoId(), util.autoId(), util.autoUlid(), util.autoKsuid()]");
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
    let uuid = regex_like_uuid(ids[0]);
    assert!(uuid, "{}", ids[0]);
    assert_ne!(ids[0], ids[1]);
    assert_eq!(ids[2].len(), 26);
    assert_eq!(ids[3].len(), 27);
}

/// 8-4-4-4-12 hex digits, version 4, RFC 4122 variant.
fn regex_like_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && parts[2].starts_with('4')
        && "89ab".contains(&parts[3][..1])
}

#[test]
fn encodings_match_the_documented_examples() {
    assert_eq!(value("util.base64Encode('Hello, world!')"), json!("SGVsbG8sIHdvcmxkIQ=="));
    assert_eq!(value("util.base64Decode('SGVsbG8sIHdvcmxkIQ==')"), json!("Hello, world!"));
    // Form encoding, as Java's URLEncoder does it.
    assert_eq!(value("util.urlEncode(\"a b&c=d/é!'()~*\")"), json!("a+b%26c%3Dd%2F%C3%A9%21%27%28%29%7E*"));
    assert_eq!(value("util.urlDecode('a+b%26c%3Dd%2F%C3%A9')"), json!("a b&c=d/é"));
    assert_eq!(value(r#"util.escapeJavaScript('say "hi"\n\'now\'')"#), json!(r#"say \"hi\"\n\'now\'"#));
    assert_eq!(value("util.matches('^[a-z]+$', 'abc')"), json!(true));
    // Like Java's String.matches, the whole value must match.
    assert_eq!(value("[util.matches('a+', 'aaa'), util.matches('a+', 'aaab')]"), json!([true, false]));
}

#[test]
fn time_helpers_agree_with_each_other_and_the_clock() {
    let v = value(
        "[util.time.nowEpochMilliSeconds(), util.time.nowEpochSeconds(), util.time.nowISO8601(),
          util.time.parseISO8601ToEpochMilliSeconds('2018-02-01T17:21:05.180+08:00'),
          util.time.epochMilliSecondsToSeconds(1517943695750),
          util.time.epochMilliSecondsToISO8601(1517943695750),
          util.time.epochMilliSecondsToFormatted(1517943695750, 'yyyy-MM-dd HH:mm:ssZ'),
          util.time.epochMilliSecondsToFormatted(1517943695750, 'yyyy-MM-dd HH:mm:ssZ', '+08:00'),
          util.time.parseFormattedToEpochMilliSeconds('2018-02-02 01:21:05+0800', 'yyyy-MM-dd HH:mm:ssZ'),
          util.time.nowFormatted('yyyy')]",
    );
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    assert!((v[0].as_i64().unwrap() - now).abs() < 5_000, "{v}");
    assert_eq!(v[1].as_i64().unwrap(), v[0].as_i64().unwrap() / 1000);
    assert!(v[2].as_str().unwrap().ends_with('Z') && v[2].as_str().unwrap().len() == 24, "{v}");
    assert_eq!(v[3], json!(1517476865180i64));
    assert_eq!(v[4], json!(1517943695));
    assert_eq!(v[5], json!("2018-02-06T19:01:35.750Z"));
    assert_eq!(v[6], json!("2018-02-06 19:01:35+0000"));
    assert_eq!(v[7], json!("2018-02-07 03:01:35+0800"));
    assert_eq!(v[8], json!(1517505665000i64));
    assert_eq!(v[9].as_str().unwrap(), &v[2].as_str().unwrap()[..4]);
}

#[test]
fn a_bad_time_zone_is_a_fault_naming_it() {
    let rt = Runtime::new();
    let code = rt
        .compile(
            "Query.tz",
            "import { util } from '@aws-appsync/utils';\nexport function request(ctx) {\n  return util.time.nowFormatted('yyyy', 'Mars/Base');\n}\nexport function response(ctx) { return null; }\n",
        )
        .unwrap();
    let e = rt.evaluate(&code, Phase::Request, &ctx()).unwrap_err();
    assert_eq!(e.name, "Query.tz");
    assert!(e.message.contains("Mars/Base"), "{e}");
    assert!(e.to_string().contains("request handler"), "{e}");
}

#[test]
fn math_and_str() {
    let v = value(
        "[util.math.roundNum(1.5), util.math.minVal(3, 2), util.math.maxVal(3, 2),
          util.math.randomDouble(), util.math.randomWithinRange(5, 7), util.str.normalize('e\\u0301', 'NFC')]",
    );
    assert_eq!(v[0], json!(2));
    assert_eq!(v[1], json!(2));
    assert_eq!(v[2], json!(3));
    let d = v[3].as_f64().unwrap();
    assert!((0.0..1.0).contains(&d));
    let r = v[4].as_i64().unwrap();
    assert!((5..=7).contains(&r));
    assert_eq!(v[5], json!("é"));
}

#[test]
fn dynamodb_values_follow_the_documented_shapes() {
    let v = value(
        "[util.dynamodb.toDynamoDB('foo'), util.dynamodb.toDynamoDB(12345), util.dynamodb.toDynamoDB(true),
          util.dynamodb.toDynamoDB(null), util.dynamodb.toDynamoDB(['foo', 123, { bar: 'baz' }]),
          util.dynamodb.toMapValues({ foo: 'bar', baz: 1234, beep: ['boop'] }),
          util.dynamodb.toString('foo'), util.dynamodb.toStringSet(['foo', 'bar']),
          util.dynamodb.toNumber(12345), util.dynamodb.toNumberSet([1, 23, 4.56]),
          util.dynamodb.toBinary('foo'), util.dynamodb.toBinarySet(['foo']), util.dynamodb.toBoolean(true),
          util.dynamodb.toNull(), util.dynamodb.toList(['foo']), util.dynamodb.toMap({ foo: 'bar' }),
          util.dynamodb.toS3Object('foo', 'bar', 'baz'), util.dynamodb.toS3Object('foo', 'bar', 'baz', 'beep'),
          util.dynamodb.fromS3ObjectJson('{\"s3\":{\"key\":\"k\",\"bucket\":\"b\",\"region\":\"r\"}}'),
          util.dynamodb.toString(null)]",
    );
    assert_eq!(
        v,
        json!([
            {"S": "foo"}, {"N": 12345}, {"BOOL": true}, {"NULL": null},
            {"L": [{"S": "foo"}, {"N": 123}, {"M": {"bar": {"S": "baz"}}}]},
            {"foo": {"S": "bar"}, "baz": {"N": 1234}, "beep": {"L": [{"S": "boop"}]}},
            {"S": "foo"}, {"SS": ["foo", "bar"]}, {"N": 12345}, {"NS": [1, 23, 4.56]},
            {"B": "foo"}, {"BS": ["foo"]}, {"BOOL": true}, {"NULL": null}, {"L": [{"S": "foo"}]},
            {"M": {"foo": {"S": "bar"}}},
            {"S": "{\"s3\":{\"key\":\"foo\",\"bucket\":\"bar\",\"region\":\"baz\"}}"},
            {"S": "{\"s3\":{\"key\":\"foo\",\"bucket\":\"bar\",\"region\":\"baz\",\"version\":\"beep\"}}"},
            {"key": "k", "bucket": "b", "region": "r"},
            null
        ])
    );
}

#[test]
fn util_is_also_a_global() {
    let rt = Runtime::new();
    let code = rt
        .compile("Query.global", "export function request(ctx) { return util.authType(); }\nexport function response(ctx) { return null; }\n")
        .unwrap();
    assert_eq!(rt.evaluate(&code, Phase::Request, &ctx()).unwrap().value, json!("User Pool Authorization"));
}

#[test]
fn a_fault_names_the_resolver_and_the_line() {
    let rt = Runtime::new();
    let code = rt
        .compile("Query.broken", "export function request(ctx) {\n  const x = ctx.args.missing;\n  return x.id;\n}\nexport function response(ctx) { return null; }\n")
        .unwrap();
    let e = rt.evaluate(&code, Phase::Request, &ctx()).unwrap_err();
    assert_eq!(e.name, "Query.broken");
    assert_eq!(e.handler, Some("request"));
    assert!(e.message.starts_with("TypeError"), "{e}");
    // QuickJS gives the frame; for a failed property read its position is the
    // function's start rather than the expression's.
    assert!(e.location.as_deref().is_some_and(|l| l.starts_with("request (Query.broken:")), "{e}");
}

#[test]
fn a_runaway_handler_is_stopped() {
    let rt = Runtime::new();
    // for-of over a huge array is allowed syntax; it must still end.
    let code = rt
        .compile(
            "Query.spin",
            "export function request(ctx) {\n  let n = 0;\n  const xs = Array(1e7).fill(0);\n  for (const a of xs) { for (const b of xs) { n += a + b; } }\n  return n;\n}\nexport function response(ctx) { return null; }\n",
        )
        .unwrap();
    let started = std::time::Instant::now();
    let e = rt.evaluate(&code, Phase::Request, &ctx()).unwrap_err();
    assert!(e.message.contains("stopped after running longer than"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}
