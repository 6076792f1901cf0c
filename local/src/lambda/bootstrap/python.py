# ampx dev's Python runtime. It speaks the Lambda Runtime API at
# AWS_LAMBDA_RUNTIME_API for the handler named by _HANDLER in LAMBDA_TASK_ROOT:
# it imports the handler once (init), then loops: next event, call, response.
import http.client
import importlib
import importlib.abc
import importlib.util
import json
import os
import sys
import time
import traceback

API = os.environ.get("AWS_LAMBDA_RUNTIME_API", "")
ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
BASE = "/2018-06-01/runtime"
_conn = http.client.HTTPConnection(API)


def call(method, route, body=None, headers=None):
    global _conn
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = body.encode("utf-8")
        headers["Content-Type"] = "application/json"
    for attempt in (0, 1):
        try:
            _conn.request(method, BASE + route, body=data, headers=headers)
            res = _conn.getresponse()
            return res.status, {k.lower(): v for k, v in res.getheaders()}, res.read()
        except (http.client.HTTPException, ConnectionError):
            if attempt:
                raise
            _conn = http.client.HTTPConnection(API)


def error_document(e):
    return {
        "errorType": type(e).__name__,
        "errorMessage": str(e),
        "stackTrace": [line.rstrip("\n") for line in traceback.format_tb(e.__traceback__)],
    }


class _LocalSsm:
    """GetParameters against the local SSM endpoint (AWS_ENDPOINT_URL_SSM)."""

    def _call(self, target, payload):
        import urllib.error
        import urllib.request

        req = urllib.request.Request(
            os.environ["AWS_ENDPOINT_URL_SSM"],
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonSSM." + target},
        )
        try:
            with urllib.request.urlopen(req) as res:
                return json.loads(res.read())
        except urllib.error.HTTPError as e:
            body = json.loads(e.read() or b"{}")
            raise RuntimeError(body.get("__type", "SSMError") + ": " + body.get("message", str(e))) from None

    def get_parameters(self, Names, WithDecryption=False):
        return self._call("GetParameters", {"Names": Names, "WithDecryption": WithDecryption})

    def get_parameter(self, Name, WithDecryption=False):
        return self._call("GetParameter", {"Name": Name, "WithDecryption": WithDecryption})


class _Boto3Fallback(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Without boto3 installed (Lambda's runtime ships it), `boto3.client("ssm")`
    answers from the local SSM endpoint, so Amplify's secrets loader works."""

    def find_spec(self, name, path=None, target=None):
        if name != "boto3":
            return None
        return importlib.util.spec_from_loader(name, self)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        def client(service, *args, **kwargs):
            if service != "ssm":
                raise RuntimeError("boto3 is not installed; ampx dev only stands in for the ssm client")
            return _LocalSsm()

        module.client = client


def load_handler():
    spec = os.environ.get("_HANDLER", "")
    module_path, _, name = spec.rpartition(".")
    if not module_path or not name:
        raise _named("Runtime.MalformedHandlerName", "Bad handler '%s': use module.function" % spec)
    sys.path.insert(0, ROOT)
    if importlib.util.find_spec("boto3") is None:
        sys.meta_path.append(_Boto3Fallback())
    try:
        module = importlib.import_module(module_path.replace("/", "."))
    except ImportError as e:
        raise _named("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_path, e)) from None
    except SyntaxError as e:
        raise _named("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_path, e)) from None
    handler = getattr(module, name, None)
    if not callable(handler):
        raise _named("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (name, module_path))
    return handler


def _named(kind, message):
    e = Exception(message)
    e.kind = kind
    return e


class Context:
    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = None
        self._deadline = int(headers.get("lambda-runtime-deadline-ms", "0"))

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline - int(time.time() * 1000))


def main():
    try:
        handler = load_handler()
    except Exception as e:
        doc = error_document(e)
        doc["errorType"] = getattr(e, "kind", doc["errorType"])
        print("%s: %s" % (doc["errorType"], doc["errorMessage"]), file=sys.stderr)
        call("POST", "/init/error", json.dumps(doc), {"Lambda-Runtime-Function-Error-Type": doc["errorType"]})
        sys.exit(1)
    while True:
        status, headers, body = call("GET", "/invocation/next")
        if status != 200:
            sys.exit(0)
        request_id = headers.get("lambda-runtime-aws-request-id")
        os.environ["_X_AMZN_TRACE_ID"] = headers.get("lambda-runtime-trace-id", "")
        try:
            result = handler(json.loads(body), Context(headers))
            answer = json.dumps(result)
        except Exception as e:
            doc = error_document(e)
            print("[ERROR] %s: %s" % (doc["errorType"], doc["errorMessage"]), file=sys.stderr)
            call(
                "POST",
                "/invocation/%s/error" % request_id,
                json.dumps(doc),
                {"Lambda-Runtime-Function-Error-Type": doc["errorType"]},
            )
            continue
        call("POST", "/invocation/%s/response" % request_id, answer)


main()
