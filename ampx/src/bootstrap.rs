//! The deployment environment (account, region) and the CDK bootstrap resources
//! an assembly needs there: the assets bucket and the version parameter, named
//! as each stack's manifest entry records them (so a custom qualifier works).

use aws_sdk_s3::operation::head_bucket::HeadBucketError;
use constructs::BootstrapSettings;

use crate::assembly::Assembly;
use crate::aws::{has_code, Aws};
use crate::errors::{Error, Result};

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

    /// The URL CloudFormation reads an object of the bucket from: the same form
    /// as the nested stacks' `TemplateURL` in CDK templates, which emulators
    /// (moto, LocalStack) resolve from their own S3 as well.
    pub fn object_url(&self, bucket: &str, key: &str) -> String {
        format!("https://s3.{}.{}/{bucket}/{key}", self.region, self.url_suffix)
    }
}

/// Finds the account and checks, for every bootstrap setting the assembly's
/// stacks name, the version parameter and the assets bucket.
pub async fn check(aws: &Aws, assembly: &Assembly) -> Result<Environment> {
    let env = Environment {
        account: aws.account().await?,
        region: aws.region.clone(),
        partition: aws.partition().into(),
        url_suffix: aws.url_suffix().into(),
    };
    let mut checked: Vec<&BootstrapSettings> = Vec::new();
    for stack in &assembly.stacks {
        if !checked.contains(&&stack.bootstrap) {
            check_one(aws, &env, &stack.bootstrap).await?;
            checked.push(&stack.bootstrap);
        }
    }
    Ok(env)
}

async fn check_one(aws: &Aws, env: &Environment, settings: &BootstrapSettings) -> Result<()> {
    let parameter = env.resolve(&settings.bootstrap_stack_version_ssm_parameter);
    let qualifier_flag = match qualifier(&parameter) {
        Some(q) if q != constructs::synthesizer::DEFAULT_QUALIFIER => format!(" --qualifier {q}"),
        _ => String::new(),
    };
    let not_bootstrapped = |detail: String| Error::NotBootstrapped {
        account: env.account.clone(),
        region: env.region.clone(),
        qualifier_flag: qualifier_flag.clone(),
        detail,
    };

    let version = match aws.ssm.get_parameter().name(&parameter).send().await {
        Ok(out) => out.parameter.and_then(|p| p.value).unwrap_or_default(),
        Err(e) if has_code(&e, "ParameterNotFound") => {
            return Err(not_bootstrapped(format!("the SSM parameter {parameter} does not exist")))
        }
        Err(e) => return Err(crate::aws::aws_error("SSM.GetParameter", &e)),
    };
    let needed = settings.requires_bootstrap_stack_version;
    match version.trim().parse::<u32>() {
        Ok(v) if v >= needed => {}
        _ => {
            return Err(not_bootstrapped(format!(
                "the bootstrap version is '{version}', and these templates need {needed} or later"
            )))
        }
    }

    let bucket = env.resolve(&settings.file_assets_bucket_name);
    match aws.s3.head_bucket().bucket(&bucket).expected_bucket_owner(&env.account).send().await {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.as_service_error(), Some(HeadBucketError::NotFound(_))) => {
            Err(not_bootstrapped(format!("the assets bucket {bucket} does not exist")))
        }
        Err(e) => Err(crate::aws::aws_error("S3.HeadBucket", &e)),
    }
}

/// The qualifier in a version parameter named as `cdk bootstrap` names it
/// (`/cdk-bootstrap/<qualifier>/version`).
fn qualifier(parameter: &str) -> Option<&str> {
    parameter.strip_prefix("/cdk-bootstrap/")?.strip_suffix("/version")
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
        assert_eq!(env.object_url("b", "k.json"), "https://s3.eu-west-1.amazonaws.com/b/k.json");
        assert_eq!(qualifier("/cdk-bootstrap/team1/version"), Some("team1"));
        assert_eq!(qualifier("/my/own/parameter"), None);
    }
}
