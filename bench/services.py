"""Services the benchmarks start for themselves: a free port, a throwaway
PostgreSQL cluster, a Redis without persistence, and stopping what they started."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pg_bin(name):
    found = shutil.which(name) or next(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), None)
    if not found:
        sys.exit(f"{name} not found: install PostgreSQL's server package")
    return str(found)


class PostgreSQL:
    """A throwaway cluster, owned by `postgres` when we are root (initdb refuses root)."""

    def __init__(self, folder):
        self.data = folder / "pg"
        self.port = free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        folder.chmod(0o755)
        self.data.mkdir()
        if self.as_user:
            shutil.chown(self.data, "postgres", "postgres")
        self.run(pg_bin("initdb"), "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def run(self, *args):
        subprocess.run([*self.as_user, *map(str, args)], check=True, capture_output=True)

    def start(self):
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=on"
        self.run(
            pg_bin("pg_ctl"), "-D", self.data, "-o", options, "-l", self.data / "log", "-w", "start"
        )

    def kill(self):
        self.run(pg_bin("pg_ctl"), "-D", self.data, "-m", "immediate", "stop")

    def url(self, name="chaos"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


class Redis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def stop(process):
    """Stop a process and, for the worker loops (sessions of their own), their children."""
    if process.poll() is not None:
        return
    try:
        if os.getpgid(process.pid) == process.pid:
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.terminate()
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        process.kill()
