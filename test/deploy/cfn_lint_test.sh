#!/usr/bin/env bash
# Checks deploy/template.yaml without an AWS account:
#   1. cfn-lint (which runs the SAM transform) reports nothing;
#   2. the IAM is least privilege: the function's role allows exactly DescribeTable, Scan,
#      DeleteItem, BatchWriteItem and GetItem on the one table ARN; the state machine's role
#      only invokes the function; the scheduler's role only starts the state machine; no
#      action or resource anywhere is a wildcard;
#   3. the function, parameter defaults (the original's predicate) and schedule are as documented;
#   4. the state machine definition, after the SAM transform, is valid JSON whose every
#      transition has a target and every state is reachable, loops Invoke → Complete? → NextBatch
#      until $.complete, retries Lambda service errors, and has no parameter substituted as a
#      string where the language needs a number. cfn-lint does not look inside it. When
#      `asl-validator` (npm) is on PATH it is run on the definition as well.
#
#   test/deploy/cfn_lint_test.sh [TEMPLATE]     default deploy/template.yaml; exit 0 = pass
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
template=${1:-$root/deploy/template.yaml}
command -v cfn-lint >/dev/null || { echo "cfn_lint_test: cfn-lint is not installed" >&2; exit 1; }

echo "cfn_lint_test: cfn-lint $(cfn-lint --version 2>&1 | tail -n 1) on $template"
cfn-lint -- "$template"

definition=$(mktemp "${TMPDIR:-/tmp}/scavenger-asl.XXXXXX.json")
trap 'rm -f "$definition"' EXIT

# cfn-lint's decoder reads the short-form tags (!Sub, !Ref, !GetAtt) as {"Fn::Sub": …} etc.
AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} python3 - "$template" "$definition" <<'EOF'
import json
import re
import sys

from cfnlint.decode import decode
from samtranslator.translator.transform import transform

template_path, definition_out = sys.argv[1], sys.argv[2]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


template, matches = decode(template_path)
check(not matches, f"decode errors: {matches}")
resources = template["Resources"]
check(template.get("Transform") == "AWS::Serverless-2016-10-31", "Transform is not SAM")


def as_list(value):
    return value if isinstance(value, list) else [value]


def statements(role):
    for policy in role["Properties"].get("Policies", []):
        yield from as_list(policy["PolicyDocument"]["Statement"])


def walk(node):
    """Every dict in the tree."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


# --- 2. IAM --------------------------------------------------------------------------------
table_arn = {"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}"}
expected_actions = {"dynamodb:DescribeTable", "dynamodb:Scan", "dynamodb:DeleteItem",
                    "dynamodb:BatchWriteItem", "dynamodb:GetItem"}

for name, resource in resources.items():
    for node in walk(resource.get("Properties", {})):
        if "Effect" in node and ("Action" in node or "NotAction" in node):
            check("NotAction" not in node and "NotResource" not in node, f"{name}: NotAction/NotResource")
            for action in as_list(node.get("Action", [])):
                check(isinstance(action, str) and "*" not in action, f"{name}: wildcard action {action!r}")
            for res in as_list(node.get("Resource", [])):
                check(not (isinstance(res, str) and "*" in res), f"{name}: wildcard resource {res!r}")
                check(not (isinstance(res, dict) and "*" in json.dumps(res)), f"{name}: wildcard resource {res!r}")

role = resources.get("FunctionRole", {})
check(role.get("Type") == "AWS::IAM::Role", "FunctionRole is not an AWS::IAM::Role")
grants = [s for s in statements(role) if s.get("Effect") == "Allow"]
check(len(grants) == 1, f"FunctionRole: expected one statement, got {len(grants)}")
for s in grants:
    actions = as_list(s["Action"])
    check(set(actions) == expected_actions and len(actions) == len(expected_actions),
          f"FunctionRole actions {sorted(actions)} != {sorted(expected_actions)}")
    check(as_list(s["Resource"]) == [table_arn], f"FunctionRole resource {s['Resource']!r} != {table_arn!r}")
managed = role.get("Properties", {}).get("ManagedPolicyArns", [])
check(managed == [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}],
      f"FunctionRole managed policies: {managed!r}")


def only_grant(role_name, action, resource):
    got = [(as_list(s["Action"]), as_list(s["Resource"])) for s in statements(resources[role_name])]
    check(got == [([action], [resource])], f"{role_name}: {got!r} != only {action} on {resource!r}")
    check("ManagedPolicyArns" not in resources[role_name]["Properties"], f"{role_name} has managed policies")


only_grant("StateMachineRole", "lambda:InvokeFunction", {"Fn::GetAtt": ["Function", "Arn"]})
only_grant("SchedulerRole", "states:StartExecution", {"Ref": "StateMachine"})

# --- 3. function, parameters, schedule -----------------------------------------------------
function = resources["Function"]
props = function["Properties"]
check(function["Type"] == "AWS::Serverless::Function", "Function type")
for key, value in {"Runtime": "provided.al2023", "Architectures": ["x86_64"], "Handler": "bootstrap",
                   "Timeout": 900, "Role": {"Fn::GetAtt": ["FunctionRole", "Arn"]}}.items():
    check(props.get(key) == value, f"Function {key}: {props.get(key)!r} != {value!r}")
check("Policies" not in props, "Function must not add SAM Policies (they would widen its role)")
env = props["Environment"]["Variables"]
check(env.get("SCAVENGER_TABLE") == {"Ref": "TableName"}, "SCAVENGER_TABLE")

parameters = template["Parameters"]
defaults = {"ShardCount": 4, "TotalSegments": 16, "OlderThan": "48h", "AgeAttribute": "StartExecutionTime",
            "FilterExpression": "#Comp = :NCompl OR #Comp = :SCompl", "Schedule": "rate(1 day)",
            "MemorySize": 128, "CodeUri": "../build-release/scavenger-lambda.zip"}
for key, value in defaults.items():
    check(parameters.get(key, {}).get("Default") == value, f"parameter {key} default {parameters.get(key)!r}")
check(json.loads(parameters["ExpressionAttributeNames"]["Default"]) == {"#Comp": "Completed"},
      "ExpressionAttributeNames default")
check(json.loads(parameters["ExpressionAttributeValues"]["Default"]) ==
      {":NCompl": {"N": "1"}, ":SCompl": {"S": "1"}}, "ExpressionAttributeValues default")

schedule = resources["RunSchedule"]
check(schedule["Type"] == "AWS::Scheduler::Schedule", "RunSchedule type")
target = schedule["Properties"]["Target"]
check(target["Arn"] == {"Ref": "StateMachine"}, "schedule target")
check(target["RoleArn"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}, "schedule role")
sample_input = re.sub(r"\$\{(\w+)\}", lambda m: str(defaults[m.group(1)]), target["Input"]["Fn::Sub"])
check(json.loads(sample_input) == {"shardCount": 4, "segments": 16}, f"schedule input {sample_input}")

# --- 4. the state machine definition, as the SAM transform emits it ------------------------
props["CodeUri"] = "s3://bucket/scavenger-lambda.zip"   # the transform wants S3 once packaged


class NoManagedPolicies:
    def load(self):
        return {}


out = transform(template, {"TableName": "Workers"}, NoManagedPolicies())
machine = out["Resources"]["StateMachine"]["Properties"]
substitutions = machine.get("DefinitionSubstitutions", {})
check(set(substitutions) == {"FunctionArn", "Partition"},
      f"substitutions {sorted(substitutions)}: a parameter inside Definition becomes a quoted string")
text = "\n".join(machine["DefinitionString"]["Fn::Join"][1])
text = text.replace("${FunctionArn}", "arn:aws:lambda:us-east-1:123456789012:function:scavenger")
text = text.replace("${Partition}", "aws")
check("${" not in text, "unsubstituted placeholder left in the definition")
asl = json.loads(text)
with open(definition_out, "w") as f:
    f.write(text)


def check_scope(scope, where):
    states = scope["States"]
    check(scope["StartAt"] in states, f"{where}: StartAt {scope['StartAt']} missing")
    edges = {}
    for name, state in states.items():
        targets = [state["Next"]] if "Next" in state else []
        targets += [c["Next"] for c in state.get("Choices", [])]
        targets += [state["Default"]] if "Default" in state else []
        targets += [c["Next"] for c in state.get("Catch", [])]
        for t in targets:
            check(t in states, f"{where}.{name}: transition to missing state {t}")
        terminal = state.get("End") is True or state["Type"] in ("Succeed", "Fail")
        check(bool(targets) or terminal, f"{where}.{name}: no transition and not terminal")
        edges[name] = targets
        if "ItemProcessor" in state:
            check_scope(state["ItemProcessor"], f"{where}.{name}")
    seen, todo = set(), [scope["StartAt"]]
    while todo:
        name = todo.pop()
        if name in seen or name not in edges:
            continue
        seen.add(name)
        todo += edges[name]
    check(seen == set(states), f"{where}: unreachable states {sorted(set(states) - seen)}")


check_scope(asl, "root")
check(isinstance(asl.get("TimeoutSeconds"), int), "TimeoutSeconds must be an integer")
shards = asl["States"]["ListShards"]
check("States.ArrayRange" in shards["Parameters"]["indices.$"], "shard list not built from shardCount")
mapped = asl["States"]["EachShard"]
check(mapped["Type"] == "Map", "EachShard is not a Map")
check(mapped["ItemSelector"]["shard.$"] == "States.Format('{}/{}', $$.Map.Item.Value, $.shardCount)",
      "shard format")
inner = mapped["ItemProcessor"]["States"]
invoke = inner["Invoke"]
check(invoke["Resource"] == "arn:aws:states:::lambda:invoke", "Invoke resource")
check(invoke["Parameters"].get("Payload.$") == "$", "Invoke payload")
retried = {e for r in invoke.get("Retry", []) for e in r["ErrorEquals"]}
check({"Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
       "Lambda.TooManyRequestsException"} <= retried, f"Invoke retries {sorted(retried)}")
check(invoke["Next"] == "Complete?", "Invoke → Complete?")
choice = inner["Complete?"]
check(choice["Choices"] == [{"Variable": "$.complete", "BooleanEquals": True, "Next": "ShardDone"}],
      "Choice on $.complete")
nxt = inner[choice["Default"]]
check(nxt["Next"] == "Invoke", "the loop goes back to Invoke")
check(set(nxt["Parameters"]) == {"shard.$", "segments.$", "cursors.$", "cutoff.$"},
      f"next event fields {sorted(nxt['Parameters'])}")

if failures:
    for f in failures:
        print(f"cfn_lint_test: FAIL: {f}", file=sys.stderr)
    sys.exit(1)
print("cfn_lint_test: IAM, function, parameters, schedule and state machine checks passed")
EOF

if command -v asl-validator >/dev/null; then
  asl-validator --json-path "$definition"
else
  echo "cfn_lint_test: asl-validator not on PATH; the structural checks above stand in for it"
fi
echo "cfn_lint_test: OK"
