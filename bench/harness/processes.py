"""Child processes measured the way the issue asks: wall seconds, CPU seconds and peak RSS from
the kernel's own accounting (wait4's rusage of exactly that child), with a watchdog, and never
left behind: every process the harness starts is registered and killed by pid on the way out.
"""
import ctypes
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

_live = {}  # pid -> Popen, for the last-resort cleanup
_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_harness(then=None):
    """A preexec_fn: the child gets SIGKILL when the harness dies, even by SIGKILL (Linux)."""
    def preexec():
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if then:
            then()
    return preexec


@dataclass
class measured:
    argv: list
    exit_code: int          # negative: killed by that signal
    wall_s: float
    cpu_s: float            # user + system
    max_rss_mb: float
    timed_out: bool
    stdout: str
    stderr: str


def run(argv, env, timeout_s, preexec_fn=None, stdout_path=None, stderr_path=None):
    """Runs argv to completion (or kills it after timeout_s) and measures it."""
    out = open(stdout_path, "w+") if stdout_path else subprocess.PIPE
    err = open(stderr_path, "w+") if stderr_path else subprocess.PIPE
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                             preexec_fn=_die_with_harness(preexec_fn))
    _live[child.pid] = child
    timed_out = threading.Event()

    def expire():
        timed_out.set()
        _kill(child.pid)

    watchdog = threading.Timer(timeout_s, expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        stdout_text = stderr_text = ""
        if out is subprocess.PIPE or err is subprocess.PIPE:
            # Small outputs only (summaries): read them, then reap with rusage.
            stdout_text, stderr_text = (s or "" for s in _drain(child))
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    except BaseException:
        _kill(child.pid)
        raise
    finally:
        watchdog.cancel()
        _live.pop(child.pid, None)
    for handle, name in ((out, "stdout"), (err, "stderr")):
        if handle is not subprocess.PIPE:
            handle.seek(0)
            text = handle.read()
            handle.close()
            if name == "stdout":
                stdout_text = text
            else:
                stderr_text = text
    return measured(argv, child.returncode, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                    timed_out.is_set(), stdout_text, stderr_text)


def _drain(child):
    """Reads the child's pipes to EOF without reaping it (communicate() would reap it and lose
    the rusage)."""
    results = {}

    def read(name, pipe):
        results[name] = pipe.read().decode(errors="replace") if pipe else ""

    threads = [threading.Thread(target=read, args=(n, p)) for n, p in (("out", child.stdout), ("err", child.stderr))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results["out"], results["err"]


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class background:
    """A long-lived helper process (the delay proxy): started, its first stdout line read, and
    stopped with SIGTERM (then SIGKILL) by pid; its rusage is collected when it is reaped."""

    def __init__(self, argv, env=None, ready_timeout_s=10):
        self.process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        _live[self.process.pid] = self.process
        self.usage = None
        self.output = ""
        result = {}
        reader = threading.Thread(target=lambda: result.setdefault("line", self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(ready_timeout_s)
        line = result.get("line", "")
        if not line:
            self.stop()
            raise RuntimeError(f"{argv[0]} did not start: {self.output or 'no output'}")
        self.first_line = line.strip()

    def stop(self, grace_s=5):
        """Stops the process and returns its remaining stdout. Idempotent."""
        if self.usage is not None:
            return self.output
        process = self.process
        try:
            process.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + grace_s
        status = usage = None
        while time.monotonic() < deadline:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.02)
        else:
            _kill(process.pid)
            _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        self.usage = usage
        self.output = (process.stdout.read() or "") + (process.stderr.read() or "")
        _live.pop(process.pid, None)
        return self.output

    @property
    def cpu_s(self):
        return self.usage.ru_utime + self.usage.ru_stime if self.usage else None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


def kill_all_started():
    """Last resort on the way out: SIGKILL every process this harness started that still runs."""
    for pid in list(_live):
        _kill(pid)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        _live.pop(pid, None)


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
