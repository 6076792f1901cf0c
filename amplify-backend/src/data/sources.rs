//! Data sources over existing resources, for custom handlers to run against by
//! name (Amplify's `backend.data.addDynamoDbDataSource`, `addHttpDataSource`,
//! `addLambdaDataSource`, `addEventBridgeDataSource`, `addOpenSearchDataSource`):
//!
//! ```
//! use amplify_backend::data::{a, define_data, DataProps, HttpDataSourceOptions, SigV4Signing};
//!
//! let schema = a::schema([(
//!     "publish",
//!     a::mutation()
//!         .arguments([("detail", a::json())])
//!         .returns(a::boolean())
//!         .handler(a::handler::custom(("OrdersBus", "publish.js")))
//!         .authorization(|allow| [allow.authenticated()]),
//! )]);
//! let data = define_data(DataProps { schema, ..Default::default() })
//!     .add_event_bridge_data_source("OrdersBus", "arn:aws:events:us-east-1:123456789012:event-bus/orders")
//!     .add_http_data_source(
//!         "Translate",
//!         "https://translate.us-east-1.amazonaws.com",
//!         HttpDataSourceOptions { authorization: Some(SigV4Signing::new("us-east-1", "translate")), ..Default::default() },
//!     );
//! assert_eq!(data.props.data_sources.len(), 2);
//! ```
//!
//! Each data source that calls AWS gets a role AppSync assumes (only for this
//! API), allowed exactly what the source needs: the table and its indexes, the
//! function (and its versions), `events:PutEvents` on the bus, HTTP calls on
//! the OpenSearch domain, or, for a signed HTTP endpoint, the statements given.

use crate::iam::PolicyStatement;

/// SigV4 signing of an HTTP data source's requests to an AWS service endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct SigV4Signing {
    /// The region requests are signed for.
    pub signing_region: String,
    /// The service name requests are signed for (`translate`, `states`, ...).
    pub signing_service_name: String,
    /// What the data source's role may do (signed requests act as that role).
    pub statements: Vec<PolicyStatement>,
}

impl SigV4Signing {
    /// Signs for `service` in `region`; add what the role may do with [`SigV4Signing::allow`].
    pub fn new(region: impl Into<String>, service: impl Into<String>) -> Self {
        SigV4Signing { signing_region: region.into(), signing_service_name: service.into(), statements: Vec::new() }
    }

    /// Lets the role (and so the signed requests) do more.
    pub fn allow(mut self, statement: PolicyStatement) -> Self {
        self.statements.push(statement);
        self
    }
}

/// The options of an HTTP data source (Amplify's `HttpDataSourceOptions`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HttpDataSourceOptions {
    /// Sign requests with SigV4, for AWS service endpoints.
    pub authorization: Option<SigV4Signing>,
    /// A description of the data source.
    pub description: Option<String>,
}

/// A data source custom handlers can use by name.
#[derive(Clone, Debug, PartialEq)]
pub enum DataSourceDefinition {
    /// An HTTP endpoint (`https://...`).
    Http {
        /// The name handlers use.
        name: String,
        /// The endpoint URL.
        endpoint: String,
        /// Signing and description.
        options: HttpDataSourceOptions,
    },
    /// An existing DynamoDB table.
    DynamoDb {
        /// The name handlers use.
        name: String,
        /// The table's name.
        table_name: String,
    },
    /// An existing Lambda function, by ARN (`AWS_LAMBDA`).
    Lambda {
        /// The name handlers use.
        name: String,
        /// The function's ARN.
        function_arn: String,
    },
    /// An existing EventBridge event bus (`AMAZON_EVENTBRIDGE`).
    EventBridge {
        /// The name handlers use.
        name: String,
        /// The bus's ARN.
        event_bus_arn: String,
    },
    /// An existing OpenSearch Service domain (`AMAZON_OPENSEARCH_SERVICE`).
    OpenSearch {
        /// The name handlers use.
        name: String,
        /// The domain's endpoint (`https://search-....es.amazonaws.com`).
        endpoint: String,
        /// The domain's ARN (`arn:aws:es:<region>:<account>:domain/<name>`).
        domain_arn: String,
    },
}

impl DataSourceDefinition {
    /// The name handlers use.
    pub fn name(&self) -> &str {
        match self {
            DataSourceDefinition::Http { name, .. }
            | DataSourceDefinition::DynamoDb { name, .. }
            | DataSourceDefinition::Lambda { name, .. }
            | DataSourceDefinition::EventBridge { name, .. }
            | DataSourceDefinition::OpenSearch { name, .. } => name,
        }
    }
}

/// The fields of an ARN, if `arn` is one of `service` (`arn:<partition>:<service>:<region>:<account>:<resource>`).
fn arn_parts<'a>(arn: &'a str, service: &str) -> Option<(&'a str, &'a str, &'a str)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, s, region, account, resource]
            if !partition.is_empty()
                && *s == service
                && account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit())
                && !resource.is_empty() =>
        {
            Some((region, account, resource))
        }
        _ => None,
    }
}

/// Every problem with the added data sources, as (name, what is wrong, how to fix it).
pub(crate) fn problems(sources: &[DataSourceDefinition]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for s in sources {
        let name = s.name();
        let mut problem = |what: String, fix: &str| out.push((name.to_string(), what, fix.to_string()));
        let valid_name = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_name {
            problem(
                format!("the data source name `{name}` is not an AppSync name."),
                "use letters, digits and `_`, starting with a letter or `_`.",
            );
        }
        if seen.contains(&name) {
            problem(format!("two data sources are named `{name}`."), "give each data source its own name.");
        }
        seen.push(name);
        match s {
            DataSourceDefinition::Http { endpoint, options, .. } => {
                if !endpoint.starts_with("https://") && !endpoint.starts_with("http://") {
                    problem(format!("the endpoint `{endpoint}` is not an HTTP URL."), "give it as `https://host`.");
                }
                if let Some(sig) = &options.authorization {
                    if sig.signing_region.is_empty() || sig.signing_service_name.is_empty() {
                        problem(
                            "SigV4 signing needs a region and a service name.".into(),
                            "use `SigV4Signing::new(\"us-east-1\", \"<service>\")`.",
                        );
                    }
                }
            }
            DataSourceDefinition::DynamoDb { table_name, .. } => {
                let ok = (3..=255).contains(&table_name.len())
                    && table_name.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
                if !ok {
                    problem(
                        format!("`{table_name}` is not a DynamoDB table name."),
                        "give the table's name (3 to 255 letters, digits, `_`, `.` or `-`), not its ARN.",
                    );
                }
            }
            DataSourceDefinition::Lambda { function_arn, .. } => {
                if !arn_parts(function_arn, "lambda").is_some_and(|(_, _, r)| r.starts_with("function:")) {
                    problem(
                        format!("`{function_arn}` is not a Lambda function ARN."),
                        "give it as `arn:aws:lambda:<region>:<account>:function:<name>`.",
                    );
                }
            }
            DataSourceDefinition::EventBridge { event_bus_arn, .. } => {
                if !arn_parts(event_bus_arn, "events").is_some_and(|(_, _, r)| r.starts_with("event-bus/")) {
                    problem(
                        format!("`{event_bus_arn}` is not an EventBridge event bus ARN."),
                        "give it as `arn:aws:events:<region>:<account>:event-bus/<name>`.",
                    );
                }
            }
            DataSourceDefinition::OpenSearch { endpoint, domain_arn, .. } => {
                if !endpoint.starts_with("https://") {
                    problem(
                        format!("the OpenSearch endpoint `{endpoint}` is not an https URL."),
                        "give the domain's endpoint as `https://search-<domain>-<id>.<region>.es.amazonaws.com`.",
                    );
                }
                if !arn_parts(domain_arn, "es").is_some_and(|(_, _, r)| r.starts_with("domain/")) {
                    problem(
                        format!("`{domain_arn}` is not an OpenSearch domain ARN."),
                        "give it as `arn:aws:es:<region>:<account>:domain/<name>`.",
                    );
                }
            }
        }
    }
    out
}

/// The region of an ARN (for the data source configurations that want one).
pub(crate) fn arn_region(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.get(3).copied().filter(|r| !r.is_empty())
}
