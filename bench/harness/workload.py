"""The experiment's three steps on one table: seed it afresh, run `scavenger run` with the
original's predicate, verify the survivors exactly."""
import json
import os

from . import processes

TABLE = "Workers"
# The original's predicate (SPEC §1): completed, as N 1 or S "1", and started over 48 h ago.
RULE = ["--filter", "#Comp = :NCompl OR #Comp = :SCompl",
        "--expression-attribute-names", '{"#Comp":"Completed"}',
        "--expression-attribute-values", '{":NCompl":{"N":"1"},":SCompl":{"S":"1"}}',
        "--older-than", "48h", "--age-attribute", "StartExecutionTime"]
SEED_TIMEOUT_S = 900
VERIFY_TIMEOUT_S = 600


class step_failed(Exception):
    pass


def client_environment():
    """DynamoDB Local checks no signature: the harness never needs (nor sees) real credentials."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k.lower() not in ("http_proxy", "https_proxy")}
    env.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_REGION="us-east-1")
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1"
    return env


class workload:
    def __init__(self, scavenger, url, work_dir):
        self.scavenger = scavenger
        self.url = url          # the emulator itself: seeding and verifying never go through a proxy
        self.work_dir = work_dir
        self.env = client_environment()

    def _json(self, argv, timeout_s, what):
        result = processes.run(argv, self.env, timeout_s)
        if result.exit_code != 0:
            raise step_failed(f"{what} exited {result.exit_code}: {result.stderr.strip()[-500:]}")
        try:
            return json.loads(result.stdout)
        except ValueError as error:
            raise step_failed(f"{what} printed no JSON ({error}): {result.stdout[-300:]}")

    def seed(self, items, survivors):
        report = self._json([self.scavenger, "seed", "--table", TABLE, "--items", str(items),
                             "--survivors", str(survivors), "--recreate", "--endpoint-url", self.url],
                            SEED_TIMEOUT_S, "scavenger seed")
        if report.get("written") != items or report.get("survivors") != survivors or \
                report.get("expected_deletions") != items - survivors:
            raise step_failed(f"seed wrote {report}, not {items} items with {survivors} survivors")
        return report

    def run(self, readers, deleters, mode, endpoint=None, preexec_fn=None, timeout_s=3600, tag="run"):
        """`scavenger run` measured; returns (processes.measured, summary dict or None)."""
        argv = [self.scavenger, "run", "--table", TABLE, "--endpoint-url", endpoint or self.url, *RULE,
                "--segments", str(readers), "--readers", str(readers), "--deleters", str(deleters),
                "--delete-mode", mode, "--progress", "never", "--output", "json"]
        result = processes.run(argv, self.env, timeout_s, preexec_fn=preexec_fn,
                               stdout_path=os.path.join(self.work_dir, f"{tag}.json"),
                               stderr_path=os.path.join(self.work_dir, f"{tag}.log"))
        try:
            summary = json.loads(result.stdout)
        except ValueError:
            summary = None
        return result, summary

    def remaining(self):
        """(items left in the table, how many of them the original's rule would still delete)."""
        plan = self._json([self.scavenger, "plan", "--table", TABLE, "--endpoint-url", self.url, *RULE,
                           "--segments", "4", "--progress", "never"], VERIFY_TIMEOUT_S, "scavenger plan")
        return plan["counts"]["scanned"], plan["counts"]["would_delete"]

    def verify(self, items, survivors, result, summary):
        """Exact when the run deleted items − survivors, and afterwards the table holds exactly
        `survivors` items, none of which the rule would delete. (The seed wrote exactly
        `survivors` items the rule keeps and a run only removes items, so the `survivors` left
        that the rule keeps are exactly the seeded survivors.) Returns (ok, detail)."""
        expected = items - survivors
        problems = []
        if result.timed_out:
            problems.append("timed out (killed)")
        if result.exit_code != 0:
            problems.append(f"exit code {result.exit_code}")
        if summary is None:
            problems.append("no JSON summary")
        else:
            counts = summary.get("counts", {})
            if counts.get("deleted") != expected:
                problems.append(f"deleted {counts.get('deleted')}, expected {expected}")
            if not summary.get("complete"):
                problems.append("incomplete")
        try:
            left, deletable = self.remaining()
        except step_failed as error:
            problems.append(f"verification scan failed: {error}")
            left = deletable = None
        else:
            if left != survivors:
                problems.append(f"{left} items left, expected {survivors}")
            if deletable != 0:
                problems.append(f"{deletable} deletable items left")
        detail = "; ".join(problems) if problems else f"{left} left = {survivors} survivors, 0 deletable"
        return not problems, detail, left
