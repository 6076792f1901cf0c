//! Names inside a rendered template: every `Ref`, `Fn::GetAtt`, `Fn::Sub`
//! variable, `DependsOn` and condition must name something the template declares
//! (or a pseudo parameter), and no resource may refer to itself. Tokens always
//! render to declared names; these checks catch raw JSON (overrides,
//! `set_property`, `Intrinsic::RefName`) and parameter types.

use std::cell::RefCell;

use serde_json::Value as Json;

use crate::codes;
use crate::error::Diagnostic;
// Names come from the program's own template, so SipHash's defence against
// chosen keys buys nothing here, and every template is hashed once per synthesis.
use crate::ptr_hash::PtrSet as HashSet;

/// The pseudo parameters `Ref` accepts.
const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// The AWS-specific parameter types (each also as `List<...>`), besides
/// `AWS::SSM::Parameter::Value<...>`.
const AWS_PARAMETER_TYPES: &[&str] = &[
    "AWS::EC2::AvailabilityZone::Name",
    "AWS::EC2::Image::Id",
    "AWS::EC2::Instance::Id",
    "AWS::EC2::KeyPair::KeyName",
    "AWS::EC2::SecurityGroup::GroupName",
    "AWS::EC2::SecurityGroup::Id",
    "AWS::EC2::Subnet::Id",
    "AWS::EC2::Volume::Id",
    "AWS::EC2::VPC::Id",
    "AWS::Route53::HostedZone::Id",
    "AWS::SSM::Parameter::Name",
];

/// Whether CloudFormation knows this parameter type.
pub fn is_valid_parameter_type(t: &str) -> bool {
    if matches!(t, "String" | "Number" | "List<Number>" | "CommaDelimitedList") {
        return true;
    }
    if let Some(inner) = t.strip_prefix("AWS::SSM::Parameter::Value<").and_then(|r| r.strip_suffix('>')) {
        return inner == "String"
            || inner == "List<String>"
            || inner == "CommaDelimitedList"
            || is_valid_parameter_type(inner) && inner != "AWS::SSM::Parameter::Name";
    }
    let inner = t.strip_prefix("List<").and_then(|r| r.strip_suffix('>')).unwrap_or(t);
    AWS_PARAMETER_TYPES.contains(&inner)
}

/// One problem, by the logical ID of the element it is in (the caller turns the
/// logical ID into a construct path).
pub(crate) struct Found {
    pub(crate) logical_id: String,
    pub(crate) diagnostic: Diagnostic,
}

/// Checks the names a template uses. A template with a transform is skipped: a
/// macro may declare what it refers to.
///
/// Also leaves in `scratch`, for each resource in template order, the resources
/// it refers to (by position): the graph the cycle check needs, found in the
/// same walk. `attribute(target, type, attribute)` checks each `Fn::GetAtt` of
/// a resource of the template; `each(logical ID, resource)` is called for every
/// resource, in template order, right after its names are checked (while it is
/// in cache).
pub(crate) fn check_names<'t>(
    template: &'t Json,
    attribute: &AttributeCheck,
    each: &mut dyn FnMut(&'t str, &'t Json),
    scratch: &mut Scratch,
) -> Vec<Found> {
    // The sections, in one pass over the template's few keys (a lookup by key
    // hashes it with SipHash).
    let (mut transform, mut sections) = (false, [None; 4]);
    for (k, v) in template.as_object().into_iter().flatten() {
        let slot = match k.as_str() {
            "Transform" => {
                transform = true;
                continue;
            }
            "Resources" => 0,
            "Parameters" => 1,
            "Conditions" => 2,
            "Outputs" => 3,
            _ => continue,
        };
        sections[slot] = v.as_object();
    }
    let section = |s: &str| {
        let slot = match s {
            "Resources" => 0,
            "Parameters" => 1,
            "Conditions" => 2,
            _ => 3,
        };
        sections[slot]
    };
    scratch.starts.clear();
    scratch.targets.clear();
    scratch.starts.push(0);
    if transform {
        let n = section("Resources").map_or(0, |r| r.len());
        scratch.starts.resize(n + 1, 0);
        for (lid, r) in section("Resources").into_iter().flatten() {
            each(lid, r);
        }
        return Vec::new();
    }
    // Resources and parameters share one namespace (`Ref` names either), so one
    // table holds both: a parameter is entered as `None`, a resource as its
    // place in the template and its type.
    let mut declared = Declared::new(std::mem::take(&mut scratch.declared));
    for name in section("Parameters").into_iter().flat_map(|m| m.keys()) {
        declared.add(name, None);
    }
    for (i, (k, r)) in section("Resources").into_iter().flatten().enumerate() {
        declared.add(k, Some((i, field(r, "Type").and_then(Json::as_str).unwrap_or_default())));
    }
    declared.sort();
    let conditions: HashSet<&str> =
        section("Conditions").map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
    let names = Names {
        resources: &declared,
        conditions: &conditions,
        attribute,
        edges: RefCell::new(std::mem::take(&mut scratch.targets)),
    };
    let mut out = Vec::new();
    for (lid, p) in section("Parameters").into_iter().flatten() {
        match p.get("Type").and_then(Json::as_str) {
            Some(t) if is_valid_parameter_type(t) => {}
            t => out.push(Found {
                logical_id: lid.clone(),
                diagnostic: Diagnostic::error(
                    codes::PARAMETER_TYPE,
                    format!("parameter '{lid}' has type {}, which CloudFormation does not know", t.map_or("(none)".into(), |t| format!("'{t}'"))),
                    "use String, Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::VPC::Id, or AWS::SSM::Parameter::Value<String>",
                ),
            }),
        }
    }
    for (lid, r) in section("Resources").into_iter().flatten() {
        let mut report = |d: Diagnostic| out.push(Found { logical_id: lid.clone(), diagnostic: d });
        // One pass over the resource's few keys: cheaper than a hashed lookup per key.
        let (mut depends_on, mut condition, mut bodies) = (None, None, [None; 4]);
        for (key, v) in r.as_object().into_iter().flatten() {
            match key.as_str() {
                "DependsOn" => depends_on = Some(v),
                "Condition" => condition = Some(v),
                "Properties" => bodies[0] = Some(v),
                "Metadata" => bodies[1] = Some(v),
                "CreationPolicy" => bodies[2] = Some(v),
                "UpdatePolicy" => bodies[3] = Some(v),
                _ => {}
            }
        }
        if let Some(d) = depends_on {
            let list = match d {
                Json::Array(a) => a.as_slice(),
                one => std::slice::from_ref(one),
            };
            for name in list.iter().filter_map(Json::as_str) {
                if name == lid {
                    report(self_reference(lid, "DependsOn"));
                } else if let Some(Some((i, _))) = declared.get(name) {
                    names.edges.borrow_mut().push(i);
                } else {
                    report(Diagnostic::error(
                        codes::DEPENDS_ON_MISSING,
                        format!("DependsOn names '{name}', which is not a resource of this template"),
                        "name a resource of the same stack (add_depends_on takes the resource itself), or remove it",
                    ));
                }
            }
        }
        if let Some(c) = condition {
            names.condition(c, &mut report);
        }
        for v in bodies.into_iter().flatten() {
            names.walk(v, Some(lid), &mut report);
        }
        scratch.starts.push(names.edges.borrow().len());
        each(lid, r);
    }
    for (lid, o) in section("Outputs").into_iter().flatten() {
        let mut report = |d: Diagnostic| out.push(Found { logical_id: lid.clone(), diagnostic: d });
        if let Some(c) = o.get("Condition") {
            names.condition(c, &mut report);
        }
        names.walk(o, None, &mut report);
    }
    for (lid, c) in section("Conditions").into_iter().flatten() {
        let mut report = |d: Diagnostic| out.push(Found { logical_id: lid.clone(), diagnostic: d });
        names.walk(c, None, &mut report);
    }
    scratch.targets = names.edges.into_inner();
    scratch.declared = declared.into_buffer();
    out
}

/// The buffers the name walk reuses from one template to the next (a table and
/// lists allocated for each template cost more than filling them), and the
/// reference graph of the last template walked.
#[derive(Default)]
pub(crate) struct Scratch {
    declared: Vec<Name<'static>>,
    /// Where each resource's part of `targets` starts (one list for all: a
    /// list per resource would be an allocation per resource).
    starts: Vec<usize>,
    targets: Vec<usize>,
}

impl Scratch {
    /// The number of resources of the last template walked.
    pub(crate) fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// The resources resource `v` of the last template walked refers to.
    pub(crate) fn successors(&self, v: usize) -> &[usize] {
        &self.targets[self.starts[v]..self.starts[v + 1]]
    }
}

/// One declared name: a resource's place and type, or `None` for a parameter.
#[derive(Clone, Copy)]
struct Name<'t> {
    hash: u64,
    name: &'t str,
    resource: Option<(usize, &'t str)>,
}

/// The names a template declares, sorted by a hash of the name: a lookup
/// compares integers, then the bytes of one name.
struct Declared<'t>(Vec<Name<'t>>);

impl<'t> Declared<'t> {
    /// An empty table in the allocation of `buffer`.
    fn new(buffer: Vec<Name<'static>>) -> Self {
        Declared(recycle(buffer))
    }

    /// The emptied allocation, to reuse.
    fn into_buffer(self) -> Vec<Name<'static>> {
        recycle(self.0)
    }

    fn add(&mut self, name: &'t str, resource: Option<(usize, &'t str)>) {
        self.0.push(Name { hash: hash(name), name, resource });
    }

    fn sort(&mut self) {
        self.0.sort_unstable_by_key(|n| n.hash);
    }

    /// `None` when nothing has this name. A resource wins over a parameter of
    /// the same name (the clash itself is reported with the logical IDs).
    fn get(&self, name: &str) -> Option<Option<(usize, &'t str)>> {
        let h = hash(name);
        let start = self.0.partition_point(|n| n.hash < h);
        let mut found = None;
        for n in self.0[start..].iter().take_while(|n| n.hash == h).filter(|n| n.name == name) {
            if n.resource.is_some() {
                return Some(n.resource);
            }
            found = Some(None);
        }
        found
    }
}

/// The allocation of `v`, emptied, for names of another lifetime: collecting a
/// vector's items in place keeps its buffer when the layouts are the same.
fn recycle<'b>(mut v: Vec<Name<'_>>) -> Vec<Name<'b>> {
    v.clear();
    v.into_iter().map(|_| unreachable!("the vector is empty")).collect()
}

/// A hash of a name (multiply-rotate over 8-byte words, the last bytes as one
/// word): names come from the program's own template, so no defence against
/// chosen keys is needed, and words are read without copying.
fn hash(name: &str) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mix = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(K);
    let words = name.as_bytes().chunks_exact(8);
    let tail = words.remainder().iter().rev().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
    let h = words.fold(name.len() as u64, |h, w| mix(h, u64::from_le_bytes(w.try_into().expect("chunks of 8 bytes"))));
    mix(h, tail)
}

/// The entry `key` of a template element, found by comparing its few keys
/// rather than hashing `key` (a map lookup hashes with SipHash).
pub(crate) fn field<'a>(element: &'a Json, key: &str) -> Option<&'a Json> {
    element.as_object()?.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
}

/// Checks `Fn::GetAtt` of one resource: target, its type, the attribute.
pub(crate) type AttributeCheck<'a> = dyn Fn(&str, &str, &str) -> Option<Diagnostic> + 'a;

fn self_reference(lid: &str, how: &str) -> Diagnostic {
    Diagnostic::error(
        codes::SELF_REFERENCE,
        format!("resource '{lid}' refers to itself ({how}); CloudFormation rejects it as a circular dependency"),
        "refer to another resource, or build the value without the resource's own reference (for example from its name)",
    )
}

struct Names<'a> {
    /// Resources (their place and type) and parameters (`None`), by name.
    resources: &'a Declared<'a>,
    conditions: &'a HashSet<&'a str>,
    attribute: &'a AttributeCheck<'a>,
    /// The resources each resource refers to, one after the other (a
    /// resource's part starts where the last one's ended).
    edges: RefCell<Vec<usize>>,
}

impl Names<'_> {
    fn condition(&self, c: &Json, report: &mut dyn FnMut(Diagnostic)) {
        if let Some(name) = c.as_str() {
            if !self.conditions.contains(name) {
                report(Diagnostic::error(
                    codes::CONDITION_MISSING,
                    format!("condition '{name}' is not declared in this template"),
                    "create a CfnCondition in the same stack and use it, or fix the name",
                ));
            }
        }
    }

    fn reference(&self, name: &str, own: Option<&str>, how: &str, report: &mut dyn FnMut(Diagnostic)) {
        if own == Some(name) {
            report(self_reference(name, how));
        } else if let Some(declared) = self.resources.get(name) {
            if let (Some((i, _)), Some(_)) = (declared, own) {
                self.edges.borrow_mut().push(i);
            }
        } else if !PSEUDO_PARAMETERS.contains(&name) {
            report(Diagnostic::error(
                codes::REF_MISSING,
                format!(
                    "{how} names '{name}', which is not a resource, parameter or pseudo parameter of this template"
                ),
                "refer to the construct itself (ref_() or a token), or fix the name",
            ));
        }
    }

    fn get_att(&self, name: &str, attr: Option<&str>, own: Option<&str>, report: &mut dyn FnMut(Diagnostic)) {
        if own == Some(name) {
            report(self_reference(name, "Fn::GetAtt"));
        } else if let Some(Some((i, ty))) = self.resources.get(name) {
            if own.is_some() {
                self.edges.borrow_mut().push(i);
            }
            if let Some(d) = attr.and_then(|a| (self.attribute)(name, ty, a)) {
                report(d);
            }
        } else {
            report(Diagnostic::error(
                codes::GETATT_MISSING,
                format!("Fn::GetAtt reads '{name}', which is not a resource of this template"),
                "use get_att() on the resource itself, or fix the name",
            ));
        }
    }

    /// Walks a value; `own` is the logical ID of the resource it belongs to.
    fn walk(&self, v: &Json, own: Option<&str>, report: &mut dyn FnMut(Diagnostic)) {
        match v {
            Json::Array(a) => a.iter().for_each(|x| self.walk(x, own, report)),
            Json::Object(o) if o.len() == 1 => {
                let (k, arg) = o.iter().next().expect("one entry");
                match (k.as_str(), arg) {
                    ("Ref", Json::String(name)) => self.reference(name, own, "Ref", report),
                    ("Fn::GetAtt", Json::Array(a)) => {
                        if let Some(name) = a.first().and_then(Json::as_str) {
                            self.get_att(name, a.get(1).and_then(Json::as_str), own, report);
                        }
                        a.iter().skip(1).for_each(|x| self.walk(x, own, report));
                    }
                    ("Fn::GetAtt", Json::String(s)) => match s.split_once('.') {
                        Some((name, attr)) => self.get_att(name, Some(attr), own, report),
                        None => self.get_att(s, None, own, report),
                    },
                    ("Condition", c @ Json::String(_)) => self.condition(c, report),
                    ("Fn::If", Json::Array(a)) => {
                        if let Some(c) = a.first() {
                            self.condition(c, report);
                        }
                        a.iter().skip(1).for_each(|x| self.walk(x, own, report));
                    }
                    ("Fn::Sub", sub) => self.sub(sub, own, report),
                    _ => self.walk(arg, own, report),
                }
            }
            Json::Object(o) => o.values().for_each(|x| self.walk(x, own, report)),
            _ => {}
        }
    }

    fn sub(&self, sub: &Json, own: Option<&str>, report: &mut dyn FnMut(Diagnostic)) {
        let (text, vars) = match sub {
            Json::String(s) => (s.as_str(), None),
            Json::Array(a) => (a.first().and_then(Json::as_str).unwrap_or(""), a.get(1)),
            _ => return,
        };
        for name in super::sub_variables(text) {
            if vars.and_then(|v| v.get(name)).is_some() {
                continue;
            }
            match name.split_once('.') {
                Some((resource, attr)) => self.get_att(resource, Some(attr), own, report),
                None => self.reference(name, own, "Fn::Sub", report),
            }
        }
        if let Some(v) = vars {
            self.walk(v, own, report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes_of(t: &Json) -> Vec<(String, String)> {
        check_names(t, &|_, _, _| None, &mut |_, _| {}, &mut Scratch::default())
            .into_iter()
            .map(|f| (f.logical_id, f.diagnostic.code))
            .collect()
    }

    #[test]
    fn names_must_be_declared() {
        let t = json!({
            "Parameters": {"P": {"Type": "String"}, "Bad": {"Type": "Stringg"}},
            "Conditions": {"C": {"Fn::Equals": [{"Ref": "P"}, "x"]}},
            "Resources": {
                "A": {"Type": "X", "Properties": {"R": {"Ref": "Missing"}, "S": {"Fn::Sub": "${P}-${B.Arn}-${AWS::Region}-${!Lit}"}}},
                "B": {"Type": "X", "DependsOn": ["A", "Gone"], "Condition": "C", "Properties": {"G": {"Fn::GetAtt": ["B", "Arn"]}}},
                "D": {"Type": "X", "Condition": "Nope", "Properties": {"I": {"Fn::If": ["C", {"Ref": "AWS::NoValue"}, "y"]}}}
            },
            "Outputs": {"O": {"Value": {"Fn::GetAtt": "Z.Arn"}}}
        });
        let got = codes_of(&t);
        let want: Vec<(String, String)> = [
            ("Bad", codes::PARAMETER_TYPE),
            ("A", codes::REF_MISSING),
            ("B", codes::DEPENDS_ON_MISSING),
            ("B", codes::SELF_REFERENCE),
            ("D", codes::CONDITION_MISSING),
            ("O", codes::GETATT_MISSING),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn declared_names_are_found_and_a_resource_wins_over_a_parameter() {
        let mut d = Declared::new(Vec::with_capacity(8));
        d.add("P", None);
        d.add("Both", None);
        d.add("Both", Some((1, "X")));
        d.add("R", Some((0, "Y")));
        d.sort();
        assert_eq!(d.get("P"), Some(None));
        assert_eq!(d.get("R"), Some(Some((0, "Y"))));
        assert_eq!(d.get("Both"), Some(Some((1, "X"))));
        assert_eq!(d.get("Nope"), None);
        // The table's allocation is kept for the next template.
        assert_eq!(d.into_buffer().capacity(), 8);
    }

    #[test]
    fn parameter_types() {
        for t in ["String", "List<AWS::EC2::Subnet::Id>", "AWS::SSM::Parameter::Value<String>", "AWS::EC2::VPC::Id"] {
            assert!(is_valid_parameter_type(t), "{t}");
        }
        for t in ["Stringg", "List<String>", "AWS::Foo", "AWS::SSM::Parameter::Value<AWS::SSM::Parameter::Name>"] {
            assert!(!is_valid_parameter_type(t), "{t}");
        }
    }
}
