//! AWS configuration and clients: credentials, region, the endpoint override,
//! retries, and a count of the API calls made.
//!
//! Everything comes from the standard AWS environment (`AWS_PROFILE`,
//! `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_ENDPOINT_URL`, `AWS_MAX_ATTEMPTS`, ...)
//! and profile files, as for the AWS CLI and the CDK. `--endpoint-url` overrides
//! the endpoint of every service, for local emulators such as moto.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_cloudformation::config::{ConfigBag, Intercept, ProvideCredentials, RuntimeComponents};
use aws_sdk_cloudformation::error::BoxError;
use aws_sdk_s3::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use tokio::sync::OnceCell;

use crate::credentials;
use crate::errors::{Error, Result};
pub(crate) use crate::failures::{aws_error, has_code, OpResult};
use crate::reach::{self, ConnectRetries};

/// How to reach AWS, from the global command-line flags.
#[derive(Clone, Debug, Default)]
pub struct AwsOptions {
    /// A named profile (otherwise `AWS_PROFILE` or `default`).
    pub profile: Option<String>,
    /// An endpoint for every service (otherwise `AWS_ENDPOINT_URL`, or AWS itself).
    pub endpoint_url: Option<String>,
}

/// The clients `ampx` uses, for one account and region.
#[derive(Clone, Debug)]
pub struct Aws {
    /// CloudFormation.
    pub cfn: aws_sdk_cloudformation::Client,
    /// S3 (assets).
    pub s3: aws_sdk_s3::Client,
    /// SSM Parameter Store (bootstrap version, secrets).
    pub ssm: aws_sdk_ssm::Client,
    /// Lambda (hotswap).
    pub lambda: aws_sdk_lambda::Client,
    /// AppSync (hotswap).
    pub appsync: aws_sdk_appsync::Client,
    /// CloudWatch Logs (`--stream-function-logs`).
    pub logs: aws_sdk_cloudwatchlogs::Client,
    sts: aws_sdk_sts::Client,
    /// The region.
    pub region: String,
    /// The endpoint override, if any.
    pub endpoint: Option<String>,
    /// Every API call made through these clients.
    pub calls: ApiCalls,
    /// The configuration the clients were made from (credentials, region,
    /// endpoint), for requests made without an SDK client.
    pub sdk: SdkConfig,
    account: Arc<OnceCell<String>>,
}

/// Attempts at most this many times, with exponential backoff, when the user has
/// not chosen (`AWS_MAX_ATTEMPTS`): CloudFormation throttles `DescribeStackEvents`
/// readily, and the SDK's default of 3 gives up too soon for a long deployment.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;
/// The longest wait between two attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(20);

/// The retry policy unless `AWS_MAX_ATTEMPTS` says otherwise: the SDK's standard
/// strategy (throttling and transient errors are retried, with jittered
/// exponential backoff), with more attempts.
pub fn retry_config() -> RetryConfig {
    RetryConfig::standard().with_max_attempts(DEFAULT_MAX_ATTEMPTS).with_max_backoff(MAX_BACKOFF)
}

impl Aws {
    /// Loads the configuration and checks that there are credentials and a region.
    pub async fn connect(options: &AwsOptions) -> Result<Aws> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(profile) = &options.profile {
            credentials::check_profile(profile).await?;
            loader = loader.profile_name(profile).credentials_provider(credentials::from_profile(profile));
        }
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        if std::env::var_os("AWS_MAX_ATTEMPTS").is_none() {
            loader = loader.retry_config(retry_config());
        }
        let config = loader.load().await;
        let Some(region) = config.region() else { return Err(Error::NoRegion) };
        reach::choose(options.endpoint_url.as_deref(), region.as_ref());
        let profile = options.profile.as_deref();
        let provider = config
            .credentials_provider()
            .ok_or_else(|| credentials::missing("no credential provider is configured".into(), profile))?;
        provider.provide_credentials().await.map_err(|e| {
            credentials::missing(aws_sdk_cloudformation::error::DisplayErrorContext(&e).to_string(), profile)
        })?;
        Aws::from_config(&config)
    }

    /// The clients for a loaded configuration (which must name a region).
    pub fn from_config(config: &SdkConfig) -> Result<Aws> {
        let region = config.region().map(ToString::to_string).ok_or(Error::NoRegion)?;
        let endpoint = config.endpoint_url().map(str::to_string);
        let calls = ApiCalls::default();
        let counter = || Counter(calls.clone());
        let retries = || ConnectRetries;
        let cfn =
            aws_sdk_cloudformation::config::Builder::from(config).interceptor(counter()).interceptor(retries()).build();
        // An emulator at an IP address or `localhost` cannot serve virtual-hosted
        // buckets (`bucket.127.0.0.1`), so address buckets by path there.
        let s3 = aws_sdk_s3::config::Builder::from(config)
            .force_path_style(endpoint.is_some() || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some())
            .interceptor(counter())
            .interceptor(retries())
            .build();
        let ssm = aws_sdk_ssm::config::Builder::from(config).interceptor(counter()).interceptor(retries()).build();
        let lambda =
            aws_sdk_lambda::config::Builder::from(config).interceptor(counter()).interceptor(retries()).build();
        let appsync =
            aws_sdk_appsync::config::Builder::from(config).interceptor(counter()).interceptor(retries()).build();
        let logs =
            aws_sdk_cloudwatchlogs::config::Builder::from(config).interceptor(counter()).interceptor(retries()).build();
        let sts = aws_sdk_sts::config::Builder::from(config).interceptor(counter()).interceptor(retries()).build();
        Ok(Aws {
            cfn: aws_sdk_cloudformation::Client::from_conf(cfn),
            s3: aws_sdk_s3::Client::from_conf(s3),
            ssm: aws_sdk_ssm::Client::from_conf(ssm),
            lambda: aws_sdk_lambda::Client::from_conf(lambda),
            appsync: aws_sdk_appsync::Client::from_conf(appsync),
            logs: aws_sdk_cloudwatchlogs::Client::from_conf(logs),
            sts: aws_sdk_sts::Client::from_conf(sts),
            region,
            endpoint,
            calls,
            sdk: config.clone(),
            account: Arc::new(OnceCell::new()),
        })
    }

    /// The account the credentials belong to (asked once).
    pub async fn account(&self) -> Result<String> {
        self.account
            .get_or_try_init(|| async {
                let out = self.sts.get_caller_identity().send().await.op("STS.GetCallerIdentity")?;
                out.account.ok_or_else(|| Error::Aws {
                    operation: "STS.GetCallerIdentity".into(),
                    message: "the response has no account id".into(),
                    advice: String::new(),
                })
            })
            .await
            .cloned()
    }

    /// The partition of the region (`aws`, `aws-cn`, `aws-us-gov`).
    pub fn partition(&self) -> &'static str {
        if self.region.starts_with("cn-") {
            "aws-cn"
        } else if self.region.starts_with("us-gov-") {
            "aws-us-gov"
        } else {
            "aws"
        }
    }

    /// The domain suffix of the region's endpoints (`AWS::URLSuffix`).
    pub fn url_suffix(&self) -> &'static str {
        if self.partition() == "aws-cn" {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        }
    }
}

/// A count of API calls (HTTP attempts, retries included) by `Service.Operation`.
#[derive(Clone, Debug, Default)]
pub struct ApiCalls(Arc<Mutex<BTreeMap<String, u32>>>);

impl ApiCalls {
    /// The counts so far.
    pub fn snapshot(&self) -> BTreeMap<String, u32> {
        self.0.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// The calls made since `before` (a [`snapshot`](Self::snapshot)).
    pub fn since(&self, before: &BTreeMap<String, u32>) -> BTreeMap<String, u32> {
        self.snapshot()
            .into_iter()
            .filter_map(|(k, v)| {
                let d = v - before.get(&k).copied().unwrap_or(0);
                (d > 0).then_some((k, d))
            })
            .collect()
    }

    /// Attempts of one operation so far.
    pub fn count(&self, operation: &str) -> u32 {
        self.0.lock().map(|m| m.get(operation).copied().unwrap_or(0)).unwrap_or(0)
    }

    /// `12 API calls (CloudFormation.DescribeStacks 3, S3.HeadObject 2, ...)`.
    pub fn describe(counts: &BTreeMap<String, u32>) -> String {
        let total: u32 = counts.values().sum();
        let parts: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        format!("{total} API calls ({})", parts.join(", "))
    }

    fn add(&self, key: String) {
        if let Ok(mut m) = self.0.lock() {
            *m.entry(key).or_default() += 1;
        }
    }
}

#[derive(Debug)]
struct Counter(ApiCalls);

impl Intercept for Counter {
    fn name(&self) -> &'static str {
        "ampx::ApiCallCounter"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(m) = cfg.load::<Metadata>() {
            self.0.add(format!("{}.{}", m.service(), m.name()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use crate::deployed;
    use crate::errors::Error;
    use crate::fake_aws::{self, Reply};

    fn throttled() -> Reply {
        Reply::query_error(400, "Throttling", "Rate exceeded")
    }

    #[tokio::test]
    async fn throttling_is_retried_with_backoff() {
        let answered = AtomicUsize::new(0);
        let (aws, seen) = fake_aws::aws(move |call| {
            assert_eq!(call.operation, "CloudFormation.DescribeStacks");
            if answered.fetch_add(1, Ordering::SeqCst) < 2 {
                throttled()
            } else {
                fake_aws::describe_stacks("S", "arn:S", "CREATE_COMPLETE")
            }
        });
        let stack = deployed::describe(&aws, "S").await.unwrap().expect("the stack, on the third attempt");
        assert_eq!(stack.status, "CREATE_COMPLETE");
        assert_eq!(seen.operations().len(), 3);
        assert_eq!(aws.calls.snapshot().get("CloudFormation.DescribeStacks"), Some(&3), "attempts are counted");
        let sleeps = seen.sleeps();
        assert_eq!(sleeps.len(), 2, "a wait before each retry: {sleeps:?}");
        assert!(sleeps.iter().all(|d| !d.is_zero()), "{sleeps:?}");
    }

    #[tokio::test]
    async fn throttling_gives_up_after_the_attempt_limit_and_says_why() {
        let (aws, seen) = fake_aws::aws(|_| throttled());
        let err = deployed::describe(&aws, "S").await.unwrap_err();
        assert_eq!(seen.operations().len(), super::DEFAULT_MAX_ATTEMPTS as usize);
        let sleeps = seen.sleeps();
        assert_eq!(sleeps.len(), super::DEFAULT_MAX_ATTEMPTS as usize - 1);
        // Jittered exponential backoff: the n-th wait is below 2^n seconds, and never
        // above the cap.
        for (n, wait) in sleeps.iter().enumerate() {
            assert!(*wait <= Duration::from_secs(1 << n).min(super::MAX_BACKOFF), "wait {n}: {sleeps:?}");
        }
        let text = err.to_string();
        assert!(text.contains("CloudFormation.DescribeStacks failed: Rate exceeded (Throttling)"), "{text}");
    }

    #[tokio::test]
    async fn other_client_errors_are_not_retried() {
        let (aws, seen) = fake_aws::aws(|_| Reply::query_error(400, "ValidationError", "Template format error"));
        let err = deployed::describe(&aws, "S").await.unwrap_err();
        assert_eq!(seen.operations().len(), 1);
        assert!(seen.sleeps().is_empty());
        assert!(err.to_string().contains("Template format error (ValidationError)"), "{err}");
    }

    #[tokio::test]
    async fn refused_credentials_say_so() {
        let (aws, _) = fake_aws::aws(|_| {
            Reply::query_error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
        });
        let err = deployed::describe(&aws, "S").await.unwrap_err();
        assert!(matches!(err, Error::CredentialsRefused { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("the credentials were refused") && text.contains("aws configure"), "{text}");
    }
}
