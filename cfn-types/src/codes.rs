//! The stable codes of the diagnostics `cfn-types` reports: resource properties
//! that the CloudFormation registry would refuse, found at synthesis. Tests match
//! codes, not message text.

/// A value of the wrong shape (a list where a string goes, ...).
pub const TYPE: &str = "CF101";
/// A number outside its minimum or maximum.
pub const RANGE: &str = "CF102";
/// A string shorter or longer than allowed.
pub const LENGTH: &str = "CF103";
/// A string that does not match the schema's pattern.
pub const PATTERN: &str = "CF104";
/// A value that is not one of the allowed values.
pub const ENUM: &str = "CF105";
/// A list with too few or too many items.
pub const ARRAY_SIZE: &str = "CF106";
/// A list whose items must be unique repeats one.
pub const UNIQUE_ITEMS: &str = "CF107";
/// A property name the schema does not know.
pub const UNKNOWN_PROPERTY: &str = "CF108";
/// A required property of a typed L1 is not set.
pub const REQUIRED: &str = "CF109";
/// `Fn::GetAtt` reads an attribute the type does not have.
pub const UNKNOWN_ATTRIBUTE: &str = "CF110";
/// A resource type that is not in the registry.
pub const UNKNOWN_RESOURCE_TYPE: &str = "CF111";

/// A Lambda function's environment is over 4 KB.
pub const LAMBDA_ENVIRONMENT_SIZE: &str = "CF201";
/// IAM policies over their size quota (inline per role, user or group; managed).
pub const IAM_POLICY_SIZE: &str = "CF202";
