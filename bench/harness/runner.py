"""Runs the experiment: the original's table (unconstrained client), the Lambda-size profile
(the client inside a Lambda-sized control group), the delaying proxy's ceiling and the latency
profile. Every run is recorded (a failed one too, marked failed), and results.json is rewritten
after each, so an interrupted harness still leaves what it measured."""
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

from . import cgroup, emulator, estimate, original, processes, workload


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load(results_dir):
    with open(os.path.join(results_dir, "results.json")) as f:
        results = json.load(f)
    meta = results["meta"]
    if "sessions" not in meta:  # written by a harness that ran one session and kept it in meta
        keys = ("started", "finished", "elapsed_s", "loadavg_start", "loadavg_end", "estimate_s", "complete",
                "interrupted", "left_behind")
        meta["sessions"] = [{k: meta.pop(k) for k in keys if k in meta}]
        meta["sessions"][0]["profiles"] = ["table", "latency", "lambda"]
    return results


def save(results, results_dir):
    os.makedirs(results_dir, exist_ok=True)
    path = os.path.join(results_dir, "results.json")
    with open(path + ".tmp", "w") as f:
        json.dump(results, f, indent=1)
    os.replace(path + ".tmp", path)


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def machine(scavenger):
    info = {"kernel": platform.release(), "cores": os.cpu_count(), "python": platform.python_version()}
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        info["memory_gb"] = round(int(f.readline().split()[1]) / 2**20, 1)
    try:
        with open("/etc/os-release") as f:
            info["os"] = dict(l.rstrip().split("=", 1) for l in f if "=" in l).get("PRETTY_NAME", "").strip('"')
    except OSError:
        pass
    version = subprocess.run([scavenger, "version"], capture_output=True, text=True)
    info["scavenger"] = version.stdout.strip() or version.stderr.strip()
    java = subprocess.run(["java", "-version"], capture_output=True, text=True)
    info["java"] = (java.stderr.splitlines() or [""])[0]
    return info


class experiment:
    def __init__(self, args, work_dir):
        self.args = args
        self.work_dir = work_dir
        self.results = {"meta": {}, "runs": []}
        self.kept = []  # runs of earlier sessions (--append)
        self.count = 0

    # ---- one measured run --------------------------------------------------------------------

    def measured_before(self, profile, readers, deleters, mode, memory_mb=None, delay_ms=None):
        """With --append: this configuration already has a verified run in the kept results."""
        return self.args.append and any(
            r["profile"] == profile and r["status"] == "ok" and r["readers"] == readers and r["deleters"] == deleters
            and r["mode"] == mode and r["memory_mb"] == memory_mb and r["delay_ms"] == delay_ms
            for r in self.kept)

    def record(self, profile, row, readers, deleters, mode, items, survivors, memory_mb=None,
               delay_ms=None, group=None, via_proxy=None, note=""):
        """Seeds, runs and verifies one configuration; appends its record (failed or not)."""
        self.count += 1
        tag = f"{self.count:03d}-{profile}-{mode}-{readers}-{deleters}"
        entry = {"profile": profile, "row": row.key if row else None, "memory_mb": memory_mb,
                 "readers": readers, "deleters": deleters, "mode": mode, "items": items,
                 "survivors": survivors, "delay_ms": delay_ms, "status": "failed", "detail": ""}
        log(f"{profile}: {mode} readers {readers} deleters {deleters}"
            + (f" at {memory_mb} MB" if group else "") + (f" behind {delay_ms} ms" if delay_ms is not None else "")
            + f", {items} items")
        try:
            self.load.seed(items, survivors)
            try:
                endpoint = via_proxy() if via_proxy else None
                result, summary = self.load.run(readers, deleters, mode, endpoint=endpoint,
                                                preexec_fn=group.enter if group else None,
                                                timeout_s=self.args.run_timeout_s, tag=tag)
            finally:
                if self.proxy:
                    entry["proxy"] = self.stop_proxy()
            if group:
                entry["cgroup"] = group.stats()
            ok, detail, left = self.load.verify(items, survivors, result, summary)
            entry.update(status="ok" if ok else "failed", detail=detail, left=left,
                         exit_code=result.exit_code, wall_s=round(result.wall_s, 3),
                         cpu_s=round(result.cpu_s, 3), max_rss_mb=round(result.max_rss_mb, 1))
            if summary:
                deleted = summary["counts"].get("deleted", 0)
                entry.update(deleted=deleted, run_duration_s=summary.get("duration_s"),
                             items_per_s=round(deleted / result.wall_s, 1) if result.wall_s else None,
                             requests=summary.get("requests", {}), consumed=summary.get("consumed", {}),
                             errors=summary.get("errors", {}), concurrency=summary.get("concurrency"))
            if not ok:
                entry["log_tail"] = result.stderr.strip()[-800:]
        except (workload.step_failed, RuntimeError, OSError) as error:
            # Seeding, the proxy or the control group failed: the row stays, marked failed.
            entry["detail"] = f"{type(error).__name__}: {error}"
        entry["loadavg"] = loadavg()
        self.results["runs"].append(entry)
        save(self.results, self.args.results_dir)
        log(f"  -> {entry['status']}: {entry.get('wall_s', '-')} s, {entry.get('items_per_s', '-')} items/s, "
            f"CPU {entry.get('cpu_s', '-')} s, RSS {entry.get('max_rss_mb', '-')} MB; {entry['detail']}")
        return entry

    # ---- the delaying proxy --------------------------------------------------------------------

    def start_proxy(self, delay_ms):
        self.proxy = processes.background([self.proxy_binary, "--upstream", f"127.0.0.1:{self.ddb.port}",
                                           "--delay-ms", str(delay_ms)])
        port = int(self.proxy.first_line.rsplit(":", 1)[1])
        return f"http://127.0.0.1:{port}"

    def stop_proxy(self):
        output = self.proxy.stop()
        stats = {"cpu_s": round(self.proxy.cpu_s, 3), "max_rss_mb": round(self.proxy.usage.ru_maxrss / 1024, 1),
                 "exit_code": self.proxy.process.returncode}
        for line in output.splitlines():
            if line.startswith("{"):
                stats.update(json.loads(line))
        self.proxy = None
        return stats

    # ---- the profiles ------------------------------------------------------------------------------

    def table(self):
        for row in self.args.rows:
            for mode in self.args.modes:
                if self.measured_before("table", row.readers, row.deleters, mode, row.memory_mb):
                    continue
                self.record("table", row, row.readers, row.deleters, mode, self.args.items, self.args.survivors,
                            memory_mb=row.memory_mb)

    def best(self, mode):
        """The fastest verified row of the original's table in this mode (scavenger's best
        settings), or None."""
        candidates = [r for r in self.results["runs"] if r["profile"] == "table" and r["mode"] == mode
                      and r["status"] == "ok"]
        return min(candidates, key=lambda r: r["wall_s"]) if candidates else None

    def lambda_size(self):
        try:
            version = cgroup.detect()
        except cgroup.unavailable as error:
            self.results["meta"]["lambda_size_skipped"] = str(error)
            log(f"Lambda-size profile skipped: {error}")
            return
        self.results["meta"]["cgroup"] = version
        # scavenger's best settings at 128 MB first: the comparison with the original's cheapest
        # row rests on them, and a harness stopped early should have them.
        plan = []
        for mode in self.args.lambda_modes:
            top = self.best(mode)
            if top and top["memory_mb"] != 128:
                plan.append((original.by_key(top["row"]), 128, mode))
        # Then mode by mode: a harness stopped early has one mode's profile whole.
        plan += [(row, row.memory_mb, mode) for mode in self.args.lambda_modes for row in self.args.rows]
        for row, memory_mb, mode in plan:
            if self.measured_before("lambda", row.readers, row.deleters, mode, memory_mb):
                continue
            with cgroup.lambda_group(memory_mb) as group:
                self.record("lambda", row, row.readers, row.deleters, mode, self.args.items, self.args.survivors,
                            memory_mb=memory_mb, group=group)

    def proxy_ceiling(self):
        """The proxy at 0 ms against a direct connection, side by side: the same Scan of the
        whole table (bytes) and the same batch run (requests, many connections)."""
        items, survivors = self.args.items, self.args.survivors
        readers, deleters = 10, 20
        if self.args.append and self.results.get("proxy_scans") and \
                self.measured_before("proxy_ceiling", readers, deleters, "batch", delay_ms=0):
            return
        scans = []
        self.load.seed(items, survivors)
        for attempt in range(2):
            for via in ("direct", "proxy"):
                endpoint = self.start_proxy(0) if via == "proxy" else self.load.url
                argv = [self.scavenger, "plan", "--all", "--table", workload.TABLE, "--endpoint-url", endpoint,
                        "--segments", "10", "--progress", "never"]
                try:
                    result = processes.run(argv, self.load.env, 600)
                finally:
                    proxy = self.stop_proxy() if via == "proxy" else None
                scanned = json.loads(result.stdout)["counts"]["scanned"] if result.exit_code == 0 else None
                scans.append({"via": via, "wall_s": round(result.wall_s, 3), "scanned": scanned,
                              "exit_code": result.exit_code, "proxy": proxy})
                log(f"proxy ceiling: scan {via}: {result.wall_s:.2f} s, {scanned} items")
        self.results["proxy_scans"] = scans
        save(self.results, self.args.results_dir)
        for via in ("direct", "proxy"):
            self.record("proxy_ceiling", None, readers, deleters, "batch", items, survivors,
                        delay_ms=0 if via == "proxy" else None,
                        via_proxy=(lambda: self.start_proxy(0)) if via == "proxy" else None)

    def latency(self):
        delay = self.args.delay_ms
        for readers, deleters in self.args.latency_settings:
            for mode in self.args.modes:
                guess = estimate.latency_run_s(mode, deleters, delay, self.args.items - self.args.survivors)
                items = self.args.items if guess <= self.args.latency_max_run_s else min(self.args.small_items,
                                                                                          self.args.items)
                survivors = self.args.survivors if items == self.args.items else original.survivors_for(items)
                if self.measured_before("latency", readers, deleters, mode, delay_ms=delay):
                    continue
                self.record("latency", None, readers, deleters, mode, items, survivors, delay_ms=delay,
                            via_proxy=lambda: self.start_proxy(delay))

    def warm_up(self):
        """An untimed small run, so the emulator's JIT is warm for the first measured row."""
        items = min(20_000, self.args.items)
        log("warm-up: an untimed batch run on a small table")
        self.load.seed(items, original.survivors_for(items))
        self.load.run(10, 20, "batch", timeout_s=600, tag="warm-up")

    # ---- all of it ---------------------------------------------------------------------------------

    def run(self):
        args = self.args
        bin_dir = os.path.join(self.work_dir, "bin")
        os.makedirs(bin_dir)
        # Private copies: a rebuild of the shared build tree during a long run must not swap
        # the binaries under it.
        self.scavenger = shutil.copy(os.path.join(args.build_dir, "app", "scavenger"), bin_dir)
        self.proxy_binary = None
        self.proxy = None
        if not args.skip_latency:
            self.proxy_binary = shutil.copy(os.path.join(args.build_dir, "bench", "scavenger_delay_proxy"), bin_dir)
        meta = self.begin_session()
        stale = cgroup.remove_stale()
        if stale:
            log(f"removed control groups left by an earlier harness: {', '.join(stale)}")
        total = estimate.total_s(args, self.measured_before)
        session = meta["sessions"][-1]
        session["estimate_s"] = round(total)
        log(f"estimated time: about {total / 60:.0f} minutes on an otherwise idle 2-core machine")
        started = time.monotonic()
        with emulator.dynamodb_local(args.root, args.emulator_state) as ddb:
            self.ddb = ddb
            self.load = workload.workload(self.scavenger, ddb.url, self.work_dir)
            log(f"DynamoDB Local at {ddb.url} (pid {ddb.pid})")
            try:
                if not args.no_warmup:
                    self.warm_up()
                if not args.skip_table:
                    self.table()
                if not args.skip_latency:
                    self.proxy_ceiling()
                    self.latency()
                if not args.skip_lambda_size:
                    self.lambda_size()
                session["complete"] = True
            except KeyboardInterrupt as why:
                session["interrupted"] = str(why) or "interrupted"
                log(f"interrupted ({session['interrupted']}): cleaning up")
            finally:
                if self.proxy:
                    self.proxy.stop()
                processes.kill_all_started()
        session.update(finished=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), loadavg_end=loadavg(),
                       elapsed_s=round(time.monotonic() - started), left_behind=self.left_behind())
        save(self.results, args.results_dir)
        return self.results

    def begin_session(self):
        """The run's description; with --append, the earlier results are kept and this session's
        runs are added to them (same table size required)."""
        args = self.args
        path = os.path.join(args.results_dir, "results.json")
        if args.append and os.path.exists(path):
            self.results = load(args.results_dir)
            self.kept = list(self.results["runs"])
            meta = self.results["meta"]
            if (meta["items"], meta["survivors"]) != (args.items, args.survivors):
                raise SystemExit(f"harness: --append to results of {meta['items']} items / {meta['survivors']} "
                                 f"survivors, not {args.items} / {args.survivors}")
            meta["modes"] += [m for m in args.modes if m not in meta["modes"]]
            meta["lambda_modes"] = meta.get("lambda_modes", meta["modes"])
            meta["lambda_modes"] += [m for m in args.lambda_modes if m not in meta["lambda_modes"]]
            known = set(meta["rows"]) | {r.key for r in args.rows}
            meta["rows"] = [r.key for r in original.ROWS if r.key in known]
        else:
            meta = self.results["meta"]
            meta.update(machine=machine(self.scavenger), items=args.items, survivors=args.survivors,
                        modes=args.modes, lambda_modes=args.lambda_modes, rows=[r.key for r in args.rows],
                        delay_ms=args.delay_ms, label=args.label, sessions=[])
        if args.label:
            meta["label"] = args.label
        profiles = [name for name, skipped in (("table", args.skip_table), ("latency", args.skip_latency),
                                               ("lambda", args.skip_lambda_size)) if not skipped]
        meta["sessions"].append({"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                 "loadavg_start": loadavg(), "profiles": profiles, "complete": False,
                                 "scavenger": machine(self.scavenger)["scavenger"],
                                 "argv": sys.argv[1:]})
        return meta

    def left_behind(self):
        """What the harness started that still exists after it (the report says; should be none)."""
        found = [f"control group {p}" for p in cgroup.exists(f"{cgroup.PREFIX}{os.getpid()}-")]
        if self.ddb.pid and processes.alive(self.ddb.pid):
            found.append(f"DynamoDB Local pid {self.ddb.pid}")
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        argv0 = f.read().split(b"\0")[0]
                except OSError:
                    continue
                if self.proxy_binary and argv0 == self.proxy_binary.encode():
                    found.append(f"delay proxy pid {pid}")
        return found


def run(args):
    work_dir = tempfile.mkdtemp(prefix="scavenger-bench.")
    try:
        return experiment(args, work_dir).run()
    finally:
        processes.kill_all_started()
        shutil.rmtree(work_dir, ignore_errors=True)
