"""moto_server with three gaps filled, for deploying whole Amplify backends.

Run with moto's Python: `python moto_for_amplify.py -H 127.0.0.1 -p PORT`.

1. GetTemplateSummary returns the template's Metadata as JSON text, as
   CloudFormation does (moto 5.2.5 returns Python's repr of the dict, which
   Amplify's `ampx generate outputs` cannot parse).
2. `Fn::GetAtt [NestedStack, Outputs.Name]` reads the nested stack's output, as
   CloudFormation does (moto's Stack model has no attributes at all).
3. Resource types moto does not model (Cognito, AppSync, Location, custom
   resources) become stand-ins with a physical id and attributes derived from
   it, instead of being skipped (which leaves every `Fn::GetAtt` on them failing
   the stack). Nothing is created for them: only CloudFormation sees them.
4. Except the AppSync API and its schema: moto's AppSync serves
   CreateGraphqlApi, StartSchemaCreation and GetIntrospectionSchema, but its
   CloudFormation does not create them. `AWS::AppSync::GraphQLApi` and
   `AWS::AppSync::GraphQLSchema` create the API in moto's AppSync with the
   template's SDL (inline or from S3), so tools that ask AppSync for the schema
   (Amplify's `generate graphql-client-code` and `generate forms`) find it.
   GetIntrospectionSchema's SDL leaves out AppSync's own scalars and
   directives, as AppSync does (moto prints them, and Amplify's code generator,
   which adds them itself, then fails on "only one type named AWSTime").
5. `AWS::SSM::Parameter` takes its Tags as CloudFormation defines them, a JSON
   map (moto 5.2.5 expects a Key/Value list and fails the stack with HTTP 500).
6. Lambda functions keep their template's `Tags`, as CloudFormation applies
   them (moto 5.2.5 drops them); `ampx sandbox --stream-function-logs` and
   Amplify's log streamer find functions by their `amplify:friendly-name` tag.
"""

import json
import sys

from moto.awslambda.models import LambdaFunction
from moto.cloudformation import parsing, responses
from moto.cloudformation.models import Stack
from moto.core.common_models import CloudFormationModel
from moto.moto_api._internal import mock_random

_summary = responses.get_template_summary_response_from_template


def _summary_with_json_metadata(body):
    summary = _summary(body)
    if isinstance(summary.get("Metadata"), dict):
        summary["Metadata"] = json.dumps(summary["Metadata"])
    return summary


responses.get_template_summary_response_from_template = _summary_with_json_metadata


def _nested_output(self, attribute):
    if attribute.startswith("Outputs."):
        key = attribute[len("Outputs."):]
        for output in (self.outputs or []):
            if output["OutputKey"] == key:
                return output["OutputValue"]
    raise parsing.UnformattedGetAttTemplateException()


Stack.get_cfn_attribute = _nested_output
Stack.has_cfn_attr = classmethod(lambda cls, attr: True)


_create_function = LambdaFunction.create_from_cloudformation_json.__func__


def _create_function_with_tags(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    fn = _create_function(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    tags = cloudformation_json["Properties"].get("Tags") or []
    fn.tags.update({t["Key"]: t["Value"] for t in tags})
    return fn


LambdaFunction.create_from_cloudformation_json = classmethod(_create_function_with_tags)


class StandIn(CloudFormationModel):
    """A resource moto does not model: an id, and attributes named after it."""

    # moto's model registry files each model under the service its module names.
    __module__ = "moto.cloudformation.stand_in"

    def __init__(self, resource_type, physical_id):
        self.resource_type = resource_type
        self.id = physical_id

    @property
    def physical_resource_id(self):
        return self.id

    @classmethod
    def has_cfn_attr(cls, attr):
        return True

    def get_cfn_attribute(self, attribute):
        if attribute == "Arn" or attribute.endswith("Arn"):
            service = self.resource_type.split("::")[1].lower()
            return f"arn:aws:{service}:us-east-1:123456789012:{self.id}"
        return f"{self.id}.{attribute}"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        suffix = mock_random.get_random_hex(8)
        return cls(kwargs["ResourceType"], f"{kwargs['LogicalId']}-{suffix}")

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        pass

    def delete(self, account_id, region_name):
        pass


class GraphqlApi(CloudFormationModel):
    """`AWS::AppSync::GraphQLApi`, created in moto's AppSync."""

    __module__ = "moto.cloudformation.stand_in"

    def __init__(self, api):
        self.api = api

    @property
    def physical_resource_id(self):
        return self.api.arn

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr in ("ApiId", "Arn", "GraphQLUrl", "GraphQLDns", "RealtimeUrl", "RealtimeDns", "GraphQLEndpointArn")

    def get_cfn_attribute(self, attribute):
        host = f"{self.api.api_id}.appsync-api.{self.api.region}.amazonaws.com"
        realtime = f"{self.api.api_id}.appsync-realtime-api.{self.api.region}.amazonaws.com"
        return {
            "ApiId": self.api.api_id,
            "Arn": self.api.arn,
            "GraphQLEndpointArn": self.api.arn,
            "GraphQLUrl": f"https://{host}/graphql",
            "GraphQLDns": host,
            "RealtimeUrl": f"wss://{realtime}/graphql",
            "RealtimeDns": realtime,
        }[attribute]

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.appsync.models import appsync_backends

        props = cloudformation_json["Properties"]
        api = appsync_backends[account_id][region_name].create_graphql_api(
            name=props["Name"],
            log_config=props.get("LogConfig"),
            authentication_type=props["AuthenticationType"],
            user_pool_config=props.get("UserPoolConfig"),
            open_id_connect_config=props.get("OpenIDConnectConfig"),
            additional_authentication_providers=props.get("AdditionalAuthenticationProviders"),
            xray_enabled=props.get("XrayEnabled", False),
            lambda_authorizer_config=props.get("LambdaAuthorizerConfig"),
            tags={},
            visibility=props.get("Visibility"),
        )
        return cls(api)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        pass

    def delete(self, account_id, region_name):
        from moto.appsync.models import appsync_backends

        appsync_backends[account_id][region_name].graphql_apis.pop(self.api.api_id, None)


class GraphqlSchema(StandIn):
    """`AWS::AppSync::GraphQLSchema`: the SDL given to moto's StartSchemaCreation."""

    __module__ = "moto.cloudformation.stand_in"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.appsync.models import appsync_backends

        props = cloudformation_json["Properties"]
        definition = props.get("Definition")
        if definition is None:
            from moto.s3.models import s3_backends

            bucket, _, key = props["DefinitionS3Location"].removeprefix("s3://").partition("/")
            definition = s3_backends[account_id]["aws"].get_object(bucket, key).value.decode("utf-8")
        appsync_backends[account_id][region_name].start_schema_creation(props["ApiId"], definition.encode("utf-8"))
        return cls(kwargs["ResourceType"], f"{props['ApiId']}GraphQLSchema")

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name, ResourceType=original_resource.resource_type
        )
        return original_resource


from moto.appsync import models as _appsync

_introspection = _appsync.GraphqlSchema.get_introspection_schema


def _introspection_without_builtins(self, format_, include_directives):
    out = _introspection(self, format_, include_directives)
    if format_ != "SDL":
        return out
    from graphql import DocumentNode, parse, print_ast

    builtins = {d.name.value for d in parse(_appsync.AWS_CUSTOM_GRAPHQL).definitions}
    kept = [d for d in parse(out).definitions if getattr(d, "name", None) is None or d.name.value not in builtins]
    return print_ast(DocumentNode(definitions=tuple(kept)))


_appsync.GraphqlSchema.get_introspection_schema = _introspection_without_builtins

from moto.ssm.models import Parameter as _SsmParameter

_create_parameter = _SsmParameter.create_from_cloudformation_json.__func__


def _create_parameter_with_map_tags(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    tags = cloudformation_json.get("Properties", {}).get("Tags")
    if isinstance(tags, dict):
        cloudformation_json["Properties"]["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    return _create_parameter(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)


_SsmParameter.create_from_cloudformation_json = classmethod(_create_parameter_with_map_tags)

_resource_class = parsing.resource_class_from_type
_APPSYNC = {"AWS::AppSync::GraphQLApi": GraphqlApi, "AWS::AppSync::GraphQLSchema": GraphqlSchema}


def _resource_class_or_stand_in(resource_type):
    if resource_type in _APPSYNC:
        return _APPSYNC[resource_type]
    if resource_type.startswith("Custom::") or resource_type not in parsing.get_model_map():
        if resource_type not in parsing.NULL_MODELS:
            return StandIn
    return _resource_class(resource_type)


parsing.resource_class_from_type = _resource_class_or_stand_in

if __name__ == "__main__":
    from moto.server import main

    sys.exit(main())
