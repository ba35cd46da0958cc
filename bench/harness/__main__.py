"""The benchmark harness's command line: `PYTHONPATH=bench python3 -m harness [options]`
(scripts/bench.sh builds first and runs it with the defaults). See bench/README.md."""
import argparse
import os
import signal
import sys
import tempfile

from . import costs, original, report, runner

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def settings_list(text):
    """'1/1,10/20' -> [(1, 1), (10, 20)] (readers/deleters)."""
    pairs = []
    for item in text.split(","):
        readers, deleters = item.split("/")
        pairs.append((int(readers), int(deleters)))
    return pairs


def parse(argv):
    p = argparse.ArgumentParser(prog="harness", description=__doc__,
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    build = os.environ.get("SCAVENGER_BUILD_DIR", os.path.join(ROOT, "build"))
    p.add_argument("--build-dir", default=build, help="where scavenger and scavenger_delay_proxy were built")
    p.add_argument("--rows", default=",".join(r.key for r in original.ROWS),
                   help="the original's rows to run, as MEMORY/READERS/DELETERS")
    p.add_argument("--modes", default="batch,conditional", help="delete modes")
    p.add_argument("--items", type=int, default=original.ITEMS, help="table size")
    p.add_argument("--survivors", type=int, help="items the rule keeps (default: the original's 3,300 in 130,000)")
    p.add_argument("--skip-table", action="store_true", help="skip the original's table (unconstrained client)")
    p.add_argument("--skip-latency", action="store_true", help="skip the latency profile and the proxy's ceiling")
    p.add_argument("--skip-lambda-size", action="store_true", help="skip the Lambda-size profile")
    p.add_argument("--lambda-modes", help="delete modes of the Lambda-size profile (default: --modes)")
    p.add_argument("--delay-ms", type=float, default=5.0, help="the latency profile's added round trip")
    p.add_argument("--latency-settings", type=settings_list, default=settings_list("1/1,10/20,100/100"),
                   help="READERS/DELETERS settings of the latency profile")
    p.add_argument("--latency-max-run-s", type=float, default=300,
                   help="a latency run estimated longer than this uses the small table")
    p.add_argument("--small-items", type=int, default=original.SMALL_ITEMS, help="the latency profile's small table")
    p.add_argument("--run-timeout-s", type=float, default=3600, help="a run still going after this is killed (failed)")
    p.add_argument("--no-warmup", action="store_true", help="skip the untimed warm-up run of the emulator's JIT")
    p.add_argument("--lambda-usd-per-gb-s", type=float, default=costs.LAMBDA_USD_PER_GB_S)
    p.add_argument("--ddb-usd-per-million-wru", type=float, default=costs.DDB_USD_PER_MILLION_WRU)
    p.add_argument("--ddb-usd-per-million-rru", type=float, default=costs.DDB_USD_PER_MILLION_RRU)
    p.add_argument("--emulator-state", default=os.path.join(tempfile.gettempdir(), "scavenger-bench-emulator"),
                   help="DynamoDB Local's state directory (one harness at a time per directory: a start "
                        "stops an emulator a killed harness left there)")
    p.add_argument("--results-dir", default=os.path.join(ROOT, "bench", "results"),
                   help="results.json and chart.svg go here")
    p.add_argument("--markdown", default=os.path.join(ROOT, "BENCHMARKS.md"), help="the report")
    p.add_argument("--report-only", action="store_true",
                   help="run nothing: rewrite the report and the chart from RESULTS_DIR/results.json")
    p.add_argument("--append", action="store_true",
                   help="keep the runs already in RESULTS_DIR/results.json, run only the configurations "
                        "without a verified run there, and add them (resume a stopped harness, or add a "
                        "profile later); 'best settings' come from the kept table")
    p.add_argument("--label", default="", help="a line placed at the top of the report (e.g. 'partial run')")
    args = p.parse_args(argv)
    args.modes = [m for m in args.modes.split(",") if m]
    args.lambda_modes = [m for m in (args.lambda_modes.split(",") if args.lambda_modes else args.modes) if m]
    for mode in set(args.modes) | set(args.lambda_modes):
        if mode not in ("batch", "conditional"):
            p.error(f"unknown delete mode {mode!r}: batch or conditional")
    try:
        args.rows = [original.by_key(k) for k in args.rows.split(",") if k]
    except KeyError as error:
        p.error(str(error))
    if args.survivors is None:
        args.survivors = original.survivors_for(args.items)
    if not 0 <= args.survivors < args.items:
        p.error("--survivors must be at least 0 and below --items")
    args.prices = costs.prices(args.lambda_usd_per_gb_s, args.ddb_usd_per_million_wru, args.ddb_usd_per_million_rru)
    args.root = ROOT
    return args


def main(argv):
    args = parse(argv)
    if args.report_only:
        results = runner.load(args.results_dir)
        report.write(results, args)
        return 0

    # SIGTERM and SIGHUP end the harness like Ctrl-C: through the finally blocks that stop the
    # emulator and the proxies and remove the control groups.
    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    results = runner.run(args)
    report.write(results, args)
    failed = [r for r in results["runs"] if r["status"] != "ok"]
    if results["meta"]["sessions"][-1].get("interrupted"):
        print("harness: interrupted; the report holds what was measured", file=sys.stderr)
        return 130
    if failed:
        print(f"harness: {len(failed)} run(s) failed (marked in the report)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
