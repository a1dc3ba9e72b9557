#!/usr/bin/env python3
"""Cold start of a function binary: spawn -> lsnr.sock appears -> first response complete.

    cold_start.py [--runs N] BINARY [BINARY ...]

For each run: a fresh socket directory, the binary started with FN_LISTENER as the Fn agent
sets it, lsnr.sock polled every 100 us, one `POST /call` sent the moment it exists, and the
time until the whole response has arrived. The process is then killed (as the agent does)
and not timed. Prints the median, the 10th and 90th percentiles and the minimum per binary.
"""

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time

REQUEST = (b"POST /call HTTP/1.1\r\nHost: localhost\r\nFn-Call-Id: 01COLDSTART\r\n"
           b"Fn-Deadline: 2099-01-01T00:00:00Z\r\nContent-Type: application/json\r\n"
           b"Content-Length: 15\r\n\r\n{\"name\":\"cold\"}")


def one_run(binary):
    directory = tempfile.mkdtemp(prefix="fdk-cold-")
    path = os.path.join(directory, "lsnr.sock")
    env = dict(os.environ, FN_LISTENER="unix:" + path, FN_FORMAT="http-stream",
               FN_APP_ID="cold-app", FN_FN_ID="cold-fn", FN_MEMORY="128", FN_TYPE="sync")
    start = time.perf_counter()
    process = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not os.path.exists(path):
            if process.poll() is not None:
                raise RuntimeError("%s exited with %d before creating its socket" % (binary, process.returncode))
            if time.perf_counter() - start > 5:
                raise RuntimeError("%s did not create lsnr.sock within 5 s" % binary)
            time.sleep(0.0001)
        ready = time.perf_counter()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(path)
            connection.sendall(REQUEST)
            data = b""
            while b"\r\n\r\n" not in data:
                data += connection.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(body) < length:
                body += connection.recv(65536)
        done = time.perf_counter()
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError("%s answered %r" % (binary, head.split(b"\r\n")[0]))
        return ready - start, done - start
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        shutil.rmtree(directory, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("binaries", nargs="+")
    options = parser.parse_args()
    for binary in options.binaries:
        one_run(binary)  # warm the page cache
        ready, done = zip(*(one_run(os.path.abspath(binary)) for _ in range(options.runs)))
        ms = lambda values, q: statistics.quantiles(values, n=10)[q] * 1000
        print("%s: socket ready median %.2f ms; first response median %.2f ms (p10 %.2f, p90 %.2f, min %.2f) over %d runs"
              % (binary, statistics.median(ready) * 1000, statistics.median(done) * 1000,
                 ms(done, 0), ms(done, 8), min(done) * 1000, options.runs))


if __name__ == "__main__":
    main()
