"""One DynamoDB Local for the whole harness, started and stopped by the project's own script
(scripts/dynamodb-local.sh: a free loopback port, -Xmx1g, in memory; `stop` signals only the pid
it recorded)."""
import os
import subprocess


class dynamodb_local:
    def __init__(self, root, state_dir):
        self.script = os.path.join(root, "scripts", "dynamodb-local.sh")
        self.state_dir = state_dir
        self.url = None

    def __enter__(self):
        os.makedirs(self.state_dir, exist_ok=True)
        try:
            result = subprocess.run([self.script, "start", self.state_dir], check=True, text=True,
                                    stdout=subprocess.PIPE, timeout=300)
        except BaseException:
            self.stop()
            raise
        self.url = result.stdout.strip().splitlines()[-1]
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def stop(self):
        subprocess.run([self.script, "stop", self.state_dir], check=False, timeout=120)

    @property
    def pid(self):
        try:
            with open(os.path.join(self.state_dir, "pid")) as f:
                return int(f.read())
        except (OSError, ValueError):
            return None

    @property
    def port(self):
        return int(self.url.rsplit(":", 1)[1])
