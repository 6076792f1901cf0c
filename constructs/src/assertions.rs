//! Assertions on synthesized templates for users' tests, in the shape of the CDK's
//! `aws-cdk-lib/assertions`: [`Template`] and the [`Match`] matchers.
//!
//! ```
//! use constructs::assertions::{Match, Template};
//! use constructs::{App, AppProps, CfnResource, Stack};
//! use serde_json::json;
//!
//! let app = App::with_props(AppProps::default());
//! let stack = Stack::new(&app, "S");
//! let q = CfnResource::new(&stack, "Queue", "AWS::SQS::Queue");
//! q.set_property("DelaySeconds", 5);
//! q.set_property("Tags", json!([{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]));
//!
//! let t = Template::from_stack(&stack);
//! t.resource_count_is("AWS::SQS::Queue", 1);
//! t.has_resource_properties("AWS::SQS::Queue", json!({"DelaySeconds": 5}));
//! t.has_resource_properties("AWS::SQS::Queue", Match::object_like([
//!     ("Tags", Match::array_with([json!({"Key": "b", "Value": "2"})])),
//!     ("QueueName", Match::absent()),
//! ]));
//! ```

use regex::Regex;
use serde_json::{Map, Value as Json};

use crate::node::IConstruct;
use crate::stack::Stack;
use crate::SynthError;

/// A pattern to match part of a template against.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// Plain JSON: objects match as in the surrounding mode (partially inside
    /// `object_like`), lists match element by element.
    Json(Json),
    /// An object whose values are matchers.
    Object(Vec<(String, Matcher)>, Mode),
    /// A list that must contain these, in order, among other elements.
    ArrayWith(Vec<Matcher>),
    /// The key must be absent.
    Absent,
    /// Any value but absent or null.
    AnyValue,
    /// A string matching a regular expression.
    StringLikeRegexp(String),
    /// The inner matcher must fail.
    Not(Box<Matcher>),
    /// The inner matcher, with objects matched exactly.
    Exact(Box<Matcher>),
}

/// Whether objects may carry keys the pattern does not name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Extra keys are allowed.
    Partial,
    /// Extra keys fail the match.
    Exact,
}

impl From<Json> for Matcher {
    fn from(v: Json) -> Self {
        Matcher::Json(v)
    }
}
impl From<i64> for Matcher {
    fn from(v: i64) -> Self {
        Matcher::Json(Json::from(v))
    }
}
impl From<i32> for Matcher {
    fn from(v: i32) -> Self {
        Matcher::Json(Json::from(v))
    }
}
impl From<bool> for Matcher {
    fn from(v: bool) -> Self {
        Matcher::Json(Json::Bool(v))
    }
}
impl From<&str> for Matcher {
    fn from(v: &str) -> Self {
        Matcher::Json(Json::String(v.to_string()))
    }
}

/// Constructors of matchers, named as in the CDK.
pub struct Match;

impl Match {
    /// An object with at least these keys (matched recursively, partially).
    pub fn object_like<K: Into<String>, M: Into<Matcher>>(pairs: impl IntoIterator<Item = (K, M)>) -> Matcher {
        Matcher::Object(pairs.into_iter().map(|(k, m)| (k.into(), m.into())).collect(), Mode::Partial)
    }
    /// An object with exactly these keys.
    pub fn object_equals<K: Into<String>, M: Into<Matcher>>(pairs: impl IntoIterator<Item = (K, M)>) -> Matcher {
        Matcher::Object(pairs.into_iter().map(|(k, m)| (k.into(), m.into())).collect(), Mode::Exact)
    }
    /// A list containing these elements in this order, possibly among others.
    pub fn array_with<M: Into<Matcher>>(items: impl IntoIterator<Item = M>) -> Matcher {
        Matcher::ArrayWith(items.into_iter().map(Into::into).collect())
    }
    /// Exactly this value: objects must have no other keys, at any depth.
    pub fn exact(m: impl Into<Matcher>) -> Matcher {
        Matcher::Exact(Box::new(m.into()))
    }
    /// The key must not be present.
    pub fn absent() -> Matcher {
        Matcher::Absent
    }
    /// Any present, non-null value.
    pub fn any_value() -> Matcher {
        Matcher::AnyValue
    }
    /// A string matching `pattern`.
    pub fn string_like_regexp(pattern: &str) -> Matcher {
        Matcher::StringLikeRegexp(pattern.to_string())
    }
    /// Anything the inner matcher rejects.
    pub fn not(m: impl Into<Matcher>) -> Matcher {
        Matcher::Not(Box::new(m.into()))
    }
}

fn describe(v: Option<&Json>) -> String {
    v.map_or_else(|| "nothing (absent)".to_string(), |v| v.to_string())
}

/// Checks `actual` against `m`, pushing a message per failure.
fn check(m: &Matcher, actual: Option<&Json>, path: &str, mode: Mode, fails: &mut Vec<String>) {
    match m {
        Matcher::Absent => {
            if actual.is_some() {
                fails.push(format!("{path}: expected absent but found {}", describe(actual)));
            }
        }
        Matcher::AnyValue => {
            if actual.is_none_or(Json::is_null) {
                fails.push(format!("{path}: expected a value but found {}", describe(actual)));
            }
        }
        Matcher::StringLikeRegexp(p) => match (Regex::new(p), actual.and_then(Json::as_str)) {
            (Err(e), _) => fails.push(format!("{path}: invalid regular expression {p:?}: {e}")),
            (Ok(re), Some(s)) if re.is_match(s) => {}
            _ => fails.push(format!("{path}: expected a string matching /{p}/ but found {}", describe(actual))),
        },
        Matcher::Not(inner) => {
            let mut inner_fails = Vec::new();
            check(inner, actual, path, mode, &mut inner_fails);
            if inner_fails.is_empty() {
                fails.push(format!("{path}: expected no match but found {}", describe(actual)));
            }
        }
        Matcher::Exact(inner) => check(inner, actual, path, Mode::Exact, fails),
        Matcher::ArrayWith(items) => {
            let Some(list) = actual.and_then(Json::as_array) else {
                fails.push(format!("{path}: expected a list but found {}", describe(actual)));
                return;
            };
            let mut start = 0;
            for (i, item) in items.iter().enumerate() {
                let found = (start..list.len()).find(|j| {
                    let mut f = Vec::new();
                    check(item, Some(&list[*j]), path, mode, &mut f);
                    f.is_empty()
                });
                match found {
                    Some(j) => start = j + 1,
                    None => {
                        fails.push(format!(
                            "{path}: could not find pattern element {i} in order in {}",
                            describe(actual)
                        ));
                        return;
                    }
                }
            }
        }
        Matcher::Object(pairs, own_mode) => {
            let Some(obj) = actual.and_then(Json::as_object) else {
                fails.push(format!("{path}: expected an object but found {}", describe(actual)));
                return;
            };
            let mode = if *own_mode == Mode::Exact || mode == Mode::Exact { Mode::Exact } else { Mode::Partial };
            for (k, sub) in pairs {
                check(sub, obj.get(k), &format!("{path}/{k}"), mode, fails);
            }
            if mode == Mode::Exact {
                extra_keys(obj, pairs.iter().map(|(k, _)| k.as_str()).collect(), path, fails);
            }
        }
        Matcher::Json(expected) => match expected {
            Json::Object(pattern) => {
                let pairs: Vec<(String, Matcher)> =
                    pattern.iter().map(|(k, v)| (k.clone(), Matcher::Json(v.clone()))).collect();
                check(&Matcher::Object(pairs, mode), actual, path, mode, fails);
            }
            Json::Array(items) => {
                let Some(list) = actual.and_then(Json::as_array) else {
                    fails.push(format!("{path}: expected a list but found {}", describe(actual)));
                    return;
                };
                if list.len() != items.len() {
                    fails.push(format!("{path}: expected a list of {} but found {} elements", items.len(), list.len()));
                    return;
                }
                for (i, (p, a)) in items.iter().zip(list).enumerate() {
                    check(&Matcher::Json(p.clone()), Some(a), &format!("{path}/{i}"), mode, fails);
                }
            }
            scalar => {
                if actual != Some(scalar) {
                    fails.push(format!("{path}: expected {scalar} but found {}", describe(actual)));
                }
            }
        },
    }
}

fn extra_keys(obj: &Map<String, Json>, named: Vec<&str>, path: &str, fails: &mut Vec<String>) {
    for k in obj.keys() {
        if !named.contains(&k.as_str()) {
            fails.push(format!("{path}/{k}: unexpected key"));
        }
    }
}

/// One synthesized template, with assertion methods that panic with a clear message
/// (the closest candidate and why it does not match) when they fail.
#[derive(Clone, Debug)]
pub struct Template {
    json: Json,
}

impl Template {
    /// Synthesizes the app in memory and takes this stack's template.
    ///
    /// # Panics
    /// When synthesis fails: the message lists every error.
    pub fn from_stack(stack: &Stack) -> Template {
        Template::try_from_stack(stack).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Like [`from_stack`](Self::from_stack), returning synthesis errors.
    pub fn try_from_stack(stack: &Stack) -> Result<Template, SynthError> {
        let root = stack.node().root();
        let assembly = crate::synth::synthesize(&root, &crate::synth::Options { path_metadata: false, strict: false })?;
        let t = assembly.template(stack.node().path()).cloned().unwrap_or(Json::Null);
        Ok(Template { json: t })
    }

    /// Wraps a template already in JSON.
    pub fn from_json(json: Json) -> Template {
        Template { json }
    }

    /// The template, as pretty, ordered JSON for snapshots.
    pub fn to_json(&self) -> &Json {
        &self.json
    }

    fn section(&self, name: &str) -> Map<String, Json> {
        self.json.get(name).and_then(Json::as_object).cloned().unwrap_or_default()
    }

    fn of_type(&self, ty: &str) -> Vec<(String, Json)> {
        self.section("Resources")
            .into_iter()
            .filter(|(_, r)| r.get("Type").and_then(Json::as_str) == Some(ty))
            .collect()
    }

    /// The template has exactly `count` resources of type `ty`.
    pub fn resource_count_is(&self, ty: &str, count: usize) {
        let n = self.of_type(ty).len();
        assert_eq!(n, count, "expected {count} resources of type {ty} but found {n}");
    }

    /// Resources of type `ty` whose whole definition matches (`Properties`,
    /// `DependsOn`, `DeletionPolicy`, ...).
    pub fn find_resources(&self, ty: &str, pattern: impl Into<Matcher>) -> Map<String, Json> {
        let m = pattern.into();
        self.of_type(ty).into_iter().filter(|(_, r)| failures(&m, Some(r)).is_empty()).collect()
    }

    /// Some resource of type `ty` has properties matching `props` (partially, as
    /// `object_like`).
    pub fn has_resource_properties(&self, ty: &str, props: impl Into<Matcher>) {
        let m = Match::object_like([("Properties", props.into())]);
        self.assert_some(&format!("resources with type {ty}"), self.of_type(ty), &m);
    }

    /// Some resource of type `ty` matches `pattern` as a whole.
    pub fn has_resource(&self, ty: &str, pattern: impl Into<Matcher>) {
        self.assert_some(&format!("resources with type {ty}"), self.of_type(ty), &pattern.into());
    }

    /// The output `id` (or any output, with `"*"`) matches `pattern`.
    pub fn has_output(&self, id: &str, pattern: impl Into<Matcher>) {
        self.assert_entry("Outputs", id, pattern.into());
    }

    /// The parameter `id` (or any, with `"*"`) matches `pattern`.
    pub fn has_parameter(&self, id: &str, pattern: impl Into<Matcher>) {
        self.assert_entry("Parameters", id, pattern.into());
    }

    /// The condition `id` (or any, with `"*"`) matches `pattern`.
    pub fn has_condition(&self, id: &str, pattern: impl Into<Matcher>) {
        self.assert_entry("Conditions", id, pattern.into());
    }

    /// The mapping `id` (or any, with `"*"`) matches `pattern`.
    pub fn has_mapping(&self, id: &str, pattern: impl Into<Matcher>) {
        self.assert_entry("Mappings", id, pattern.into());
    }

    /// Outputs matching `pattern`.
    pub fn find_outputs(&self, pattern: impl Into<Matcher>) -> Map<String, Json> {
        let m = pattern.into();
        self.section("Outputs").into_iter().filter(|(_, o)| failures(&m, Some(o)).is_empty()).collect()
    }

    /// The whole template matches `pattern`.
    pub fn template_matches(&self, pattern: impl Into<Matcher>) {
        let f = failures(&pattern.into(), Some(&self.json));
        assert!(f.is_empty(), "the template does not match:\n  {}", f.join("\n  "));
    }

    fn assert_entry(&self, section: &str, id: &str, m: Matcher) {
        let entries: Vec<(String, Json)> =
            self.section(section).into_iter().filter(|(k, _)| id == "*" || k == id).collect();
        if entries.is_empty() && id != "*" {
            let names: Vec<String> = self.section(section).keys().cloned().collect();
            panic!("the template has no {section} entry '{id}'; it has: {}", names.join(", "));
        }
        self.assert_some(&format!("{section} entries"), entries, &m);
    }

    fn assert_some(&self, what: &str, candidates: Vec<(String, Json)>, m: &Matcher) {
        let mut best: Option<(String, Json, Vec<String>)> = None;
        for (id, v) in &candidates {
            let f = failures(m, Some(v));
            if f.is_empty() {
                return;
            }
            if best.as_ref().is_none_or(|(_, _, b)| f.len() < b.len()) {
                best = Some((id.clone(), v.clone(), f));
            }
        }
        match best {
            None => panic!("the template has no {what}"),
            Some((id, v, f)) => panic!(
                "the template has {} {what}, but none match. The closest is '{id}':\n{}\nwhich fails at:\n  {}",
                candidates.len(),
                serde_json::to_string_pretty(&v).unwrap_or_default(),
                f.join("\n  ")
            ),
        }
    }
}

fn failures(m: &Matcher, actual: Option<&Json>) -> Vec<String> {
    // Plain JSON at the top level matches like `object_like`, as in the CDK.
    let mut f = Vec::new();
    check(m, actual, "", Mode::Partial, &mut f);
    f
}

/// Runs `synth` (which writes an assembly to the directory it is given) in a new
/// temporary directory, and checks that it fails as a user should see it fail:
/// no panic, an error whose first problem has `code`, names a construct path and
/// says how to fix it, and nothing left on disk (no partial assembly, no staging
/// directory). Returns that first problem.
///
/// ```
/// use constructs::assertions::expect_synth_failure;
/// use constructs::{codes, App, AppProps, CfnResource, Stack};
/// let app = App::with_props(AppProps::default());
/// let stack = Stack::new(&app, "S");
/// CfnResource::new(&stack, "Q", "AWS::SQS::Queue");
/// CfnResource::new(&stack, "Q", "AWS::SQS::Queue");
/// let problem = expect_synth_failure(codes::DUPLICATE_ID, |dir| {
///     app.set_outdir(dir);
///     app.synth()
/// });
/// assert_eq!(problem.path, "S/Q");
/// ```
///
/// # Panics
///
/// When any of those does not hold (this is for tests).
pub fn expect_synth_failure(
    code: &str,
    synth: impl FnOnce(&std::path::Path) -> Result<crate::CloudAssembly, SynthError>,
) -> crate::Diagnostic {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let outdir = tmp.path().join("cdk.out");
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| synth(&outdir)));
    let Ok(result) = result else { panic!("synthesis panicked instead of reporting {code}") };
    let err = match result {
        Ok(_) => panic!("synthesis succeeded; expected it to fail with {code}"),
        Err(e) => e,
    };
    let first = err.problems.first().unwrap_or_else(|| panic!("an error without problems; expected {code}"));
    assert_eq!(first.code, code, "the first problem has another code:\n{err}");
    assert!(!first.path.is_empty(), "the problem names no construct:\n{err}");
    assert!(!first.fix.is_empty(), "the problem says no fix:\n{err}");
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .expect("the temporary directory")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert!(left.is_empty(), "a failed synthesis left files behind: {left:?}\n{err}");
    first.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(m: impl Into<Matcher>, v: Json) -> bool {
        failures(&m.into(), Some(&v)).is_empty()
    }

    #[test]
    fn matchers() {
        assert!(ok(json!({"a": 1}), json!({"a": 1, "b": 2})));
        assert!(ok(json!({"a": {"x": 1}}), json!({"a": {"x": 1, "y": 2}})));
        assert!(!ok(Match::exact(json!({"a": 1})), json!({"a": 1, "b": 2})));
        assert!(!ok(json!({"a": [1, 2]}), json!({"a": [1, 2, 3]})));
        assert!(ok(Match::object_like([("a", Match::array_with([json!(1), json!(3)]))]), json!({"a": [1, 2, 3]})));
        assert!(!ok(Match::object_like([("a", Match::array_with([json!(3), json!(1)]))]), json!({"a": [1, 2, 3]})));
        assert!(ok(Match::object_like([("a", Match::absent())]), json!({"b": 1})));
        assert!(!ok(Match::object_like([("b", Match::absent())]), json!({"b": 1})));
        assert!(ok(Match::object_like([("b", Match::any_value())]), json!({"b": 1})));
        assert!(!ok(Match::object_like([("c", Match::any_value())]), json!({"b": 1})));
        assert!(ok(Match::object_like([("s", Match::string_like_regexp("^arn:"))]), json!({"s": "arn:aws"})));
        assert!(ok(Match::object_like([("s", Match::not("x"))]), json!({"s": "y"})));
        assert!(!ok(Match::object_equals([("a", 1)]), json!({"a": 1, "b": 2})));
    }
}
