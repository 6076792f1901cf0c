//! Splits an expression into tokens, keeping where each one starts and ends
//! so syntax errors can quote the text near them as DynamoDB does.

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A bare word: attribute name, keyword or function name.
    Word(String),
    /// `#name`, replaced from ExpressionAttributeNames.
    NameRef(String),
    /// `:value`, replaced from ExpressionAttributeValues.
    ValueRef(String),
    /// Digits (list indexes).
    Int(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    /// A character no expression may hold.
    Invalid(String),
    Eof,
}

/// A token and its byte range in the expression.
#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The tokens of `source`, ending with [`Tok::Eof`].
pub fn tokenize(source: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let run_end = |from: usize| {
            let mut j = from;
            while j < chars.len() && is_word_char(chars[j].1) {
                j += 1;
            }
            j
        };
        let (tok, next) = match c {
            '(' => (Tok::LParen, i + 1),
            ')' => (Tok::RParen, i + 1),
            '[' => (Tok::LBracket, i + 1),
            ']' => (Tok::RBracket, i + 1),
            ',' => (Tok::Comma, i + 1),
            '.' => (Tok::Dot, i + 1),
            '+' => (Tok::Plus, i + 1),
            '-' => (Tok::Minus, i + 1),
            '=' => (Tok::Eq, i + 1),
            '<' => match chars.get(i + 1).map(|c| c.1) {
                Some('=') => (Tok::Le, i + 2),
                Some('>') => (Tok::Ne, i + 2),
                _ => (Tok::Lt, i + 1),
            },
            '>' => match chars.get(i + 1).map(|c| c.1) {
                Some('=') => (Tok::Ge, i + 2),
                _ => (Tok::Gt, i + 1),
            },
            '#' | ':' => {
                let j = run_end(i + 1);
                let text: String = chars[i..j].iter().map(|c| c.1).collect();
                if j == i + 1 {
                    (Tok::Invalid(text), j)
                } else if c == '#' {
                    (Tok::NameRef(text), j)
                } else {
                    (Tok::ValueRef(text), j)
                }
            }
            c if c.is_ascii_digit() => {
                let mut j = i;
                while j < chars.len() && chars[j].1.is_ascii_digit() {
                    j += 1;
                }
                (Tok::Int(chars[i..j].iter().map(|c| c.1).collect()), j)
            }
            c if is_word_char(c) => {
                let j = run_end(i);
                (Tok::Word(chars[i..j].iter().map(|c| c.1).collect()), j)
            }
            other => (Tok::Invalid(other.to_string()), i + 1),
        };
        let end = chars.get(next).map_or(source.len(), |c| c.0);
        tokens.push(Token { tok, start, end });
        i = next;
    }
    tokens.push(Token { tok: Tok::Eof, start: source.len(), end: source.len() });
    tokens
}

impl Tok {
    /// The token as DynamoDB quotes it in a syntax error.
    pub fn display(&self) -> String {
        match self {
            Tok::Word(s) | Tok::NameRef(s) | Tok::ValueRef(s) | Tok::Int(s) | Tok::Invalid(s) => s.clone(),
            Tok::LParen => "(".into(),
            Tok::RParen => ")".into(),
            Tok::LBracket => "[".into(),
            Tok::RBracket => "]".into(),
            Tok::Comma => ",".into(),
            Tok::Dot => ".".into(),
            Tok::Eq => "=".into(),
            Tok::Ne => "<>".into(),
            Tok::Lt => "<".into(),
            Tok::Le => "<=".into(),
            Tok::Gt => ">".into(),
            Tok::Ge => ">=".into(),
            Tok::Plus => "+".into(),
            Tok::Minus => "-".into(),
            Tok::Eof => "<EOF>".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(source: &str) -> Vec<Tok> {
        tokenize(source).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn splits_operators_names_and_values() {
        assert_eq!(
            toks("#a.b[10] <> :v AND size(c)>=:n"),
            vec![
                Tok::NameRef("#a".into()),
                Tok::Dot,
                Tok::Word("b".into()),
                Tok::LBracket,
                Tok::Int("10".into()),
                Tok::RBracket,
                Tok::Ne,
                Tok::ValueRef(":v".into()),
                Tok::Word("AND".into()),
                Tok::Word("size".into()),
                Tok::LParen,
                Tok::Word("c".into()),
                Tok::RParen,
                Tok::Ge,
                Tok::ValueRef(":n".into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn marks_what_is_not_a_token() {
        assert_eq!(toks("a ! b")[1], Tok::Invalid("!".into()));
        assert_eq!(toks("# x")[0], Tok::Invalid("#".into()));
        let tokens = tokenize("ab = :v");
        assert_eq!((tokens[2].start, tokens[2].end), (5, 7));
    }
}
