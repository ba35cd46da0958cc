"""The cost model: AWS Lambda (x86) duration cost and DynamoDB on-demand request units.

Prices are parameters (flags of the harness), defaulting to the published list prices the
issue names: Lambda $0.0000166667 per GB-second (x86; eu-west-1 and us-east-1 alike), DynamoDB
on-demand $0.625 per million write request units and $0.125 per million read request units.
"""
from dataclasses import dataclass

LAMBDA_USD_PER_GB_S = 0.0000166667
DDB_USD_PER_MILLION_WRU = 0.625
DDB_USD_PER_MILLION_RRU = 0.125
# Lambda's CPU share grows with memory: one full vCPU at 1,769 MB.
MB_PER_VCPU = 1769
# The original priced a millisecond at 128 MB as $0.0000000021 (rounded; the GB-second price
# gives $0.0000000020833): its published costs are (billed ms) x (rounded per-ms price).
ORIGINAL_USD_PER_MS_128MB = 0.0000000021


@dataclass(frozen=True)
class prices:
    lambda_usd_per_gb_s: float = LAMBDA_USD_PER_GB_S
    ddb_usd_per_million_wru: float = DDB_USD_PER_MILLION_WRU
    ddb_usd_per_million_rru: float = DDB_USD_PER_MILLION_RRU

    def lambda_cost(self, billed_s, memory_mb):
        """Lambda's duration cost of a run billed `billed_s` seconds at `memory_mb`."""
        return billed_s * memory_mb / 1024 * self.lambda_usd_per_gb_s

    def dynamodb_cost(self, rcu, wcu):
        """On-demand cost of the consumed units (the request units a table in on-demand mode
        bills equal the capacity units DynamoDB reports as consumed)."""
        return (wcu * self.ddb_usd_per_million_wru + rcu * self.ddb_usd_per_million_rru) / 1e6


def cpu_share(memory_mb):
    """Lambda's CPU for a memory size, in cores (memory / 1,769 MB)."""
    return memory_mb / MB_PER_VCPU
