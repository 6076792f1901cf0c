//! Zoned schedules on EventBridge Scheduler, as Amplify runs every schedule now:
//! an `AWS::Scheduler::Schedule` per schedule, evaluated in its time zone, that
//! invokes the function with a role Scheduler may assume only for this account's
//! default schedule group (the CDK's `LambdaInvoke` target and its defaults:
//! retries for up to a day, 185 attempts, no flexible window).

use cfn_types::iam::role::CfnRole;
use cfn_types::lambda::function::CfnFunction;
use cfn_types::scheduler::schedule::{
    CfnSchedule, CfnScheduleProps, FlexibleTimeWindowMode, FlexibleTimeWindowProperty, RetryPolicyProperty,
    ScheduleState, TargetProperty,
};
use cfn_types::Val;
use constructs::{cfn, fns, Aws, Construct, Value};

use super::function::ZonedScheduleResources;
use crate::iam::{self, PolicyStatement, Service, Trust};

/// Builds the schedules (`(index, expression, time zone, description)`) and, when
/// there are any, the role they share.
pub(crate) fn build(
    scope: &Construct,
    lambda: &CfnFunction,
    zoned: &[(usize, String, String, Option<String>)],
) -> (Option<CfnRole>, Vec<ZonedScheduleResources>) {
    if zoned.is_empty() {
        return (None, Vec::new());
    }
    let group = fns::sub("arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule-group/default");
    let trust = Trust::service(Service::Scheduler)
        .with_condition(cfn!({"StringEquals": {"aws:SourceAccount": (Aws::account_id()), "aws:SourceArn": group}}));
    let holder = Construct::new(scope, "SchedulerRole");
    let role = CfnRole::new(
        &holder,
        "Resource",
        cfn_types::iam::role::CfnRoleProps { assume_role_policy_document: trust.document(), ..Default::default() },
    );
    let arn = lambda.attr_arn();
    let invoke =
        PolicyStatement::allow(["lambda:InvokeFunction"], [arn.clone(), Value::concat([arn.clone(), ":*".into()])]);
    iam::attach(&holder, "DefaultPolicy", vec![role.ref_()], &[invoke]);
    let schedules = zoned
        .iter()
        .map(|(index, expression, timezone, description)| {
            let schedule = CfnSchedule::new(
                scope,
                &format!("ZonedSchedule{index}"),
                CfnScheduleProps {
                    description: description.as_deref().map(Into::into),
                    flexible_time_window: FlexibleTimeWindowProperty {
                        mode: FlexibleTimeWindowMode::Off.into(),
                        ..Default::default()
                    }
                    .into(),
                    schedule_expression: expression.as_str().into(),
                    schedule_expression_timezone: Some(timezone.as_str().into()),
                    state: Some(ScheduleState::Enabled.into()),
                    target: TargetProperty {
                        arn: arn.clone().into(),
                        role_arn: role.get_att("Arn").into(),
                        retry_policy: Some(
                            RetryPolicyProperty {
                                // Whole numbers, as the CDK writes them (the schema's type is a number).
                                maximum_event_age_in_seconds: Some(Val::Token(86_400.into())),
                                maximum_retry_attempts: Some(Val::Token(185.into())),
                            }
                            .into(),
                        ),
                        ..Default::default()
                    }
                    .into(),
                    ..Default::default()
                },
            );
            ZonedScheduleResources { schedule }
        })
        .collect();
    (Some(role), schedules)
}
