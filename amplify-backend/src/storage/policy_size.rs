//! Keeping a role's storage policies within IAM's quotas. All inline policies
//! of one role share 10,240 characters, and every bucket puts one on the
//! authenticated role, so a bucket with many paths (about 40) would make a
//! policy IAM refuses at deploy time. Beyond a share of that budget, the
//! statements go to managed policies instead (6,144 characters each, ten per
//! role), which IAM counts apart.

use constructs::{Intrinsic, Value};

/// The characters of a role's inline policy for one bucket, at most: what is
/// over it goes to managed policies. A quarter of the role's 10,240, leaving
/// room for other buckets' and categories' policies on the same role.
pub(crate) const INLINE_SHARE: usize = 2_560;
/// The characters of one managed policy document, at most (IAM's 6,144, less
/// room for the document's own `Version` and `Statement` keys).
pub(crate) const MANAGED_SHARE: usize = 6_000;
/// What an intrinsic can stand for once deployed, at most: a bucket ARN
/// (`arn:aws-us-gov:s3:::` and a 63-character name) or an identity id.
const TOKEN_CHARS: usize = 90;

/// Splits statements, in order, into the first ones that fit `first` characters
/// (at least one) and then groups that fit `rest` each. A statement larger than
/// `first` is divided first (its resources or listed prefixes over several
/// statements), so that every group fits.
pub(crate) fn split(statements: Vec<Value>, first: usize, rest: usize) -> (Vec<Value>, Vec<Vec<Value>>) {
    let mut inline = Vec::new();
    let mut groups: Vec<Vec<Value>> = Vec::new();
    let (mut used, mut spilled) = (0, false);
    for s in statements.into_iter().flat_map(|s| divide(s, first)) {
        let n = max_len(&s) + 1;
        // The first statement always stays inline: a policy needs one.
        if !spilled && (inline.is_empty() || used + n <= first) {
            used += n;
            inline.push(s);
            continue;
        }
        if !spilled || used + n > rest {
            groups.push(Vec::new());
            used = 0;
            spilled = true;
        }
        used += n;
        groups.last_mut().expect("a group was just pushed").push(s);
    }
    (inline, groups)
}

/// A statement as statements of at most `max` characters each, when its
/// `Resource` list or its listed `s3:prefix`es can be shared out.
fn divide(statement: Value, max: usize) -> Vec<Value> {
    if max_len(&statement) <= max {
        return vec![statement];
    }
    let Some(list) = divisible(&statement) else { return vec![statement] };
    if list.len() < 2 {
        return vec![statement];
    }
    let (a, b) = list.split_at(list.len() / 2);
    let (a, b) = (a.to_vec(), b.to_vec());
    let mut first = statement.clone();
    let mut second = statement;
    set_divisible(&mut first, a);
    set_divisible(&mut second, b);
    let mut out = divide(first, max);
    out.extend(divide(second, max));
    out
}

/// The list a statement can be divided by: its resources, or else the prefixes
/// a `ListBucket` statement's condition allows.
fn divisible(statement: &Value) -> Option<&Vec<Value>> {
    let Value::Object(s) = statement else { return None };
    if let Some(Value::Array(r)) = s.get("Resource") {
        if r.len() > 1 {
            return Some(r);
        }
    }
    fn field<'v>(v: &'v Value, k: &str) -> Option<&'v Value> {
        match v {
            Value::Object(o) => o.get(k),
            _ => None,
        }
    }
    let like = field(s.get("Condition")?, "StringLike")?;
    match field(like, "s3:prefix")? {
        Value::Array(p) => Some(p),
        _ => None,
    }
}

fn set_divisible(statement: &mut Value, list: Vec<Value>) {
    let Value::Object(s) = statement else { return };
    if matches!(s.get("Resource"), Some(Value::Array(r)) if r.len() > 1) {
        s.insert("Resource".into(), Value::Array(list));
    } else if let Some(Value::Object(c)) = s.get_mut("Condition") {
        if let Some(Value::Object(like)) = c.get_mut("StringLike") {
            like.insert("s3:prefix".into(), Value::Array(list));
        }
    }
}

/// The length of a value as deployed JSON without whitespace, at most.
pub(crate) fn max_len(v: &Value) -> usize {
    match v {
        Value::Null => 4,
        Value::Bool(b) => b.to_string().len(),
        Value::Number(n) => n.to_string().len(),
        Value::String(s) => s.len() + 2,
        Value::Array(a) => 2 + a.iter().map(max_len).sum::<usize>() + a.len().saturating_sub(1),
        Value::Object(o) => {
            2 + o.iter().map(|(k, x)| k.len() + 3 + max_len(x)).sum::<usize>() + o.len().saturating_sub(1)
        }
        Value::Token(t) => match &**t {
            // The literal parts as they are (a path prefix can be long), each
            // reference as the longest it can be.
            Intrinsic::Join(sep, parts) => {
                parts.iter().map(|p| max_len(p).saturating_sub(2)).sum::<usize>()
                    + sep.len() * parts.len().saturating_sub(1)
                    + 2
            }
            Intrinsic::Sub(text, _) => text.len() + TOKEN_CHARS * text.matches("${").count() + 2,
            _ => TOKEN_CHARS,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(i: usize) -> Value {
        Value::from(format!("{i:0>40}"))
    }

    #[test]
    fn statements_fill_the_inline_share_then_managed_groups() {
        let all: Vec<Value> = (0..10).map(statement).collect();
        let (inline, groups) = split(all, 100, 130);
        // 43 characters each (42 and a comma): two fit 100, three fit 130.
        assert_eq!(inline.len(), 2);
        assert_eq!(groups.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 2]);
        assert_eq!(groups[0][0], statement(2));
    }

    #[test]
    fn a_statement_too_large_is_divided_by_its_resources_and_prefixes() {
        let resources: Vec<Value> = (0..20).map(|i| Value::from(format!("arn:aws:s3:::b/p{i:0>30}/*"))).collect();
        let get = Value::object([("Effect", "Allow".into()), ("Resource", Value::Array(resources))]);
        let prefixes: Vec<Value> = (0..20).map(|i| Value::from(format!("p{i:0>30}/*"))).collect();
        let condition = Value::object([("StringLike", Value::object([("s3:prefix", Value::Array(prefixes))]))]);
        let list = Value::object([
            ("Effect", "Allow".into()),
            ("Resource", "arn:aws:s3:::b".into()),
            ("Condition", condition),
        ]);
        let (inline, groups) = split(vec![get, list], 300, 700);
        let all: Vec<&Value> = inline.iter().chain(groups.iter().flatten()).collect();
        assert!(all.len() > 2, "divided: {}", all.len());
        assert!(all.iter().all(|s| max_len(s) <= 300), "every part fits the inline share");
        // Nothing is lost: the 20 resources of the first and the 20 prefixes of the second.
        let (mut resources, mut prefixes) = (0, 0);
        for s in &all {
            let Value::Object(o) = s else { panic!("a statement is an object") };
            match (o.get("Resource"), o.get("Condition")) {
                (Some(Value::Array(r)), None) => resources += r.len(),
                (Some(Value::String(_)), Some(_)) => prefixes += divisible(s).map_or(0, Vec::len),
                other => panic!("unexpected statement {other:?}"),
            }
        }
        assert_eq!((resources, prefixes), (20, 20));
        assert!(groups.iter().all(|g| g.iter().map(|s| max_len(s) + 1).sum::<usize>() <= 700));
    }

    #[test]
    fn nothing_spills_when_everything_fits() {
        let (inline, groups) = split((0..3).map(statement).collect(), 1000, 1000);
        assert_eq!((inline.len(), groups.len()), (3, 0));
    }

    #[test]
    fn tokens_count_as_the_longest_they_can_be() {
        let arn = Value::concat([constructs::fns::ref_name("Bucket"), "/a/*".into()]);
        assert!(max_len(&arn) >= TOKEN_CHARS);
    }
}
