//! Where a deployment finds the resources of the CDK bootstrap stack (`cdk
//! bootstrap`): the file-assets bucket, the roles and the version parameter.
//! Named as aws-cdk-lib's `DefaultStackSynthesizer` names them, with its
//! defaults; set per app ([`AppProps`](crate::AppProps)) or per stack
//! ([`StackProps`](crate::StackProps)). Synthesis writes them where the CDK does:
//! each stack artifact's properties in `manifest.json` and the destinations of
//! its asset manifest, from which [`BootstrapSettings::from_manifest`] reads
//! them back.

use serde_json::Value as Json;

/// The qualifier `cdk bootstrap` uses unless told otherwise.
pub const DEFAULT_QUALIFIER: &str = "hnb659fds";
/// The context key that sets the qualifier for every stack that does not set one.
pub const BOOTSTRAP_QUALIFIER_CONTEXT: &str = "@aws-cdk/core:bootstrapQualifier";
/// The bucket assets are published to.
pub const DEFAULT_FILE_ASSETS_BUCKET_NAME: &str = "cdk-${Qualifier}-assets-${AWS::AccountId}-${AWS::Region}";
/// The role a deployment assumes to drive CloudFormation.
pub const DEFAULT_DEPLOY_ROLE_ARN: &str =
    "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-${Qualifier}-deploy-role-${AWS::AccountId}-${AWS::Region}";
/// The role CloudFormation deploys the stack with.
pub const DEFAULT_CLOUDFORMATION_ROLE_ARN: &str =
    "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-${Qualifier}-cfn-exec-role-${AWS::AccountId}-${AWS::Region}";
/// The role that publishes file assets to the bucket.
pub const DEFAULT_FILE_ASSET_PUBLISHING_ROLE_ARN: &str = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-${Qualifier}-file-publishing-role-${AWS::AccountId}-${AWS::Region}";
/// The role that reads the account for context lookups.
pub const DEFAULT_LOOKUP_ROLE_ARN: &str =
    "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-${Qualifier}-lookup-role-${AWS::AccountId}-${AWS::Region}";
/// The SSM parameter that holds the bootstrap stack's version.
pub const DEFAULT_BOOTSTRAP_STACK_VERSION_SSM_PARAMETER: &str = "/cdk-bootstrap/${Qualifier}/version";
/// The oldest bootstrap stack whose bucket and roles these names fit.
pub const MIN_BOOTSTRAP_STACK_VERSION: u32 = 6;

/// The bootstrap resources a stack deploys with, as CDK's `DefaultStackSynthesizer`
/// takes them. `${Qualifier}` in a name stands for the qualifier;
/// `${AWS::AccountId}`, `${AWS::Region}` and `${AWS::Partition}` stay in the
/// assembly and are filled in by the deployment tool for the target environment.
///
/// ```
/// use constructs::{App, AppProps, DefaultStackSynthesizer, Stack, StackProps};
/// let app = App::with_props(AppProps {
///     default_stack_synthesizer: Some(DefaultStackSynthesizer::with_qualifier("team1")),
///     ..Default::default()
/// });
/// let stack = Stack::new(&app, "S");
/// assert_eq!(stack.bootstrap_settings().bootstrap_stack_version_ssm_parameter, "/cdk-bootstrap/team1/version");
/// let other = Stack::with_props(&app, "T", StackProps {
///     synthesizer: Some(DefaultStackSynthesizer::default()),
///     ..Default::default()
/// });
/// assert_eq!(other.synthesizer().bootstrap_qualifier(), "hnb659fds");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefaultStackSynthesizer {
    /// Tells apart several bootstrap stacks in one account and region. `None`:
    /// the context value [`BOOTSTRAP_QUALIFIER_CONTEXT`], else [`DEFAULT_QUALIFIER`].
    pub qualifier: Option<String>,
    /// The bucket file assets (and nested stack templates) are published to.
    pub file_assets_bucket_name: String,
    /// The role to assume to deploy (`assumeRoleArn` of the stack artifact).
    pub deploy_role_arn: String,
    /// The role CloudFormation deploys with (`cloudFormationExecutionRoleArn`).
    pub cloud_formation_execution_role: String,
    /// The role to assume to publish file assets.
    pub file_asset_publishing_role_arn: String,
    /// The role for context lookups (kept for tools; this crate makes no lookups,
    /// so the assembly does not name it).
    pub lookup_role_arn: String,
    /// The SSM parameter that holds the bootstrap version, checked by the
    /// `BootstrapVersion` rule of each template and by the deployment tool.
    pub bootstrap_stack_version_ssm_parameter: String,
}

impl Default for DefaultStackSynthesizer {
    fn default() -> Self {
        DefaultStackSynthesizer {
            qualifier: None,
            file_assets_bucket_name: DEFAULT_FILE_ASSETS_BUCKET_NAME.into(),
            deploy_role_arn: DEFAULT_DEPLOY_ROLE_ARN.into(),
            cloud_formation_execution_role: DEFAULT_CLOUDFORMATION_ROLE_ARN.into(),
            file_asset_publishing_role_arn: DEFAULT_FILE_ASSET_PUBLISHING_ROLE_ARN.into(),
            lookup_role_arn: DEFAULT_LOOKUP_ROLE_ARN.into(),
            bootstrap_stack_version_ssm_parameter: DEFAULT_BOOTSTRAP_STACK_VERSION_SSM_PARAMETER.into(),
        }
    }
}

impl DefaultStackSynthesizer {
    /// The default names, with another qualifier (`cdk bootstrap --qualifier`).
    pub fn with_qualifier(qualifier: impl Into<String>) -> Self {
        DefaultStackSynthesizer { qualifier: Some(qualifier.into()), ..Default::default() }
    }

    /// The qualifier: the one set, or [`DEFAULT_QUALIFIER`].
    pub fn bootstrap_qualifier(&self) -> &str {
        self.qualifier.as_deref().unwrap_or(DEFAULT_QUALIFIER)
    }

    /// A name with `${Qualifier}` filled in.
    pub fn resolve(&self, name: &str) -> String {
        name.replace("${Qualifier}", self.bootstrap_qualifier())
    }

    /// The names the assembly records, with the qualifier filled in.
    pub fn settings(&self) -> BootstrapSettings {
        BootstrapSettings {
            file_assets_bucket_name: self.resolve(&self.file_assets_bucket_name),
            deploy_role_arn: self.resolve(&self.deploy_role_arn),
            cloud_formation_execution_role_arn: self.resolve(&self.cloud_formation_execution_role),
            file_asset_publishing_role_arn: self.resolve(&self.file_asset_publishing_role_arn),
            bootstrap_stack_version_ssm_parameter: self.resolve(&self.bootstrap_stack_version_ssm_parameter),
            requires_bootstrap_stack_version: MIN_BOOTSTRAP_STACK_VERSION,
        }
    }

    /// This synthesizer with its qualifier decided: its own, else `context`'s
    /// (the value of [`BOOTSTRAP_QUALIFIER_CONTEXT`]), else the default. A
    /// qualifier `cdk bootstrap` would refuse is an error naming the fix.
    pub(crate) fn bound(mut self, context: Option<&Json>) -> (Self, Option<String>) {
        let mut error = None;
        if self.qualifier.is_none() {
            match context {
                None => {}
                Some(Json::String(q)) => self.qualifier = Some(q.clone()),
                Some(other) => {
                    error = Some(format!(
                        "the context value {BOOTSTRAP_QUALIFIER_CONTEXT} is {other}, not a string; set it to the qualifier given to 'cdk bootstrap --qualifier'"
                    ))
                }
            }
        }
        let q = self.bootstrap_qualifier();
        if error.is_none() && !is_valid_qualifier(q) {
            error = Some(format!(
                "bootstrap qualifier '{q}' is invalid: 'cdk bootstrap' accepts 1 to 10 letters, digits, '-' and '_'"
            ));
        }
        self.qualifier = Some(q.to_string());
        (self, error)
    }
}

/// The bootstrap stack template's rule for qualifiers.
fn is_valid_qualifier(q: &str) -> bool {
    (1..=10).contains(&q.len()) && q.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// What deploying one stack needs from the bootstrap stack, as the cloud
/// assembly records it: the names with the qualifier filled in, the account,
/// region and partition still placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootstrapSettings {
    /// The bucket for file assets and templates (`destinations.*.bucketName`).
    pub file_assets_bucket_name: String,
    /// The role to assume to deploy (`assumeRoleArn`).
    pub deploy_role_arn: String,
    /// The role CloudFormation deploys with (`cloudFormationExecutionRoleArn`).
    pub cloud_formation_execution_role_arn: String,
    /// The role to assume to publish assets (`destinations.*.assumeRoleArn`).
    pub file_asset_publishing_role_arn: String,
    /// The SSM parameter with the bootstrap version (`bootstrapStackVersionSsmParameter`).
    pub bootstrap_stack_version_ssm_parameter: String,
    /// The oldest bootstrap version that fits (`requiresBootstrapStackVersion`).
    pub requires_bootstrap_stack_version: u32,
}

impl BootstrapSettings {
    /// Reads a stack's settings back from a cloud assembly: `manifest` is
    /// `manifest.json`, `artifact_id` the stack's artifact, `asset_manifest` the
    /// asset manifest it depends on (`<artifact id>.assets.json`), whose
    /// destinations name the bucket and the publishing role. Every destination
    /// must name the same ones.
    pub fn from_manifest(manifest: &Json, artifact_id: &str, asset_manifest: &Json) -> Result<Self, String> {
        let props = manifest
            .get("artifacts")
            .and_then(|a| a.get(artifact_id))
            .and_then(|a| a.get("properties"))
            .ok_or_else(|| format!("manifest.json has no stack artifact '{artifact_id}' with properties"))?;
        let text = |key: &str| {
            props
                .get(key)
                .and_then(Json::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("stack artifact '{artifact_id}' has no `{key}` string"))
        };
        let version = props
            .get("requiresBootstrapStackVersion")
            .and_then(Json::as_u64)
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| format!("stack artifact '{artifact_id}' has no `requiresBootstrapStackVersion` number"))?;
        let mut destination: Option<(String, String)> = None;
        let files = asset_manifest.get("files").and_then(Json::as_object);
        for (id, file) in files.into_iter().flatten() {
            for d in file.get("destinations").and_then(Json::as_object).into_iter().flat_map(|m| m.values()) {
                let field = |key: &str| {
                    d.get(key)
                        .and_then(Json::as_str)
                        .map(str::to_string)
                        .ok_or_else(|| format!("asset '{id}' has a destination without a `{key}` string"))
                };
                let this = (field("bucketName")?, field("assumeRoleArn")?);
                match &destination {
                    None => destination = Some(this),
                    Some(first) if *first == this => {}
                    Some((bucket, role)) => {
                        return Err(format!(
                        "asset '{id}' goes to bucket {} with role {}, but another asset goes to {bucket} with {role}",
                        this.0, this.1
                    ))
                    }
                }
            }
        }
        let (bucket, role) =
            destination.ok_or_else(|| "the asset manifest has no file asset with a destination".to_string())?;
        Ok(BootstrapSettings {
            file_assets_bucket_name: bucket,
            deploy_role_arn: text("assumeRoleArn")?,
            cloud_formation_execution_role_arn: text("cloudFormationExecutionRoleArn")?,
            file_asset_publishing_role_arn: role,
            bootstrap_stack_version_ssm_parameter: text("bootstrapStackVersionSsmParameter")?,
            requires_bootstrap_stack_version: version,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{App, AppProps, Asset, CfnResource, CloudAssembly, NestedStack, Stack, StackProps};
    use serde_json::json;

    fn app_with(default_stack_synthesizer: Option<DefaultStackSynthesizer>) -> App {
        App::with_props(AppProps { default_stack_synthesizer, ..Default::default() })
    }

    /// A stack with a nested stack and an asset whose bucket a resource names.
    fn populate(stack: &Stack) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.js"), "exports.handler = 1;").unwrap();
        let nested = NestedStack::new(stack, "Inner");
        let code = Asset::new(&nested, "Code", dir.path());
        CfnResource::new(&nested, "Fn", "AWS::Lambda::Function").set_property("Bucket", code.bucket_name());
        dir
    }

    /// Every file of the written assembly, by name.
    fn written(assembly: &CloudAssembly) -> Vec<(String, String)> {
        let out = tempfile::tempdir().unwrap();
        let dir = out.path().join("cdk.out");
        assembly.write(&dir).unwrap();
        let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| (p.file_name().unwrap().to_string_lossy().to_string(), std::fs::read_to_string(&p).unwrap()))
            .collect();
        files.sort();
        files
    }

    fn json_file(files: &[(String, String)], name: &str) -> Json {
        let text = &files.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no {name}")).1;
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn a_custom_qualifier_names_every_bootstrap_resource() {
        let app = app_with(Some(DefaultStackSynthesizer::with_qualifier("team1")));
        let stack = Stack::new(&app, "S");
        let _asset_dir = populate(&stack);
        let assembly = app.synth_in_memory().unwrap();
        let files = written(&assembly);

        // Nothing anywhere still names the default qualifier.
        for (name, text) in &files {
            assert!(!text.contains(DEFAULT_QUALIFIER), "{name} names the default qualifier");
        }
        let template = assembly.template("S").unwrap();
        assert_eq!(template["Parameters"]["BootstrapVersion"]["Default"], "/cdk-bootstrap/team1/version");
        let resources = template["Resources"].as_object().unwrap();
        let nested = resources.values().find(|r| r["Type"] == "AWS::CloudFormation::Stack").unwrap();
        let url = &nested["Properties"]["TemplateURL"];
        assert_eq!(url["Fn::Join"][1][5], json!({"Fn::Sub": "cdk-team1-assets-${AWS::AccountId}-${AWS::Region}"}));
        let inner = assembly.template("S/Inner").unwrap();
        assert_eq!(
            inner["Resources"]["Fn"]["Properties"]["Bucket"],
            json!({"Fn::Sub": "cdk-team1-assets-${AWS::AccountId}-${AWS::Region}"})
        );

        let props = &assembly.manifest["artifacts"]["S"]["properties"];
        let role = |kind: &str| {
            format!("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/cdk-team1-{kind}-role-${{AWS::AccountId}}-${{AWS::Region}}")
        };
        assert_eq!(props["assumeRoleArn"], role("deploy"));
        assert_eq!(props["cloudFormationExecutionRoleArn"], role("cfn-exec"));
        assert_eq!(props["bootstrapStackVersionSsmParameter"], "/cdk-bootstrap/team1/version");
        assert_eq!(props["requiresBootstrapStackVersion"], 6);
        let hash = &assembly.stack("S").unwrap().template_hash;
        assert_eq!(
            props["stackTemplateAssetObjectUrl"],
            format!("s3://cdk-team1-assets-${{AWS::AccountId}}-${{AWS::Region}}/{hash}.json")
        );
        let assets = json_file(&files, "S.assets.json");
        let entries = assets["files"].as_object().unwrap();
        assert_eq!(entries.len(), 3, "the stack's template, the nested template and the asset");
        for entry in entries.values() {
            let d = &entry["destinations"]["current_account-current_region"];
            assert_eq!(d["bucketName"], "cdk-team1-assets-${AWS::AccountId}-${AWS::Region}");
            assert_eq!(d["assumeRoleArn"], role("file-publishing"));
        }

        // A reader of the assembly gets back what the stack was given.
        let read = BootstrapSettings::from_manifest(&json_file(&files, "manifest.json"), "S", &assets).unwrap();
        assert_eq!(read, stack.bootstrap_settings());
        assert_eq!(read.deploy_role_arn, role("deploy"));
        assert_eq!(stack.synthesizer().resolve(&stack.synthesizer().lookup_role_arn), role("lookup"));
    }

    #[test]
    fn defaults_are_the_cdk_names_and_read_back() {
        let app = app_with(None);
        let stack = Stack::new(&app, "S");
        let _asset_dir = populate(&stack);
        let files = written(&app.synth_in_memory().unwrap());
        let read = BootstrapSettings::from_manifest(
            &json_file(&files, "manifest.json"),
            "S",
            &json_file(&files, "S.assets.json"),
        )
        .unwrap();
        assert_eq!(
            read,
            BootstrapSettings {
                file_assets_bucket_name: "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}".into(),
                deploy_role_arn: "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-deploy-role-${AWS::AccountId}-${AWS::Region}".into(),
                cloud_formation_execution_role_arn: "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}".into(),
                file_asset_publishing_role_arn: "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-file-publishing-role-${AWS::AccountId}-${AWS::Region}".into(),
                bootstrap_stack_version_ssm_parameter: "/cdk-bootstrap/hnb659fds/version".into(),
                requires_bootstrap_stack_version: 6,
            }
        );
        assert_eq!(read, stack.bootstrap_settings());
    }

    #[test]
    fn a_stack_setting_beats_the_app_and_context_fills_an_unset_qualifier() {
        let app = App::with_props(AppProps {
            context: [(BOOTSTRAP_QUALIFIER_CONTEXT.to_string(), json!("fromctx"))].into_iter().collect(),
            default_stack_synthesizer: Some(DefaultStackSynthesizer {
                file_assets_bucket_name: "assets-${Qualifier}".into(),
                ..Default::default()
            }),
            ..Default::default()
        });
        let by_app = Stack::new(&app, "ByApp");
        let own = Stack::with_props(
            &app,
            "Own",
            StackProps { synthesizer: Some(DefaultStackSynthesizer::with_qualifier("own")), ..Default::default() },
        );
        let nested = NestedStack::new(&own, "Inner");
        assert_eq!(by_app.synthesizer().bootstrap_qualifier(), "fromctx");
        assert_eq!(by_app.bootstrap_settings().file_assets_bucket_name, "assets-fromctx");
        assert_eq!(own.bootstrap_settings().file_assets_bucket_name, "cdk-own-assets-${AWS::AccountId}-${AWS::Region}");
        assert_eq!(nested.bootstrap_settings(), own.bootstrap_settings());
        let assembly = app.synth_in_memory().unwrap();
        assert_eq!(
            assembly.template("ByApp").unwrap()["Parameters"]["BootstrapVersion"]["Default"],
            "/cdk-bootstrap/fromctx/version"
        );
        assert_eq!(
            assembly.manifest["artifacts"]["Own"]["properties"]["bootstrapStackVersionSsmParameter"],
            "/cdk-bootstrap/own/version"
        );
    }

    #[test]
    fn a_bad_qualifier_is_an_error_at_the_stack() {
        let app = App::with_props(AppProps {
            context: [(BOOTSTRAP_QUALIFIER_CONTEXT.to_string(), json!(42))].into_iter().collect(),
            ..Default::default()
        });
        Stack::new(&app, "FromContext");
        Stack::with_props(
            &app,
            "TooLong",
            StackProps {
                synthesizer: Some(DefaultStackSynthesizer::with_qualifier("abcdefghijk")),
                ..Default::default()
            },
        );
        let err = app.synth_in_memory().unwrap_err();
        let found: Vec<(&str, &str)> = err.problems.iter().map(|p| (p.path.as_str(), p.message.as_str())).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "FromContext");
        assert!(found[0].1.contains("is 42, not a string"), "{}", found[0].1);
        assert_eq!(found[1].0, "TooLong");
        assert!(found[1].1.contains("'abcdefghijk' is invalid"), "{}", found[1].1);
    }

    #[test]
    fn reading_back_names_what_is_missing_or_inconsistent() {
        let manifest = json!({"artifacts": {"S": {"properties": {
            "assumeRoleArn": "d", "cloudFormationExecutionRoleArn": "c",
            "requiresBootstrapStackVersion": 6, "bootstrapStackVersionSsmParameter": "/p"
        }}}});
        let dest = |bucket: &str| json!({"destinations": {"x": {"bucketName": bucket, "objectKey": "k", "assumeRoleArn": "r"}}});
        let one = json!({"files": {"a": dest("b1")}});
        let read = BootstrapSettings::from_manifest(&manifest, "S", &one).unwrap();
        assert_eq!((read.file_assets_bucket_name.as_str(), read.deploy_role_arn.as_str()), ("b1", "d"));
        let e = BootstrapSettings::from_manifest(&manifest, "T", &one).unwrap_err();
        assert!(e.contains("no stack artifact 'T'"), "{e}");
        let e = BootstrapSettings::from_manifest(&manifest, "S", &json!({"files": {"a": dest("b1"), "b": dest("b2")}}))
            .unwrap_err();
        assert!(e.contains("asset 'b' goes to bucket b2"), "{e}");
        let e = BootstrapSettings::from_manifest(&manifest, "S", &json!({"files": {}})).unwrap_err();
        assert!(e.contains("no file asset"), "{e}");
        let mut no_role = manifest.clone();
        no_role["artifacts"]["S"]["properties"].as_object_mut().unwrap().remove("assumeRoleArn");
        let e = BootstrapSettings::from_manifest(&no_role, "S", &one).unwrap_err();
        assert!(e.contains("no `assumeRoleArn`"), "{e}");
    }
}
