#!/usr/bin/env python3
"""Writes fdk/hot_path.ld: the functions an Fn function runs, laid out side by side.

    bench/hot_path.py BUILD_DIR > fdk/hot_path.ld

The kernel maps a binary's code 64 KiB at a time around each page fault (fault-around), so the
resident code of a function is the number of 64 KiB windows its start and its calls touch, not
the size of that code. Laid out in source order, hello's start-up and call path were spread
over 10 of the binary's 12 windows of code (636 KiB resident); gathered, they take 324 KiB
(docs/benchmarks.md, "RSS after load: the call path in one stretch").

This runs BUILD_DIR's examples/hello under callgrind (it must be built with the project's
-ffunction-sections, which every build has), sends it calls on ten connections at once (so the
handler threads run too), stops it with SIGTERM and lists, in their present order, the sections
of every function that ran. The script is a GNU ld script that only adds an output section
before .text (INSERT), so the default layout stays as it is for everything else. A function
renamed since the list was made simply falls back to the default place: regenerate the list
after changing the runtime's call path.
"""
import bisect
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

CONNECTIONS = 10
CALLS_PER_CONNECTION = 30
START_WAIT_SECONDS = 60


def text_symbols(binary):
    """[(address, size, mangled name)] of the binary's functions, by address."""
    listing = subprocess.run(["nm", "--defined-only", "-S", binary], capture_output=True, text=True,
                             check=True).stdout
    symbols = []
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[2] in "tTwW":
            symbols.append((int(fields[0], 16), int(fields[1], 16), fields[3]))
    return sorted(symbols)


def executed_addresses(profile, binary):
    """Addresses of the instructions callgrind saw run in `binary` (offsets in the file, as
    callgrind gives them for a position-independent executable)."""
    names = {}
    current_object = None
    last = 0
    addresses = set()
    for line in open(profile):
        if line.startswith(("ob=", "cob=")):
            # "(id) name" defines a compressed name, "(id)" refers to one
            match = re.match(r"\((\d+)\)(?: (.*))?", line.split("=", 1)[1].strip())
            if match.group(2) is not None:
                names[match.group(1)] = match.group(2)
            if line.startswith("ob="):
                current_object = names[match.group(1)]
            continue
        if not line or not (line[0].isdigit() or line[0] in "+-*"):
            continue
        position = line.split()[0]
        if position.startswith("0x"):
            last = int(position, 16)
        elif position.startswith("+"):
            last += int(position[1:], 0)
        elif position.startswith("-"):
            last -= int(position[1:], 0)
        elif position != "*":
            last = int(position)
        if current_object == binary:
            addresses.add(last)
    return addresses


def profile_hello(build_dir, profile):
    binary = os.path.realpath(os.path.join(build_dir, "examples/hello/hello"))
    driver = os.path.join(build_dir, "bench/fdk_bench")
    with tempfile.TemporaryDirectory() as directory:
        socket_path = os.path.join(directory, "lsnr.sock")
        environment = dict(os.environ, FN_FORMAT="http-stream", FN_TYPE="sync", FN_APP_ID="app",
                           FN_FN_ID="fn", FN_MEMORY="128", FN_LISTENER="unix:" + socket_path)
        function = subprocess.Popen(["valgrind", "--tool=callgrind", "--dump-instr=yes",
                                     "--callgrind-out-file=" + profile, binary],
                                    env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_WAIT_SECONDS
        while not os.path.exists(socket_path):
            if time.monotonic() > deadline or function.poll() is not None:
                function.kill()
                sys.exit("hot_path.py: hello did not start under callgrind")
            time.sleep(0.2)
        drivers = [subprocess.Popen([driver, "--drive", socket_path, "--calls", str(CALLS_PER_CONNECTION)],
                                    stdout=subprocess.DEVNULL) for _ in range(CONNECTIONS)]
        for each in drivers:
            each.wait()
        function.send_signal(signal.SIGTERM)
        function.wait(timeout=START_WAIT_SECONDS)
    return binary


def section_patterns(name):
    """Where GCC's -ffunction-sections puts function `name` (main and static initialisers go to
    .text.startup; a function's cold part, name.cold, stays with the rarely run code)."""
    return " ".join(prefix + name for prefix in (".text.", ".text.startup.", ".text.hot."))


def main(arguments):
    if len(arguments) != 1:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as directory:
        profile = os.path.join(directory, "callgrind.out")
        binary = profile_hello(arguments[0], profile)
        addresses = executed_addresses(profile, binary)
    symbols = text_symbols(binary)
    starts = [address for address, _, _ in symbols]
    ran = {}
    for address in addresses:
        index = bisect.bisect_right(starts, address) - 1
        if index >= 0:
            start, size, name = symbols[index]
            if start <= address < start + max(size, 1) and not name.endswith(".cold"):
                ran[start] = name
    print("/* The sections of the functions examples/hello runs to start and to answer calls, in")
    print("   one stretch of the binary: generated by bench/hot_path.py (read it for why); do not")
    print("   edit. Every link in the project uses it with GNU ld (meson.build). */")
    print("SECTIONS")
    print("{")
    print("  .text.hot_path :")
    print("  {")
    for start in sorted(ran):
        print("    *(" + section_patterns(ran[start]) + ")")
    print("  }")
    print("}")
    print("INSERT BEFORE .text;")


if __name__ == "__main__":
    main(sys.argv[1:])
