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
4. Lambda functions keep their template's `Tags`, as CloudFormation applies
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


_resource_class = parsing.resource_class_from_type


def _resource_class_or_stand_in(resource_type):
    if resource_type.startswith("Custom::") or resource_type not in parsing.get_model_map():
        if resource_type not in parsing.NULL_MODELS:
            return StandIn
    return _resource_class(resource_type)


parsing.resource_class_from_type = _resource_class_or_stand_in

if __name__ == "__main__":
    from moto.server import main

    sys.exit(main())
