//! The stable codes of the diagnostics the construct layer reports. A code never
//! changes meaning; tests and tools match codes, not message text.
//!
//! | range | what |
//! |---|---|
//! | `CX1xx` | the tree: ids, scopes, context, assets, aspects, validations |
//! | `CX2xx` | references and intrinsics |
//! | `CX3xx` | one template: logical IDs, CloudFormation's quotas, cycles |
//! | `CX4xx` | the whole assembly and writing it |
//!
//! `CF*` codes (the registry schemas' property constraints) are in `cfn-types`,
//! `AMP*` codes in `amplify-backend`.

/// A construct id is empty.
pub const EMPTY_ID: &str = "CX101";
/// A construct id contains `/`.
pub const SLASH_IN_ID: &str = "CX102";
/// Two siblings have the same id.
pub const DUPLICATE_ID: &str = "CX103";
/// A template element is outside every stack.
pub const OUTSIDE_STACK: &str = "CX104";
/// A `NestedStack` outside every stack, or a `Stack` inside one.
pub const STACK_PLACEMENT: &str = "CX105";
/// `CDK_CONTEXT_JSON` is not a JSON object.
pub const BAD_CONTEXT: &str = "CX106";
/// An asset cannot be read.
pub const ASSET_UNREADABLE: &str = "CX107";
/// A stack name CloudFormation refuses.
pub const INVALID_STACK_NAME: &str = "CX108";
/// Aspects kept adding constructs.
pub const ASPECT_LOOP: &str = "CX109";
/// A message of a validation added with `Node::add_validation` (no code of its own).
pub const VALIDATION: &str = "CX110";
/// The stack synthesizer's settings are invalid.
pub const SYNTHESIZER: &str = "CX111";
/// The tree is deeper than synthesis walks.
pub const TREE_TOO_DEEP: &str = "CX112";
/// A value CloudFormation cannot hold (a NaN or infinite number).
pub const INVALID_VALUE: &str = "CX113";

/// A reference to a construct that was dropped.
pub const DANGLING_REFERENCE: &str = "CX201";
/// A reference to a construct outside every stack (or in another app).
pub const REFERENCE_OUTSIDE_STACK: &str = "CX202";
/// `Ref`/`Fn::GetAtt` of something that is not a resource or parameter, or a
/// condition or mapping used from another stack.
pub const INVALID_REFERENCE: &str = "CX203";
/// A reference only appeared while rendering.
pub const LATE_REFERENCE: &str = "CX204";
/// `Ref` to a name the template does not declare (raw JSON).
pub const REF_MISSING: &str = "CX205";
/// `Fn::GetAtt` of a resource the template does not declare (raw JSON).
pub const GETATT_MISSING: &str = "CX206";
/// `DependsOn` names a resource the template does not declare.
pub const DEPENDS_ON_MISSING: &str = "CX207";
/// A condition name the template does not declare.
pub const CONDITION_MISSING: &str = "CX208";
/// A parameter type CloudFormation does not know.
pub const PARAMETER_TYPE: &str = "CX209";
/// `Fn::GetAtt` of an attribute the resource type does not have.
pub const GETATT_UNKNOWN_ATTRIBUTE: &str = "CX210";
/// A resource refers to itself.
pub const SELF_REFERENCE: &str = "CX211";

/// A logical ID CloudFormation refuses.
pub const INVALID_LOGICAL_ID: &str = "CX301";
/// Two elements of a template have the same logical ID.
pub const DUPLICATE_LOGICAL_ID: &str = "CX302";
/// A template section over CloudFormation's quota (resources, outputs, ...).
pub const TEMPLATE_QUOTA: &str = "CX303";
/// A template over CloudFormation's size limit.
pub const TEMPLATE_SIZE: &str = "CX304";
/// Resources of a template refer to each other in a cycle.
pub const RESOURCE_CYCLE: &str = "CX305";
/// Top-level stacks depend on each other in a cycle.
pub const STACK_CYCLE: &str = "CX306";

/// Two top-level stacks deploy under one CloudFormation stack name.
pub const DUPLICATE_STACK_NAME: &str = "CX401";
/// Two outputs export one name.
pub const DUPLICATE_EXPORT: &str = "CX402";
/// A file name of the assembly is over 255 bytes.
pub const FILE_NAME_TOO_LONG: &str = "CX403";
/// The assembly cannot be written.
pub const WRITE_FAILED: &str = "CX404";
/// The output directory holds something else than an assembly.
pub const OUTDIR_NOT_ASSEMBLY: &str = "CX405";
/// An export name CloudFormation refuses.
pub const INVALID_EXPORT_NAME: &str = "CX406";

/// Codes of structural errors: what goes wrong below the construct they are
/// reported at only follows from them, and is not reported. (A bad id is
/// reported at its scope, so it is no cause of what happens there.)
pub(crate) const CAUSES: &[&str] = &[DUPLICATE_ID, OUTSIDE_STACK, STACK_PLACEMENT, TREE_TOO_DEEP];
