//! Recursive-descent parsers for condition, projection and update expressions.
//! Errors are DynamoDB's `Invalid <Kind>Expression: ...` validation errors.

use super::ast::{Comparator, Condition, Operand, Path, SetOperand, SetValue, Step, UpdateAction};
use super::lexer::{tokenize, Tok, Token};
use super::names::{is_reserved, Substitutions};
use crate::dynamodb::error::DynamoError;
use crate::dynamodb::value::AttributeValue;

/// Which request parameter an expression came from (for error messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpressionKind {
    Condition,
    Filter,
    KeyCondition,
    Projection,
    Update,
}

impl ExpressionKind {
    fn parameter(self) -> &'static str {
        match self {
            ExpressionKind::Condition => "ConditionExpression",
            ExpressionKind::Filter => "FilterExpression",
            ExpressionKind::KeyCondition => "KeyConditionExpression",
            ExpressionKind::Projection => "ProjectionExpression",
            ExpressionKind::Update => "UpdateExpression",
        }
    }

    /// A validation error about an expression of this kind.
    pub fn error(self, message: impl std::fmt::Display) -> DynamoError {
        DynamoError::validation(format!("Invalid {}: {message}", self.parameter()))
    }
}

/// Parses a condition (ConditionExpression, FilterExpression or KeyConditionExpression).
pub fn parse_condition(source: &str, kind: ExpressionKind, subs: &mut Substitutions) -> Result<Condition, DynamoError> {
    let mut parser = Parser::new(source, subs)?;
    parser.run(kind, |p| p.condition()).map_err(|m| kind.error(m))
}

/// Parses a ProjectionExpression into its paths (checked not to overlap).
pub fn parse_projection(source: &str, subs: &mut Substitutions) -> Result<Vec<Path>, DynamoError> {
    let kind = ExpressionKind::Projection;
    let mut parser = Parser::new(source, subs)?;
    let paths = parser
        .run(kind, |p| {
            let mut paths = vec![p.path()?];
            while p.eat(&Tok::Comma) {
                paths.push(p.path()?);
            }
            Ok(paths)
        })
        .map_err(|m| kind.error(m))?;
    check_overlaps(&paths).map_err(|m| kind.error(m))?;
    Ok(paths)
}

/// Parses an UpdateExpression into its actions, with DynamoDB's static checks.
pub fn parse_update(source: &str, subs: &mut Substitutions) -> Result<Vec<UpdateAction>, DynamoError> {
    let kind = ExpressionKind::Update;
    let mut parser = Parser::new(source, subs)?;
    let actions = parser.run(kind, |p| p.update()).map_err(|m| kind.error(m))?;
    let paths: Vec<Path> = actions.iter().map(|a| a.path().clone()).collect();
    check_overlaps(&paths).map_err(|m| kind.error(m))?;
    Ok(actions)
}

/// No path may be a prefix of another, nor index a list where another names a map key.
fn check_overlaps(paths: &[Path]) -> Result<(), String> {
    for (i, one) in paths.iter().enumerate() {
        for two in &paths[i + 1..] {
            let shared = one.0.iter().zip(&two.0).take_while(|(a, b)| a == b).count();
            if shared == one.0.len().min(two.0.len()) {
                return Err(format!(
                    "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {}, path two: {}",
                    one.listed(),
                    two.listed()
                ));
            }
            let kinds_differ = matches!(
                (&one.0[shared], &two.0[shared]),
                (Step::Name(_), Step::Index(_)) | (Step::Index(_), Step::Name(_))
            );
            if kinds_differ {
                return Err(format!(
                    "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: {}, path two: {}",
                    one.listed(),
                    two.listed()
                ));
            }
        }
    }
    Ok(())
}

type Parsed<T> = Result<T, String>;

const CONDITION_FUNCTIONS: [&str; 5] =
    ["attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains"];
const UPDATE_FUNCTIONS: [&str; 2] = ["if_not_exists", "list_append"];
const VALID_TYPES: [&str; 10] = ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"];

struct Parser<'s, 'c> {
    source: &'s str,
    tokens: Vec<Token>,
    at: usize,
    subs: &'c mut Substitutions,
}

impl<'s, 'c> Parser<'s, 'c> {
    fn new(source: &'s str, subs: &'c mut Substitutions) -> Result<Self, DynamoError> {
        Ok(Parser { source, tokens: tokenize(source), at: 0, subs })
    }

    /// Runs `body` over the whole input; an empty expression and trailing tokens are errors.
    fn run<T>(&mut self, _kind: ExpressionKind, body: impl FnOnce(&mut Self) -> Parsed<T>) -> Parsed<T> {
        if self.source.trim().is_empty() {
            return Err("The expression can not be empty;".into());
        }
        let parsed = body(self)?;
        if self.peek() != &Tok::Eof {
            return Err(self.syntax_error());
        }
        Ok(parsed)
    }

    fn peek(&self) -> &Tok {
        &self.tokens[self.at].tok
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        &self.tokens[(self.at + ahead).min(self.tokens.len() - 1)].tok
    }

    fn advance(&mut self) -> Tok {
        let tok = self.tokens[self.at].tok.clone();
        if self.at < self.tokens.len() - 1 {
            self.at += 1;
        }
        tok
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek() == tok {
            self.advance();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: &Tok) -> Parsed<()> {
        if self.eat(tok) {
            Ok(())
        } else {
            Err(self.syntax_error())
        }
    }

    fn is_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Tok::Word(w) if w.eq_ignore_ascii_case(keyword))
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        if self.is_keyword(keyword) {
            self.advance();
            true
        } else {
            false
        }
    }

    /// DynamoDB's syntax error: the offending token and the text around it.
    fn syntax_error(&self) -> String {
        let current = &self.tokens[self.at];
        let from = if self.at > 0 { self.tokens[self.at - 1].start } else { current.start };
        let near = &self.source[from..current.end];
        format!("Syntax error; token: \"{}\", near: \"{}\"", current.tok.display(), near)
    }

    fn path(&mut self) -> Parsed<Path> {
        let mut steps = vec![Step::Name(self.path_name()?)];
        loop {
            if self.eat(&Tok::Dot) {
                steps.push(Step::Name(self.path_name()?));
            } else if self.peek() == &Tok::LBracket {
                self.advance();
                let Tok::Int(digits) = self.peek().clone() else { return Err(self.syntax_error()) };
                let index = digits
                    .parse::<usize>()
                    .map_err(|_| format!("List index is not within the allowable range; index: [{digits}]"))?;
                self.advance();
                self.expect(&Tok::RBracket)?;
                steps.push(Step::Index(index));
            } else {
                return Ok(Path(steps));
            }
        }
    }

    fn path_name(&mut self) -> Parsed<String> {
        match self.peek().clone() {
            Tok::Word(word) => {
                if is_reserved(&word) {
                    return Err(format!("Attribute name is a reserved keyword; reserved keyword: {word}"));
                }
                self.advance();
                Ok(word)
            }
            Tok::NameRef(key) => {
                self.advance();
                self.subs.name(&key)
            }
            _ => Err(self.syntax_error()),
        }
    }

    fn value(&mut self, key: &str) -> Parsed<AttributeValue> {
        self.advance();
        self.subs.value(key)
    }

    // Conditions: OR binds loosest, then AND, then NOT.

    fn condition(&mut self) -> Parsed<Condition> {
        let mut left = self.conjunction()?;
        while self.eat_keyword("OR") {
            let right = self.conjunction()?;
            left = Condition::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn conjunction(&mut self) -> Parsed<Condition> {
        let mut left = self.negation()?;
        while self.eat_keyword("AND") {
            let right = self.negation()?;
            left = Condition::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn negation(&mut self) -> Parsed<Condition> {
        if self.eat_keyword("NOT") {
            return Ok(Condition::Not(Box::new(self.negation()?)));
        }
        if self.eat(&Tok::LParen) {
            let inner = self.condition()?;
            self.expect(&Tok::RParen)?;
            return Ok(inner);
        }
        if let (Tok::Word(name), Tok::LParen) = (self.peek().clone(), self.peek_at(1).clone()) {
            if CONDITION_FUNCTIONS.contains(&name.as_str()) {
                return self.condition_function(&name);
            }
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Parsed<Condition> {
        let left = self.operand()?;
        let comparator = match self.peek() {
            Tok::Eq => Some(Comparator::Eq),
            Tok::Ne => Some(Comparator::Ne),
            Tok::Lt => Some(Comparator::Lt),
            Tok::Le => Some(Comparator::Le),
            Tok::Gt => Some(Comparator::Gt),
            Tok::Ge => Some(Comparator::Ge),
            _ => None,
        };
        if let Some(comparator) = comparator {
            self.advance();
            let right = self.operand()?;
            if comparator != Comparator::Eq && comparator != Comparator::Ne {
                check_ordered_literal(&left, comparator.symbol())?;
                check_ordered_literal(&right, comparator.symbol())?;
            }
            return Ok(Condition::Compare(left, comparator, right));
        }
        if self.eat_keyword("BETWEEN") {
            let low = self.operand()?;
            if !self.eat_keyword("AND") {
                return Err(self.syntax_error());
            }
            let high = self.operand()?;
            check_ordered_literal(&left, "BETWEEN")?;
            check_ordered_literal(&low, "BETWEEN")?;
            check_ordered_literal(&high, "BETWEEN")?;
            if let (Operand::Value(l), Operand::Value(h)) = (&low, &high) {
                check_between_bounds(l, h)?;
            }
            return Ok(Condition::Between(left, low, high));
        }
        if self.eat_keyword("IN") {
            self.expect(&Tok::LParen)?;
            let mut options = vec![self.operand()?];
            while self.eat(&Tok::Comma) {
                options.push(self.operand()?);
            }
            self.expect(&Tok::RParen)?;
            if options.len() > 100 {
                return Err(format!(
                    "The IN operator is provided with too many operands; number of operands: {}",
                    options.len()
                ));
            }
            return Ok(Condition::In(left, options));
        }
        if let Operand::Size(_) = left {
            return Err("The function is not allowed to be used this way in an expression; function: size".into());
        }
        Err(self.syntax_error())
    }

    fn operand(&mut self) -> Parsed<Operand> {
        match self.peek().clone() {
            Tok::ValueRef(key) => Ok(Operand::Value(self.value(&key)?)),
            Tok::Word(name) if self.peek_at(1) == &Tok::LParen => {
                if name == "size" {
                    let mut args = self.arguments(&name)?;
                    check_arity(&name, &args, 1)?;
                    match args.remove(0) {
                        Operand::Path(path) => Ok(Operand::Size(path)),
                        Operand::Value(v) => Err(incorrect_operand("size", &v)),
                        Operand::Size(_) => {
                            Err("The function is not allowed to be used this way in an expression; function: size"
                                .into())
                        }
                    }
                } else if CONDITION_FUNCTIONS.contains(&name.as_str()) {
                    Err(format!("The function is not allowed to be used this way in an expression; function: {name}"))
                } else {
                    Err(format!("Invalid function name; function: {name}"))
                }
            }
            _ => Ok(Operand::Path(self.path()?)),
        }
    }

    /// `name(operand, ...)`, positioned at the name.
    fn arguments(&mut self, _name: &str) -> Parsed<Vec<Operand>> {
        self.advance();
        self.expect(&Tok::LParen)?;
        let mut args = vec![self.operand()?];
        while self.eat(&Tok::Comma) {
            args.push(self.operand()?);
        }
        self.expect(&Tok::RParen)?;
        Ok(args)
    }

    fn condition_function(&mut self, name: &str) -> Parsed<Condition> {
        let mut args = self.arguments(name)?;
        let needs_path = |operand: Operand| match operand {
            Operand::Path(path) => Ok(path),
            _ => Err(format!("Operator or function requires a document path; operator or function: {name}")),
        };
        let condition = match name {
            "attribute_exists" | "attribute_not_exists" => {
                check_arity(name, &args, 1)?;
                let path = needs_path(args.remove(0))?;
                if name == "attribute_exists" {
                    Condition::AttributeExists(path)
                } else {
                    Condition::AttributeNotExists(path)
                }
            }
            "attribute_type" => {
                check_arity(name, &args, 2)?;
                let kind = args.remove(1);
                let path = needs_path(args.remove(0))?;
                if let Operand::Value(value) = &kind {
                    match value {
                        AttributeValue::S(type_name) if VALID_TYPES.contains(&type_name.as_str()) => {}
                        AttributeValue::S(type_name) => {
                            return Err(format!(
                                "Invalid attribute type name found; type: {type_name}, valid types: {{ B,NULL,SS,BOOL,L,BS,N,NS,S,M }}"
                            ))
                        }
                        other => return Err(incorrect_operand(name, other)),
                    }
                }
                Condition::AttributeType(path, kind)
            }
            "begins_with" => {
                check_arity(name, &args, 2)?;
                for arg in &args {
                    if let Operand::Value(v) = arg {
                        if !matches!(v, AttributeValue::S(_) | AttributeValue::B(_)) {
                            return Err(incorrect_operand(name, v));
                        }
                    }
                }
                let prefix = args.remove(1);
                Condition::BeginsWith(args.remove(0), prefix)
            }
            "contains" => {
                check_arity(name, &args, 2)?;
                let needle = args.remove(1);
                Condition::Contains(args.remove(0), needle)
            }
            _ => unreachable!("only condition functions get here"),
        };
        if matches!(self.peek(), Tok::Eq | Tok::Ne | Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge) {
            return Err(format!("The function is not allowed to be used this way in an expression; function: {name}"));
        }
        Ok(condition)
    }

    // Update expressions.

    fn update(&mut self) -> Parsed<Vec<UpdateAction>> {
        let mut actions = Vec::new();
        let mut seen: Vec<&'static str> = Vec::new();
        loop {
            let clause = ["SET", "REMOVE", "ADD", "DELETE"].into_iter().find(|k| self.is_keyword(k));
            let Some(clause) = clause else {
                if actions.is_empty() || self.peek() != &Tok::Eof {
                    return Err(self.syntax_error());
                }
                return Ok(actions);
            };
            if seen.contains(&clause) {
                return Err(format!("The \"{clause}\" section can only be used once in an update expression;"));
            }
            seen.push(clause);
            self.advance();
            loop {
                actions.push(self.update_action(clause)?);
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
        }
    }

    fn update_action(&mut self, clause: &str) -> Parsed<UpdateAction> {
        let path = self.path()?;
        match clause {
            "SET" => {
                self.expect(&Tok::Eq)?;
                let first = self.set_operand()?;
                let value = if self.eat(&Tok::Plus) {
                    let second = self.set_operand()?;
                    check_number_literal(&first, "+")?;
                    check_number_literal(&second, "+")?;
                    SetValue::Plus(first, second)
                } else if self.eat(&Tok::Minus) {
                    let second = self.set_operand()?;
                    check_number_literal(&first, "-")?;
                    check_number_literal(&second, "-")?;
                    SetValue::Minus(first, second)
                } else {
                    SetValue::Operand(first)
                };
                Ok(UpdateAction::Set(path, value))
            }
            "REMOVE" => Ok(UpdateAction::Remove(path)),
            _ => {
                let Tok::ValueRef(key) = self.peek().clone() else { return Err(self.syntax_error()) };
                let value = self.value(&key)?;
                let is_set = matches!(value, AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_));
                if clause == "ADD" && !(is_set || matches!(value, AttributeValue::N(_)))
                    || clause == "DELETE" && !is_set
                {
                    return Err(incorrect_operand(clause, &value));
                }
                Ok(if clause == "ADD" { UpdateAction::Add(path, value) } else { UpdateAction::Delete(path, value) })
            }
        }
    }

    fn set_operand(&mut self) -> Parsed<SetOperand> {
        match self.peek().clone() {
            Tok::ValueRef(key) => Ok(SetOperand::Value(self.value(&key)?)),
            Tok::Word(name) if self.peek_at(1) == &Tok::LParen => {
                if !UPDATE_FUNCTIONS.contains(&name.as_str()) {
                    if name == "size" || CONDITION_FUNCTIONS.contains(&name.as_str()) {
                        return Err(format!("The function is not allowed in a update expression; function: {name}"));
                    }
                    return Err(format!("Invalid function name; function: {name}"));
                }
                self.advance();
                self.advance();
                let first = self.set_operand()?;
                let mut rest = Vec::new();
                while self.eat(&Tok::Comma) {
                    rest.push(self.set_operand()?);
                }
                self.expect(&Tok::RParen)?;
                if rest.len() != 1 {
                    return Err(format!(
                        "Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {}",
                        rest.len() + 1
                    ));
                }
                let second = rest.remove(0);
                if name == "if_not_exists" {
                    let SetOperand::Path(path) = first else {
                        return Err(
                            "Operator or function requires a document path; operator or function: if_not_exists".into(),
                        );
                    };
                    Ok(SetOperand::IfNotExists(path, Box::new(second)))
                } else {
                    for operand in [&first, &second] {
                        if let SetOperand::Value(v) = operand {
                            if !matches!(v, AttributeValue::L(_)) {
                                return Err(incorrect_operand("list_append", v));
                            }
                        }
                    }
                    Ok(SetOperand::ListAppend(Box::new(first), Box::new(second)))
                }
            }
            _ => Ok(SetOperand::Path(self.path()?)),
        }
    }
}

fn incorrect_operand(function: &str, value: &AttributeValue) -> String {
    format!(
        "Incorrect operand type for operator or function; operator or function: {function}, operand type: {}",
        value.type_name()
    )
}

fn check_arity(name: &str, args: &[Operand], expected: usize) -> Parsed<()> {
    if args.len() == expected {
        Ok(())
    } else {
        Err(format!(
            "Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {}",
            args.len()
        ))
    }
}

/// Ordering comparisons only take N, S and B literals.
fn check_ordered_literal(operand: &Operand, operator: &str) -> Parsed<()> {
    match operand {
        Operand::Value(v @ (AttributeValue::N(_) | AttributeValue::S(_) | AttributeValue::B(_))) => {
            let _ = v;
            Ok(())
        }
        Operand::Value(other) => Err(incorrect_operand(operator, other)),
        _ => Ok(()),
    }
}

fn check_number_literal(operand: &SetOperand, operator: &str) -> Parsed<()> {
    match operand {
        SetOperand::Value(AttributeValue::N(_)) => Ok(()),
        SetOperand::Value(other) => Err(incorrect_operand(operator, other)),
        _ => Ok(()),
    }
}

fn check_between_bounds(low: &AttributeValue, high: &AttributeValue) -> Parsed<()> {
    let shown = |v: &AttributeValue| format!("AttributeValue: {{{}:{}}}", v.type_name(), scalar_text(v));
    if low.type_name() != high.type_name() {
        return Err(format!(
            "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: {}, upper bound operand: {}",
            shown(low),
            shown(high)
        ));
    }
    if super::eval::compare_scalars(low, high) == Some(std::cmp::Ordering::Greater) {
        return Err(format!(
            "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: {}, upper bound operand: {}",
            shown(low),
            shown(high)
        ));
    }
    Ok(())
}

fn scalar_text(value: &AttributeValue) -> String {
    match value {
        AttributeValue::S(s) => s.clone(),
        AttributeValue::N(n) => n.to_string(),
        other => other.to_json().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn subs() -> Substitutions {
        Substitutions::from_request(&json!({
            "ExpressionAttributeNames": {"#n": "name", "#s": "status"},
            "ExpressionAttributeValues": {":one": {"N": "1"}, ":two": {"N": "2"}, ":s": {"S": "x"}, ":t": {"BOOL": true}, ":ss": {"SS": ["a"]}, ":l": {"L": []}}
        }))
        .unwrap()
    }

    fn condition(source: &str) -> Result<Condition, String> {
        parse_condition(source, ExpressionKind::Condition, &mut subs()).map_err(|e| e.message)
    }

    fn update(source: &str) -> Result<Vec<UpdateAction>, String> {
        parse_update(source, &mut subs()).map_err(|e| e.message)
    }

    fn name(n: &str) -> Step {
        Step::Name(n.into())
    }

    #[test]
    fn and_binds_tighter_than_or_and_not_tighter_than_and() {
        let parsed = condition("a = :one OR NOT b = :two AND c = :s").unwrap();
        let Condition::Or(_, right) = parsed else { panic!("OR at the top: {parsed:?}") };
        let Condition::And(left, _) = *right else { panic!("AND under OR") };
        assert!(matches!(*left, Condition::Not(_)));
        assert!(matches!(condition("(a = :one or b = :two) and c = :s").unwrap(), Condition::And(..)));
    }

    #[test]
    fn parses_paths_functions_between_and_in() {
        let parsed = condition("#n.b[2].c BETWEEN :one AND :two").unwrap();
        let Condition::Between(Operand::Path(path), ..) = parsed else { panic!("{parsed:?}") };
        assert_eq!(path.0, vec![name("name"), name("b"), Step::Index(2), name("c")]);
        assert!(matches!(
            condition("size(a) > :one").unwrap(),
            Condition::Compare(Operand::Size(_), Comparator::Gt, _)
        ));
        assert!(matches!(condition("a IN (:one, :two, :s)").unwrap(), Condition::In(_, ref o) if o.len() == 3));
        assert!(matches!(condition("attribute_not_exists(#s)").unwrap(), Condition::AttributeNotExists(_)));
    }

    #[test]
    fn reports_errors_as_dynamodb_words_them() {
        assert_eq!(
            condition("a = ").unwrap_err(),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"= \""
        );
        assert_eq!(
            condition("name = :s").unwrap_err(),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"
        );
        assert_eq!(
            condition("#x = :s").unwrap_err(),
            "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x"
        );
        assert!(condition("a < :t").unwrap_err().ends_with("operator or function: <, operand type: BOOL"));
        assert!(condition("a BETWEEN :two AND :one")
            .unwrap_err()
            .contains("upper bound to be greater than or equal to lower bound"));
        assert!(condition("attribute_exists(:s)").unwrap_err().contains("requires a document path"));
        assert!(condition("attribute_type(a, :s)").unwrap_err().contains("Invalid attribute type name found; type: x"));
        assert!(condition("size(a)").unwrap_err().contains("function: size"));
        assert!(condition("begins_with(a, :one)").unwrap_err().contains("begins_with, operand type: N"));
        assert!(condition("foo(a)").unwrap_err().contains("Invalid function name; function: foo"));
        assert!(condition("").unwrap_err().contains("can not be empty"));
        assert!(condition("a = :s extra").unwrap_err().contains("Syntax error; token: \"extra\""));
    }

    #[test]
    fn parses_every_update_clause() {
        let actions = update(
            "SET a = a + :one, b = if_not_exists(b, :l), c = list_append(c, :l) REMOVE d[1], e ADD f :one DELETE g :ss",
        )
        .unwrap();
        assert_eq!(actions.len(), 7);
        assert!(matches!(&actions[0], UpdateAction::Set(_, SetValue::Plus(SetOperand::Path(_), SetOperand::Value(_)))));
        assert!(matches!(&actions[3], UpdateAction::Remove(Path(p)) if p == &vec![name("d"), Step::Index(1)]));
        assert!(matches!(&actions[5], UpdateAction::Add(..)));
        assert!(matches!(update("set a = :one remove b").unwrap().len(), 2));
    }

    #[test]
    fn update_checks_follow_dynamodb() {
        assert!(update("SET a = :one SET b = :two").unwrap_err().contains("The \"SET\" section can only be used once"));
        assert!(update("SET a = :s + :one").unwrap_err().ends_with("operator or function: +, operand type: S"));
        assert!(update("ADD a :s").unwrap_err().ends_with("operator or function: ADD, operand type: S"));
        assert!(update("DELETE a :one").unwrap_err().ends_with("operator or function: DELETE, operand type: N"));
        assert!(update("SET a = list_append(a, :s)").unwrap_err().contains("list_append, operand type: S"));
        assert!(update("SET a = if_not_exists(:s, :s)").unwrap_err().contains("requires a document path"));
        assert_eq!(
            update("SET a = :one REMOVE a.b").unwrap_err(),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"
        );
        assert!(update("SET a[0] = :one REMOVE a.b").unwrap_err().contains("conflict"));
        assert!(update("SET a.b = :one, a.c = :two").is_ok());
        assert!(update("SET a").unwrap_err().contains("Syntax error; token: \"<EOF>\""));
        assert!(update("a = :one").unwrap_err().contains("Syntax error; token: \"a\""));
    }

    #[test]
    fn projections_reject_overlaps() {
        let paths = parse_projection("a, b.c[1], #n", &mut subs()).unwrap();
        assert_eq!(paths.len(), 3);
        let err = parse_projection("a.b, a", &mut subs()).unwrap_err();
        assert!(err.message.starts_with("Invalid ProjectionExpression: Two document paths overlap"), "{}", err.message);
    }
}
