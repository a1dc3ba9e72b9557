#!/usr/bin/env python3
"""Lambda custom-runtime timings of a function binary (docs/lambda.md records the numbers).

  lambda_startup.py spawn BINARY [RUNS]      spawn -> first GET .../invocation/next, against a
                                             listener on 127.0.0.1 standing in for the Runtime API
  lambda_startup.py invoke RIE BINARY [RUNS] invocations through the Runtime Interface Emulator:
                                             the caller's round trip, and the emulator's own
                                             "INVOKE RTDONE duration" (next answered -> result
                                             posted: the runtime's per-invoke time)
"""
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def summary(name, samples):
    return "%s: median %.2f ms, min %.2f ms, max %.2f ms over %d runs" % (
        name, statistics.median(samples), min(samples), max(samples), len(samples))


def spawn_to_next(binary, runs):
    samples = []
    for _ in range(runs):
        with socket.socket() as server:
            server.bind(("127.0.0.1", 0))
            server.listen(1)
            env = {"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:%d" % server.getsockname()[1]}
            start = time.perf_counter()
            child = subprocess.Popen([binary], env=env, stderr=subprocess.DEVNULL)
            connection, _ = server.accept()
            request = b""
            while b"\r\n\r\n" not in request:
                request += connection.recv(4096)
            samples.append((time.perf_counter() - start) * 1000)
            child.kill()
            child.wait()
            connection.close()
            if not request.startswith(b"GET /2018-06-01/runtime/invocation/next "):
                sys.exit("the binary's first request is not GET next: %r" % request[:80])
    print(summary("spawn -> first next", samples))


def invoke(rie, binary, runs):
    work = tempfile.mkdtemp(prefix="fdk-lambda-bench-")
    shutil.copy(binary, os.path.join(work, "bootstrap"))
    api, invoke_port = free_port(), free_port()
    log = open(os.path.join(work, "rie.log"), "w+")
    emulator = subprocess.Popen([rie, "--runtime-api-address", "127.0.0.1:%d" % api,
                                 "--runtime-interface-emulator-address", "127.0.0.1:%d" % invoke_port,
                                 os.path.join(work, "bootstrap")], stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(500):
            try:
                socket.create_connection(("127.0.0.1", invoke_port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.01)
        client = http.client.HTTPConnection("127.0.0.1", invoke_port, timeout=20)
        samples = []
        for i in range(runs + 1):
            start = time.perf_counter()
            client.request("POST", "/2015-03-31/functions/function/invocations", body=b'{"name":"bench"}')
            answer = client.getresponse().read()
            if i > 0:  # the first invoke also starts the runtime
                samples.append((time.perf_counter() - start) * 1000)
            if b"Hello bench" not in answer:
                sys.exit("unexpected answer %r" % answer[:200])
        print(summary("caller round trip through the emulator", samples))
        log.flush()
        log.seek(0)
        durations = [float(d) for d in re.findall(r"INVOKE RTDONE\(status: success.*?duration: ([0-9.]+)ms", log.read())]
        print(summary("runtime per invoke (emulator's RTDONE duration)", durations[1:]))
    finally:
        children = subprocess.run(["pgrep", "-P", str(emulator.pid)], capture_output=True, text=True).stdout.split()
        for pid in [emulator.pid] + [int(c) for c in children]:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        emulator.wait()
        shutil.rmtree(work)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "spawn":
        spawn_to_next(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 30)
    elif len(sys.argv) >= 4 and sys.argv[1] == "invoke":
        invoke(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 200)
    else:
        sys.exit(__doc__)
