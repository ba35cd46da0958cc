"""The benchmark harness: the original Go scavenger's experiment (SPEC §1), reproduced for
scavenger on the embedded DynamoDB Local, with a cost model, a latency profile behind a delaying
proxy and a Lambda-size profile inside control groups. `python3 -m harness --help` (with
PYTHONPATH=bench), or scripts/bench.sh for the whole thing.
"""
