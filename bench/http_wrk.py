#!/usr/bin/env python3
"""HTTP-mode benchmark: wrk against the hello function on TCP and the epoll reference beside it.

  http_wrk.py --ours HELLO --reference EPOLL_REFERENCE [--seconds S] [--rounds N]
              [--placement split|same|free] [--wrk PATH]

Both targets run at once on 127.0.0.1 (hello as on Knative or Cloud Run: PORT, FDK_HTTP_ADDRESS),
each answering POST / with {"name":"Bench"}. For 1 and 64 keep-alive connections, wrk loads one
target for S seconds, then the other, N rounds with the order alternating, so both see the same
machine noise. Printed per target, as medians over the rounds: requests per second, wrk's p50
latency and its mean latency (a long tail shows there), with ours relative to the reference.
Only prints; exits non-zero only when it could not measure (a target did not start or answered
wrongly, wrk failed). docs/benchmarks.md has numbers.
"""
import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

WRK_SCRIPT = """wrk.method = "POST"
wrk.body = '{"name":"Bench"}'
wrk.headers["Content-Type"] = "application/json"
"""
CONNECTIONS = (1, 64)
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_sets(placement):
    """(client CPUs, server CPUs) as taskset lists, or (None, None) for free placement."""
    allowed = sorted(os.sched_getaffinity(0))
    if placement == "free" or len(allowed) == 1:
        return None, None
    if placement == "same":
        return str(allowed[0]), str(allowed[0])
    return str(allowed[0]), ",".join(str(cpu) for cpu in allowed[1:])


def pinned(command, cpus):
    return command if cpus is None else ["taskset", "-c", cpus] + command


class Target:
    def __init__(self, name, binary, env, cpus, log):
        self.name = name
        self.port = free_port()
        environment = {key: value for key, value in os.environ.items()
                       if not key.startswith(("FN_", "AWS_LAMBDA", "Http_", "FDK_"))
                       and key not in ("mode", "upstream_url", "http_upstream_url")}
        environment.update(env)
        environment["PORT"] = str(self.port)
        self.process = subprocess.Popen(pinned([binary], cpus), env=environment,
                                        stdout=log, stderr=log, stdin=subprocess.DEVNULL)

    def wait_ready(self, timeout=10.0):
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            if self.process.poll() is not None:
                raise RuntimeError("%s exited with status %d before listening" % (self.name, self.process.returncode))
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("%s did not listen on 127.0.0.1:%d within %.0f s" % (self.name, self.port, timeout))

    def check_answer(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        connection.request("POST", "/", body='{"name":"Bench"}', headers={"Content-Type": "application/json"})
        answer = connection.getresponse()
        body = answer.read()
        connection.close()
        if answer.status != 200 or b"Hello Bench" not in body:
            raise RuntimeError("%s answered %d %r instead of the hello greeting" % (self.name, answer.status, body))

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=12)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def milliseconds(text):
    match = re.fullmatch(r"([0-9.]+)(us|ms|s)", text)
    if not match:
        raise RuntimeError("wrk printed a latency it cannot read: %r" % text)
    return float(match.group(1)) * UNITS[match.group(2)]


def run_wrk(wrk, script, target, connections, seconds, cpus):
    threads = min(connections, 2)
    command = pinned([wrk, "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--latency",
                      "-s", script, "http://127.0.0.1:%d/" % target.port], cpus)
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    if done.returncode != 0:
        raise RuntimeError("wrk failed against %s: %s" % (target.name, done.stderr.strip()))
    rate = re.search(r"Requests/sec:\s+([0-9.]+)", done.stdout)
    p50 = re.search(r"^\s+50%\s+(\S+)", done.stdout, re.MULTILINE)
    mean = re.search(r"^\s+Latency\s+(\S+)", done.stdout, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", done.stdout)
    if not rate or not p50 or not mean:
        raise RuntimeError("wrk's output against %s has no rate or p50:\n%s" % (target.name, done.stdout))
    if errors:
        print("  note: %s: %s" % (target.name, errors.group(0)), file=sys.stderr)
    return float(rate.group(1)), milliseconds(p50.group(1)), milliseconds(mean.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours", required=True)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--placement", choices=("split", "same", "free"), default="split")
    parser.add_argument("--wrk", default="wrk")
    options = parser.parse_args()

    client_cpus, server_cpus = cpu_sets(options.placement)
    log_path = os.path.join(tempfile.gettempdir(), "http_wrk-functions.log")
    with tempfile.TemporaryDirectory() as work, open(log_path, "w") as log:
        script = os.path.join(work, "post.lua")
        with open(script, "w") as out:
            out.write(WRK_SCRIPT)
        targets = [Target("fdk-cpp hello", options.ours, {"FDK_HTTP_ADDRESS": "127.0.0.1", "FDK_PLATFORM": "http"},
                          server_cpus, log),
                   Target("epoll reference", options.reference, {}, server_cpus, log)]
        try:
            for target in targets:
                target.wait_ready()
                target.check_answer()
            print("HTTP mode, wrk POST / on 127.0.0.1, %d s per run, %d rounds, placement %s"
                  % (options.seconds, options.rounds, options.placement))
            print("%-6s %11s %11s %7s %10s %10s %7s %10s %10s" % (
                "conns", "ours req/s", "ref req/s", "ratio", "ours p50", "ref p50", "ratio", "ours mean", "ref mean"))
            for connections in CONNECTIONS:
                runs = {target.name: [] for target in targets}
                for round_index in range(options.rounds):
                    order = targets if round_index % 2 == 0 else list(reversed(targets))
                    for target in order:
                        runs[target.name].append(run_wrk(options.wrk, script, target, connections,
                                                         options.seconds, client_cpus))
                ours, reference = (runs[target.name] for target in targets)
                ours_rate, ours_p50, ours_mean = (statistics.median(run[i] for run in ours) for i in range(3))
                ref_rate, ref_p50, ref_mean = (statistics.median(run[i] for run in reference) for i in range(3))
                print("%-6d %11.0f %11.0f %6.2fx %8.3fms %8.3fms %6.2fx %8.3fms %8.3fms" % (
                    connections, ours_rate, ref_rate, ours_rate / ref_rate, ours_p50, ref_p50, ours_p50 / ref_p50,
                    ours_mean, ref_mean))
        finally:
            for target in targets:
                target.stop()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as problem:
        print("http_wrk: cannot measure: %s" % problem, file=sys.stderr)
        sys.exit(1)
