//! The parsed forms of DynamoDB's expressions, with `#name` and `:value`
//! references already replaced by what they stand for.

use crate::dynamodb::value::AttributeValue;

/// One step of a document path: a map key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Name(String),
    Index(usize),
}

/// A document path such as `a.b[2].c`; the first step is always a name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Path(pub Vec<Step>);

impl Path {
    /// The top-level attribute the path starts at.
    pub fn root(&self) -> &str {
        match &self.0[0] {
            Step::Name(name) => name,
            Step::Index(_) => unreachable!("paths start with a name"),
        }
    }

    /// The path as DynamoDB lists it in overlap errors: `[a, b, [2]]`.
    pub fn listed(&self) -> String {
        let steps: Vec<String> = self
            .0
            .iter()
            .map(|s| match s {
                Step::Name(n) => n.clone(),
                Step::Index(i) => format!("[{i}]"),
            })
            .collect();
        format!("[{}]", steps.join(", "))
    }
}

/// A value in a condition: an attribute, a literal or `size(path)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Path(Path),
    Value(AttributeValue),
    Size(Path),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Comparator {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Eq => "=",
            Comparator::Ne => "<>",
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
        }
    }
}

/// A condition (ConditionExpression, FilterExpression, KeyConditionExpression).
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Compare(Operand, Comparator, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    AttributeExists(Path),
    AttributeNotExists(Path),
    AttributeType(Path, Operand),
    BeginsWith(Operand, Operand),
    Contains(Operand, Operand),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
    Not(Box<Condition>),
}

/// An operand on the right of `SET path =`.
#[derive(Debug, Clone, PartialEq)]
pub enum SetOperand {
    Path(Path),
    Value(AttributeValue),
    IfNotExists(Path, Box<SetOperand>),
    ListAppend(Box<SetOperand>, Box<SetOperand>),
}

/// The whole right side of `SET path =`.
#[derive(Debug, Clone, PartialEq)]
pub enum SetValue {
    Operand(SetOperand),
    Plus(SetOperand, SetOperand),
    Minus(SetOperand, SetOperand),
}

/// One action of an update expression.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateAction {
    Set(Path, SetValue),
    Remove(Path),
    Add(Path, AttributeValue),
    Delete(Path, AttributeValue),
}

impl UpdateAction {
    /// The path the action changes.
    pub fn path(&self) -> &Path {
        match self {
            UpdateAction::Set(p, _)
            | UpdateAction::Remove(p)
            | UpdateAction::Add(p, _)
            | UpdateAction::Delete(p, _) => p,
        }
    }
}

impl Operand {
    fn path(&self) -> Option<&Path> {
        match self {
            Operand::Path(p) | Operand::Size(p) => Some(p),
            Operand::Value(_) => None,
        }
    }
}

impl Condition {
    /// Every document path the condition reads.
    pub fn paths(&self) -> Vec<&Path> {
        let mut out = Vec::new();
        self.collect_paths(&mut out);
        out
    }

    fn collect_paths<'a>(&'a self, out: &mut Vec<&'a Path>) {
        let mut operands = |list: &[&'a Operand]| out.extend(list.iter().filter_map(|o| o.path()));
        match self {
            Condition::Compare(a, _, b) | Condition::BeginsWith(a, b) | Condition::Contains(a, b) => operands(&[a, b]),
            Condition::Between(a, b, c) => operands(&[a, b, c]),
            Condition::In(a, list) => {
                operands(&[a]);
                out.extend(list.iter().filter_map(|o| o.path()));
            }
            Condition::AttributeExists(p) | Condition::AttributeNotExists(p) => out.push(p),
            Condition::AttributeType(p, kind) => {
                out.push(p);
                out.extend(kind.path());
            }
            Condition::And(a, b) | Condition::Or(a, b) => {
                a.collect_paths(out);
                b.collect_paths(out);
            }
            Condition::Not(a) => a.collect_paths(out),
        }
    }
}
