#!/usr/bin/env python3
"""Writes fdk/hot_path.ld: the functions an Fn function runs, laid out side by side.

    bench/hot_path.py BUILD_DIR > fdk/hot_path.ld

The kernel maps a binary's code 64 KiB at a time around each page fault (fault-around), so the
resident code of a function is the number of 64 KiB windows its start and its calls touch, not
the size of that code. Laid out in source order, hello's start-up and call path were spread
over 10 of the binary's 12 windows of code (636 KiB resident); gathered, they take about 260 KiB
(docs/benchmarks.md, "RSS after load: the call path in one stretch").

This links BUILD_DIR's examples/hello again with a link map (the build's own command; the build
has -ffunction-sections, so each function is an input section), runs that binary under
callgrind, sends it calls on ten connections at once (so the handler threads run too), stops it
with SIGTERM and lists, in their present order, the input sections in which an instruction ran.
A section name with copies in several objects (a local function, an .isra clone of a template)
is named with the object whose copy ran.

The output is a GNU ld script inserted before the default .text (INSERT): its .text lists those
sections first, then takes every other code section with the default script's own patterns, so
the default .text stays empty and is dropped. A separate output section (say .text.hot_path)
would be simpler, but valgrind only knows code in .text: callgrind showed the hot functions as
??? in it. A function renamed since the list was made only falls back to its default place:
regenerate the list after changing the runtime's call path, then relink (ninja does not know
the script is an input: remove the binaries).
"""
import bisect
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

# The input sections of the default script's .text (`ld --verbose`), in its order.
DEFAULT_TEXT = [
    "*(.text.unlikely .text.*_unlikely .text.unlikely.*)",
    "*(.text.exit .text.exit.*)",
    "*(.text.startup .text.startup.*)",
    "*(.text.hot .text.hot.*)",
    "*(SORT(.text.sorted.*))",
    "*(.text .stub .text.* .gnu.linkonce.t.*)",
    "*(.gnu.warning)",
]
CONNECTIONS = 10
CALLS_PER_CONNECTION = 30
START_WAIT_SECONDS = 60


def link_with_map(build_dir, directory):
    """Links examples/hello again exactly as the build does, into `directory`, with a link map.
    Returns the binary and the map."""
    commands = subprocess.run(["ninja", "-C", build_dir, "-t", "commands", "examples/hello/hello"],
                              capture_output=True, text=True, check=True).stdout.splitlines()
    binary = os.path.join(directory, "hello")
    link_map = os.path.join(directory, "hello.map")
    command = commands[-1].replace("-o examples/hello/hello",
                                   "-o " + binary + " -Wl,-Map=" + link_map, 1)
    subprocess.run(command, shell=True, cwd=build_dir, check=True)
    return binary, link_map


def text_input_sections(link_map):
    """[(address, size, section name, object file)] of the code in the map's .text, by address."""
    sections = []
    name = None
    in_text = False
    for line in open(link_map):
        if line.startswith(".text "):
            in_text = True
            continue
        if in_text and re.match(r"^\.\w", line):
            break
        if not in_text:
            continue
        whole = re.match(r"^ (\.text\S*)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)", line)
        alone = re.match(r"^ (\.text\S*)\s*$", line)
        rest = re.match(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)", line)
        if whole:
            sections.append((int(whole.group(2), 16), int(whole.group(3), 16), whole.group(1), whole.group(4)))
            name = None
        elif alone:
            name = alone.group(1)
        elif rest and name:
            sections.append((int(rest.group(1), 16), int(rest.group(2), 16), name, rest.group(3)))
            name = None
    return sorted(section for section in sections if section[1] > 0)


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


def profile(binary, build_dir, output):
    """Runs `binary` (hello) under callgrind, sends it calls, stops it: the profile in `output`."""
    driver = os.path.join(build_dir, "bench/fdk_bench")
    with tempfile.TemporaryDirectory() as directory:
        socket_path = os.path.join(directory, "lsnr.sock")
        environment = dict(os.environ, FN_FORMAT="http-stream", FN_TYPE="sync", FN_APP_ID="app",
                           FN_FN_ID="fn", FN_MEMORY="128", FN_LISTENER="unix:" + socket_path)
        function = subprocess.Popen(["valgrind", "--tool=callgrind", "--dump-instr=yes",
                                     "--callgrind-out-file=" + output, binary],
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


def object_name(file):
    """The map's "lib.a(member.o)" or "dir/member.o" as a linker script file pattern that matches
    that object wherever it is linked from (libfdk.a, the internal archives, libfdk.so)."""
    member = re.sub(r"^.*\((.*)\)$", r"\1", file)
    return "*" + os.path.basename(member)


def main(arguments):
    if len(arguments) != 1:
        sys.exit(__doc__)
    build_dir = arguments[0]
    with tempfile.TemporaryDirectory() as directory:
        binary, link_map = link_with_map(build_dir, directory)
        profile_path = os.path.join(directory, "callgrind.out")
        profile(binary, build_dir, profile_path)
        addresses = executed_addresses(profile_path, binary)
        sections = text_input_sections(link_map)
    starts = [address for address, _, _, _ in sections]
    ran = {}
    for address in addresses:
        index = bisect.bisect_right(starts, address) - 1
        if index >= 0 and address < sections[index][0] + sections[index][1]:
            ran[index] = sections[index]
    copies = {}
    for _, _, name, _ in sections:
        copies[name] = copies.get(name, 0) + 1
    print("/* The sections of the functions examples/hello runs to start and to answer calls, in")
    print("   one stretch of the binary: generated by bench/hot_path.py (read it for why); do not")
    print("   edit. Every link in the project uses it with GNU ld (meson.build). */")
    print("SECTIONS")
    print("{")
    print("  .text :")
    print("  {")
    for index in sorted(ran):
        _, _, name, file = ran[index]
        # a local function (an .isra clone, say) has copies in several objects: only the one
        # that ran
        print("    " + (object_name(file) if copies[name] > 1 else "*") + "(" + name + ")")
    print("    /* the rest as GNU ld's default script lays out .text (binutils 2.40) */")
    for patterns in DEFAULT_TEXT:
        print("    " + patterns)
    print("  }")
    print("}")
    print("INSERT BEFORE .text;")


if __name__ == "__main__":
    main(sys.argv[1:])
