#!/usr/bin/env python3
"""Checks an init-image tar the way `fn init --init-image` consumes it.

    check_init_tar.py TAR FUNCTION_NAME
    check_init_tar.py --func-yaml FILE FUNCTION_NAME    (a scaffolded directory's func.yaml)
    check_init_tar.py --self-test                       (the checks reject broken tars)

The fn CLI reads the init image's stdout with Go's archive/tar and creates only regular files
and directories, in stream order, in the current directory: anything else is dropped silently,
and a file whose directory has not been created yet fails. So the tar must be uncompressed,
hold only regular files and directories with relative paths, list every directory before its
contents, and contain func.init.yaml (the fields the CLI merges into func.yaml) with
`runtime: docker`. fdk-cpp's template must also bring the Dockerfile, meson.build, main.cpp
and the function's source, header and unit test named after the function.
"""

import io
import re
import sys
import tarfile

MERGED_FIELDS = {"build", "build_image", "cmd", "content_type", "entrypoint", "expects",
                 "run_image", "runtime", "deploy"}


def parse_simple_yaml(text):
    """A strict parser for the flat `key: scalar` YAML the template writes."""
    values = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*):[ \t]+([^#\s][^#]*?)[ \t]*", line)
        if not match:
            raise ValueError("line %d is not 'key: value': %r" % (number, line))
        if match.group(1) in values:
            raise ValueError("line %d repeats %r" % (number, match.group(1)))
        values[match.group(1)] = match.group(2)
    return values


def parse_yaml(text):
    values = parse_simple_yaml(text)
    try:
        import yaml  # PyYAML, when installed, must agree with the strict parser
    except ImportError:
        return values
    document = yaml.safe_load(text)
    if not isinstance(document, dict) or {k: str(v) for k, v in document.items()} != values:
        raise ValueError("PyYAML reads %r, the strict parser %r" % (document, values))
    return values


def identifier(name):
    ident = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return "fn_" + ident if ident[0].isdigit() else ident


def check_tar(data, name):
    """Returns a list of problems (empty when the tar is what fn init needs)."""
    problems = []
    if data[:2] == b"\x1f\x8b" or data[:3] == b"BZh" or data[:6] == b"\xfd7zXZ\x00":
        return ["the stream is compressed; fn init reads a plain tar"]
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:")
        members = archive.getmembers()
    except tarfile.TarError as error:
        return ["not a tar stream: %s" % error]
    if not members:
        return ["the tar is empty"]
    seen_dirs, files = set(), {}
    for member in members:
        path = member.name.rstrip("/")
        if path.startswith("./"):
            path = path[2:]
        if member.name.startswith("/") or ".." in path.split("/"):
            problems.append("%s: absolute or escaping path" % member.name)
        if member.isdir():
            seen_dirs.add(path)
        elif member.isreg():
            files[path] = archive.extractfile(member).read()
        else:
            problems.append("%s: type %r is neither a regular file nor a directory (fn init drops it)"
                            % (member.name, member.type.decode()))
            continue
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        while parent:
            if parent not in seen_dirs:
                problems.append("%s comes before its directory %s" % (member.name, parent))
                break
            parent = parent.rsplit("/", 1)[0] if "/" in parent else ""
    if "func.init.yaml" not in files:
        problems.append("func.init.yaml is missing")
    else:
        try:
            meta = parse_yaml(files["func.init.yaml"].decode("utf-8"))
            if meta.get("runtime") != "docker":
                problems.append("func.init.yaml: runtime is %r, not docker" % meta.get("runtime"))
            extra = set(meta) - MERGED_FIELDS
            if extra:
                problems.append("func.init.yaml: fields the CLI ignores: %s" % sorted(extra))
        except (ValueError, UnicodeDecodeError) as error:
            problems.append("func.init.yaml is not valid: %s" % error)
    ident = identifier(name)
    for required in ["Dockerfile", "meson.build", "main.cpp", ident + ".cpp", ident + ".hpp", ident + "_test.cpp"]:
        if required not in files:
            problems.append("%s is missing" % required)
    if "Dockerfile" in files and ("/function/%s" % ident).encode() not in files["Dockerfile"]:
        problems.append("the Dockerfile does not run /function/%s" % ident)
    if "meson.build" in files and ("project('%s'" % name).encode() not in files["meson.build"]:
        problems.append("meson.build does not declare project('%s')" % name)
    return problems


def check_func_yaml(path, name):
    with open(path, encoding="utf-8") as handle:
        meta = parse_yaml(handle.read())
    expected = {"schema_version": "20180708", "name": name, "version": "0.0.1", "runtime": "docker"}
    return [] if meta == expected else ["func.yaml is %r, expected %r" % (meta, expected)]


def make_tar(entries):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, kind, content in entries:
            info = tarfile.TarInfo(name)
            info.type = kind
            if kind == tarfile.SYMTYPE:
                info.linkname = "Dockerfile"
            if content is not None:
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
            else:
                archive.addfile(info)
    return buffer.getvalue()


def self_test():
    good = [("func.init.yaml", tarfile.REGTYPE, b"runtime: docker\n"),
            ("Dockerfile", tarfile.REGTYPE, b'ENTRYPOINT ["/function/f"]\n'),
            ("meson.build", tarfile.REGTYPE, b"project('f', 'cpp')\n"),
            ("main.cpp", tarfile.REGTYPE, b""), ("f.cpp", tarfile.REGTYPE, b""),
            ("f.hpp", tarfile.REGTYPE, b""), ("f_test.cpp", tarfile.REGTYPE, b"")]
    cases = {
        "a good tar": (good, False),
        "a symlink": (good + [("link", tarfile.SYMTYPE, None)], True),
        "a file before its directory": (good + [("src/x.cpp", tarfile.REGTYPE, b""), ("src", tarfile.DIRTYPE, None)], True),
        "no func.init.yaml": (good[1:], True),
        "runtime not docker": ([("func.init.yaml", tarfile.REGTYPE, b"runtime: go\n")] + good[1:], True),
        "invalid YAML": ([("func.init.yaml", tarfile.REGTYPE, b"runtime docker\n")] + good[1:], True),
        "no unit test": (good[:-1], True),
    }
    bad = 0
    for label, (entries, should_fail) in cases.items():
        problems = check_tar(make_tar(entries), "f")
        if bool(problems) != should_fail:
            print("self-test: %s: expected %s, got %s" % (label, "problems" if should_fail else "none", problems))
            bad += 1
    import gzip
    if not check_tar(gzip.compress(make_tar(good)), "f"):
        print("self-test: a gzip-compressed tar was accepted")
        bad += 1
    print("self-test: %d of %d cases behaved" % (len(cases) + 1 - bad, len(cases) + 1))
    return 1 if bad else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) == 4 and argv[1] == "--func-yaml":
        problems = check_func_yaml(argv[2], argv[3])
    elif len(argv) == 3:
        with open(argv[1], "rb") as handle:
            problems = check_tar(handle.read(), argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for problem in problems:
        print("problem: " + problem)
    if not problems:
        print("the fn init rules hold")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
