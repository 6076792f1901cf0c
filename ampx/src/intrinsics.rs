//! Resolving the intrinsics that code locations use, against a deployed stack:
//! hotswap needs the real bucket, key, function or API behind a template value.

use std::collections::HashMap;

use serde_json::Value as Json;

use crate::bootstrap::Environment;

/// Resolves the few intrinsics code properties use: pseudo parameters, `Ref`s to
/// parameters and resources, `Fn::Sub`, `Fn::Join`, and the AppSync ids.
pub struct Scope {
    /// Account, region, partition and URL suffix.
    pub env: Environment,
    /// Physical ids by logical id.
    pub physical: HashMap<String, String>,
    /// The stack's parameter values.
    pub parameters: HashMap<String, String>,
}

impl Scope {
    fn lookup(&self, name: &str) -> Option<String> {
        match name {
            "AWS::AccountId" => Some(self.env.account.clone()),
            "AWS::Region" => Some(self.env.region.clone()),
            "AWS::Partition" => Some(self.env.partition.clone()),
            "AWS::URLSuffix" => Some(self.env.url_suffix.clone()),
            _ => self.parameters.get(name).or_else(|| self.physical.get(name)).cloned(),
        }
    }

    /// The value, or `None` when it uses anything else.
    pub fn eval(&self, v: &Json) -> Option<String> {
        match v {
            Json::String(s) => Some(s.clone()),
            Json::Object(o) if o.len() == 1 => {
                let (f, arg) = o.iter().next()?;
                match f.as_str() {
                    "Ref" => self.lookup(arg.as_str()?),
                    "Fn::Sub" => self.sub(arg),
                    "Fn::Join" => {
                        let sep = arg.get(0)?.as_str()?;
                        let parts: Option<Vec<String>> = arg.get(1)?.as_array()?.iter().map(|p| self.eval(p)).collect();
                        Some(parts?.join(sep))
                    }
                    "Fn::GetAtt" => {
                        let (res, attr) = (arg.get(0)?.as_str()?, arg.get(1)?.as_str()?);
                        let physical = self.physical.get(res)?;
                        match attr {
                            // Both are the last segment of the resource's ARN.
                            "ApiId" | "FunctionId" => physical.rsplit('/').next().map(str::to_string),
                            "Arn" => Some(physical.clone()),
                            _ => None,
                        }
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn sub(&self, arg: &Json) -> Option<String> {
        let (text, vars) = match arg {
            Json::String(s) => (s.as_str(), None),
            Json::Array(a) => (a.first()?.as_str()?, a.get(1)?.as_object()),
            _ => return None,
        };
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find('}')? + start;
            let name = &rest[start + 2..end];
            let value = match vars.and_then(|v| v.get(name)) {
                Some(v) => self.eval(v)?,
                None => self.lookup(name)?,
            };
            out.push_str(&value);
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn intrinsics_in_code_locations_resolve() {
        let scope = Scope {
            env: Environment {
                account: "123456789012".into(),
                region: "us-east-1".into(),
                partition: "aws".into(),
                url_suffix: "amazonaws.com".into(),
            },
            physical: HashMap::from([("Api".into(), "arn:aws:appsync:us-east-1:1:apis/abc123".into())]),
            parameters: HashMap::from([("Env".into(), "dev".into())]),
        };
        assert_eq!(
            scope.eval(&json!({"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"})).unwrap(),
            "cdk-hnb659fds-assets-123456789012-us-east-1"
        );
        assert_eq!(scope.eval(&json!({"Fn::GetAtt": ["Api", "ApiId"]})).unwrap(), "abc123");
        assert_eq!(scope.eval(&json!({"Fn::Join": ["-", [{"Ref": "Env"}, "x"]]})).unwrap(), "dev-x");
        assert_eq!(scope.eval(&json!({"Fn::ImportValue": "x"})), None);
    }
}
