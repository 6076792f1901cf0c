//! The deployment environment (account, region) and the CDK bootstrap resources
//! an assembly needs there: the assets bucket and the version parameter.

use aws_sdk_s3::operation::head_bucket::HeadBucketError;

use crate::aws::{has_code, Aws};
use crate::errors::{Error, Result};

/// The bootstrap qualifier the CDK uses unless told otherwise.
pub const QUALIFIER: &str = "hnb659fds";
/// The SSM parameter that holds the bootstrap version.
pub const VERSION_PARAMETER: &str = "/cdk-bootstrap/hnb659fds/version";
/// The oldest bootstrap version whose assets bucket and roles the templates expect.
pub const MIN_VERSION: u32 = 6;

/// Where a deployment goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environment {
    /// The account id.
    pub account: String,
    /// The region.
    pub region: String,
    /// `aws`, `aws-cn`, ...
    pub partition: String,
    /// `amazonaws.com`, ...
    pub url_suffix: String,
}

impl Environment {
    /// Replaces the `${AWS::AccountId}`-style placeholders of asset manifests.
    pub fn resolve(&self, s: &str) -> String {
        s.replace("${AWS::AccountId}", &self.account)
            .replace("${AWS::Region}", &self.region)
            .replace("${AWS::Partition}", &self.partition)
            .replace("${AWS::URLSuffix}", &self.url_suffix)
    }

    /// The bootstrap assets bucket.
    pub fn assets_bucket(&self) -> String {
        format!("cdk-{QUALIFIER}-assets-{}-{}", self.account, self.region)
    }

    /// The URL CloudFormation reads an object of the bucket from: the same form
    /// as the nested stacks' `TemplateURL` in CDK templates, which emulators
    /// (moto, LocalStack) resolve from their own S3 as well.
    pub fn object_url(&self, bucket: &str, key: &str) -> String {
        format!("https://s3.{}.{}/{bucket}/{key}", self.region, self.url_suffix)
    }
}

/// Finds the account and checks the bootstrap version and bucket.
pub async fn check(aws: &Aws) -> Result<Environment> {
    let env = Environment {
        account: aws.account().await?,
        region: aws.region.clone(),
        partition: aws.partition().into(),
        url_suffix: aws.url_suffix().into(),
    };
    let not_bootstrapped =
        |detail: String| Error::NotBootstrapped { account: env.account.clone(), region: env.region.clone(), detail };

    let version = match aws.ssm.get_parameter().name(VERSION_PARAMETER).send().await {
        Ok(out) => out.parameter.and_then(|p| p.value).unwrap_or_default(),
        Err(e) if has_code(&e, "ParameterNotFound") => {
            return Err(not_bootstrapped(format!("the SSM parameter {VERSION_PARAMETER} does not exist")))
        }
        Err(e) => return Err(crate::aws::aws_error("SSM.GetParameter", &e)),
    };
    match version.trim().parse::<u32>() {
        Ok(v) if v >= MIN_VERSION => {}
        _ => {
            return Err(not_bootstrapped(format!(
                "the bootstrap version is '{version}', and these templates need {MIN_VERSION} or later"
            )))
        }
    }

    let bucket = env.assets_bucket();
    match aws.s3.head_bucket().bucket(&bucket).expected_bucket_owner(&env.account).send().await {
        Ok(_) => Ok(env),
        Err(e) if matches!(e.as_service_error(), Some(HeadBucketError::NotFound(_))) => {
            Err(not_bootstrapped(format!("the assets bucket {bucket} does not exist")))
        }
        Err(e) => Err(crate::aws::aws_error("S3.HeadBucket", &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_resolve() {
        let env = Environment {
            account: "123456789012".into(),
            region: "eu-west-1".into(),
            partition: "aws".into(),
            url_suffix: "amazonaws.com".into(),
        };
        assert_eq!(
            env.resolve("cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"),
            "cdk-hnb659fds-assets-123456789012-eu-west-1"
        );
        assert_eq!(env.assets_bucket(), "cdk-hnb659fds-assets-123456789012-eu-west-1");
        assert_eq!(env.object_url("b", "k.json"), "https://s3.eu-west-1.amazonaws.com/b/k.json");
    }
}
