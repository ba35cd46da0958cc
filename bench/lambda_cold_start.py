#!/usr/bin/env python3
"""Lambda cold start and memory of the `bootstrap` runtime, against a local Runtime API.

  bench/lambda_cold_start.py [--runs 20] [--items 130000] [--survivors 3300] [--build build]

1. Cold start: the time from spawning `bootstrap` to its first GET .../invocation/next, over
   --runs process starts (median, min, max). The Runtime API here is a small local server that
   follows the published protocol; the process is killed once it has asked for work.
2. Peak RSS of one invocation over the original's table: DynamoDB Local is started
   (scripts/dynamodb-local.sh), seeded with `scavenger seed`, and one batch-mode event is served
   to `bootstrap` under /usr/bin/time -v; the maximum resident set size is reported.
"""
import argparse, http.server, json, os, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class RuntimeApi(http.server.ThreadingHTTPServer):
    """GET /next answers the queued event once, then holds further polls; records the answers."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.first_poll = threading.Event()
        self.first_poll_at = None
        self.event = None
        self.served = False
        self.answer = None
        self.answered = threading.Event()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        api = self.server
        if api.first_poll_at is None:
            api.first_poll_at = time.perf_counter()
            api.first_poll.set()
        if api.event is None or api.served:
            time.sleep(3600)  # a long poll: the process is killed before this ends
            return
        api.served = True
        body = json.dumps(api.event).encode()
        self.send_response(200)
        self.send_header("Lambda-Runtime-Aws-Request-Id", "bench-1")
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 900_000))
        self.send_header("Lambda-Runtime-Trace-Id", "Root=1-bench")
        self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:scavenger")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.server.answer = (self.path, self.rfile.read(length).decode())
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.server.answered.set()


def serve():
    api = RuntimeApi()
    threading.Thread(target=api.serve_forever, daemon=True).start()
    return api


def environment(api, extra):
    env = {"PATH": "/usr/bin:/bin", "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{api.server_address[1]}",
           "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
           "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128"}
    env.update(extra)
    return env


def cold_starts(bootstrap, runs):
    samples = []
    for _ in range(runs):
        api = serve()
        started = time.perf_counter()
        child = subprocess.Popen([bootstrap], env=environment(api, {"SCAVENGER_TABLE": "Workers"}),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not api.first_poll.wait(10):
            child.kill()
            sys.exit("bootstrap never polled /next")
        samples.append((api.first_poll_at - started) * 1000)
        child.kill()
        child.wait()
        api.shutdown()
    return samples


def peak_rss(build, bootstrap, items, survivors):
    state = tempfile.mkdtemp(prefix="scavenger-cold-start.")
    url = subprocess.run([f"{ROOT}/scripts/dynamodb-local.sh", "start", state], check=True,
                         capture_output=True, text=True).stdout.strip()
    try:
        creds = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_REGION": "us-east-1"}
        subprocess.run([f"{build}/app/scavenger", "seed", "--table", "Workers", "--items", str(items), "--survivors",
                        str(survivors), "--endpoint-url", url], check=True, env=creds, stdout=subprocess.DEVNULL)
        api = serve()
        api.event = {"table": "Workers", "filter": "#Comp = :NCompl OR #Comp = :SCompl",
                     "expressionAttributeNames": {"#Comp": "Completed"},
                     "expressionAttributeValues": {":NCompl": {"N": "1"}, ":SCompl": {"S": "1"}},
                     "olderThan": "48h", "ageAttribute": "StartExecutionTime", "deleteMode": "batch",
                     "segments": 10, "readers": 10, "deleters": 32}
        report = tempfile.NamedTemporaryFile(suffix=".time", delete=False).name
        child = subprocess.Popen(["/usr/bin/time", "-v", "-o", report, bootstrap],
                                 env=environment(api, {"SCAVENGER_ENDPOINT_URL": url}),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not api.answered.wait(600):
            child.kill()
            sys.exit("no answer from bootstrap within 10 minutes")
        time.sleep(0.2)
        subprocess.run(["pkill", "-TERM", "-P", str(child.pid)])  # bootstrap, the child of time
        child.wait()
        rss_kb = next(int(line.split(":")[1]) for line in open(report) if "Maximum resident set size" in line)
        path, body = api.answer
        summary = json.loads(body)
        api.shutdown()
        return rss_kb / 1024, path, summary
    finally:
        subprocess.run([f"{ROOT}/scripts/dynamodb-local.sh", "stop", state])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--items", type=int, default=130000)
    parser.add_argument("--survivors", type=int, default=3300)
    parser.add_argument("--build", default=f"{ROOT}/build")
    args = parser.parse_args()
    bootstrap = f"{args.build}/app/bootstrap"

    samples = cold_starts(bootstrap, args.runs)
    print(f"cold start to first /next: median {statistics.median(samples):.1f} ms, "
          f"min {min(samples):.1f} ms, max {max(samples):.1f} ms over {len(samples)} starts (aim: < 20 ms)")
    rss, path, summary = peak_rss(args.build, bootstrap, args.items, args.survivors)
    counts = summary.get("counts", {})
    print(f"one {args.items:,}-item invocation: peak RSS {rss:.1f} MB (aim: < 20 MB), answered on {path}, "
          f"complete={summary.get('complete')}, deleted={counts.get('deleted')}, duration_s={summary.get('duration_s')}")


if __name__ == "__main__":
    main()
