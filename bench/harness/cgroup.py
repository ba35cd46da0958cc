"""A CPU-and-memory control group sized like a Lambda function, created and removed by the
harness itself: CPU quota = memory / 1,769 MB of one core, memory limit = memory.

cgroup v2 is used when its root offers the cpu and memory controllers; otherwise cgroup v1's
cpu and memory hierarchies. Groups are named scavenger-bench-<harness pid>-<n>, so a harness
killed with SIGKILL leaves groups that the next harness recognises and removes (their pid is
gone and they hold no process).
"""
import os
import re
import time

from . import costs

PREFIX = "scavenger-bench-"
CFS_PERIOD_US = 100_000
V1_ROOT = "/sys/fs/cgroup"
V2_CANDIDATES = ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"]


class unavailable(Exception):
    """No writable cgroup v1 or v2 with the cpu and memory controllers."""


def _read(path):
    with open(path) as f:
        return f.read().strip()


def _write(path, value):
    with open(path, "w") as f:
        f.write(str(value))


def _v2_root():
    for root in V2_CANDIDATES:
        controllers = os.path.join(root, "cgroup.controllers")
        if os.path.exists(controllers) and {"cpu", "memory"} <= set(_read(controllers).split()):
            return root
    return None


def _v1_dirs():
    cpu, memory = os.path.join(V1_ROOT, "cpu"), os.path.join(V1_ROOT, "memory")
    if os.access(os.path.join(cpu, "cpu.cfs_quota_us"), os.W_OK) and \
            os.access(os.path.join(memory, "memory.limit_in_bytes"), os.W_OK):
        return cpu, memory
    return None


def detect():
    """'v2' or 'v1': what this machine offers; raises `unavailable` with the reason."""
    if _v2_root():
        return "v2"
    if _v1_dirs():
        return "v1"
    raise unavailable("neither cgroup v2 with the cpu and memory controllers nor writable cgroup v1 "
                      "cpu and memory hierarchies (run as root on a machine that has them)")


def _parents():
    root = _v2_root()
    if root:
        return [root]
    dirs = _v1_dirs()
    return list(dirs) if dirs else []


def remove_stale():
    """Removes empty groups left by harnesses that are gone. Returns their paths."""
    removed = []
    for parent in _parents():
        for name in os.listdir(parent):
            match = re.fullmatch(re.escape(PREFIX) + r"(\d+)-\d+", name)
            if not match or os.path.exists(f"/proc/{match.group(1)}"):
                continue
            path = os.path.join(parent, name)
            try:
                if not _read(os.path.join(path, "cgroup.procs")):
                    os.rmdir(path)
                    removed.append(path)
            except OSError:
                pass
    return removed


class lambda_group:
    """One control group at a Lambda memory size. Use as a context manager; `enter` is the
    preexec_fn that moves the child into it; `stats()` after the child exits."""

    _count = 0

    def __init__(self, memory_mb):
        self.memory_mb = memory_mb
        self.quota_us = round(costs.cpu_share(memory_mb) * CFS_PERIOD_US)
        self.limit_bytes = memory_mb * 1024 * 1024
        lambda_group._count += 1
        self.name = f"{PREFIX}{os.getpid()}-{lambda_group._count}"
        self.version = detect()
        self.paths = []

    def __enter__(self):
        try:
            if self.version == "v2":
                self._create_v2()
            else:
                self._create_v1()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, *exc):
        self.remove()
        return False

    def _create_v2(self):
        root = _v2_root()
        subtree = os.path.join(root, "cgroup.subtree_control")
        enabled = set(_read(subtree).split())
        missing = [c for c in ("cpu", "memory") if c not in enabled]
        if missing:
            _write(subtree, " ".join("+" + c for c in missing))
        path = os.path.join(root, self.name)
        os.mkdir(path)
        self.paths = [path]
        _write(os.path.join(path, "cpu.max"), f"{self.quota_us} {CFS_PERIOD_US}")
        _write(os.path.join(path, "memory.max"), self.limit_bytes)
        if os.path.exists(os.path.join(path, "memory.swap.max")):
            _write(os.path.join(path, "memory.swap.max"), 0)

    def _create_v1(self):
        cpu_parent, memory_parent = _v1_dirs()
        cpu, memory = os.path.join(cpu_parent, self.name), os.path.join(memory_parent, self.name)
        os.mkdir(cpu)
        self.paths.append(cpu)
        os.mkdir(memory)
        self.paths.append(memory)
        _write(os.path.join(cpu, "cpu.cfs_period_us"), CFS_PERIOD_US)
        _write(os.path.join(cpu, "cpu.cfs_quota_us"), self.quota_us)
        _write(os.path.join(memory, "memory.limit_in_bytes"), self.limit_bytes)
        swap_limit = os.path.join(memory, "memory.memsw.limit_in_bytes")
        if os.path.exists(swap_limit):
            _write(swap_limit, self.limit_bytes)

    def enter(self):
        """preexec_fn: runs in the child between fork and exec."""
        for path in self.paths:
            _write(os.path.join(path, "cgroup.procs"), os.getpid())

    def stats(self):
        """CPU throttling and the group's peak memory charge (RSS + page cache it touched)."""
        out = {"cgroup": self.version, "cpu_quota_us": self.quota_us, "cpu_period_us": CFS_PERIOD_US,
               "memory_limit_mb": self.memory_mb}
        for path in self.paths:
            stat = os.path.join(path, "cpu.stat")
            if os.path.exists(stat):
                fields = dict(line.split() for line in _read(stat).splitlines())
                out["nr_periods"] = int(fields.get("nr_periods", 0))
                out["nr_throttled"] = int(fields.get("nr_throttled", 0))
                if "throttled_time" in fields:   # v1: nanoseconds
                    out["throttled_s"] = int(fields["throttled_time"]) / 1e9
                elif "throttled_usec" in fields:  # v2
                    out["throttled_s"] = int(fields["throttled_usec"]) / 1e6
            for name in ("memory.max_usage_in_bytes", "memory.peak"):
                if os.path.exists(os.path.join(path, name)):
                    out["memory_peak_mb"] = int(_read(os.path.join(path, name))) / 2**20
            for name in ("memory.failcnt",):
                if os.path.exists(os.path.join(path, name)):
                    out["memory_failcnt"] = int(_read(os.path.join(path, name)))
            events = os.path.join(path, "memory.events")
            oom = os.path.join(path, "memory.oom_control")
            for source in (events, oom):
                if os.path.exists(source):
                    fields = dict(line.split() for line in _read(source).splitlines())
                    if "oom_kill" in fields:
                        out["oom_kills"] = int(fields["oom_kill"])
        return out

    def remove(self):
        """Removes the group (its processes must have exited). Idempotent."""
        errors = []
        for path in reversed(self.paths):
            if not os.path.exists(path):
                continue
            # A process that outlived the run (it should not) is killed first: rmdir needs an
            # empty group.
            for pid in _read(os.path.join(path, "cgroup.procs")).split():
                try:
                    os.kill(int(pid), 9)
                except ProcessLookupError:
                    pass
            for _ in range(100):
                try:
                    os.rmdir(path)
                    break
                except OSError as error:
                    last = error
                    time.sleep(0.05)
            else:
                errors.append(f"{path}: {last}")
        self.paths = [p for p in self.paths if os.path.exists(p)]
        if errors:
            raise OSError("could not remove control group: " + "; ".join(errors))


def exists(name_prefix=PREFIX):
    """Paths of our groups that still exist (for the harness's own after-check)."""
    found = []
    for parent in _parents():
        found += [os.path.join(parent, n) for n in os.listdir(parent) if n.startswith(name_prefix)]
    return found
