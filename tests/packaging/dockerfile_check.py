#!/usr/bin/env python3
"""Checks a Dockerfile without a Docker engine, and replays its build steps on this host.

    dockerfile_check.py lint   DOCKERFILE --kind function|build|init [--arg NAME=VALUE ...]
    dockerfile_check.py replay DOCKERFILE --context DIR --work DIR [--arg NAME=VALUE ...]
                               [--map CONTAINER_PATH=HOST_PATH ...] [--path DIR ...]

lint parses the file the way the Dockerfile frontend does (continuations, comments, parser
directives, JSON and shell forms) and enforces fdk-cpp's image rules: known instructions,
consistent stage names and ARGs, `sh -n` clean RUN lines, and for function images a final
stage running as uid 1000 with an exec-form ENTRYPOINT, no VOLUME, small run bases.

replay performs the same steps on this host: each stage gets a directory standing in for its
file system; COPY copies (honouring .dockerignore for the context); RUN runs the very same
command text under bash with the container paths the stage owns mapped into that directory
(and --map for others, e.g. /usr/local to a scratch prefix). A RUN that installs Debian
packages cannot be replayed without root and network; instead every package it names must be
installed here. Every line printed starts with "ok" or "FAIL"; the exit status is 1 on any FAIL.
"""

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys

KNOWN = {"FROM", "ARG", "ENV", "WORKDIR", "COPY", "ADD", "RUN", "USER", "ENTRYPOINT", "CMD",
         "LABEL", "EXPOSE", "HEALTHCHECK", "SHELL", "STOPSIGNAL", "ONBUILD", "VOLUME",
         "MAINTAINER"}
failures = 0


def ok(message):
    print("ok   " + message)


def fail(message):
    global failures
    failures += 1
    print("FAIL " + message)


class Instruction:
    def __init__(self, line, keyword, text):
        self.line, self.keyword, self.text = line, keyword, text

    def exec_form(self):
        """The JSON array of an exec-form instruction, or None for shell form."""
        if not self.text.lstrip().startswith("["):
            return None
        value = json.loads(self.text)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("exec form must be a JSON array of strings")
        return value


def parse(path):
    """Splits a Dockerfile into instructions; returns (directives, instructions)."""
    directives, instructions = {}, []
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    in_header = True
    pending, start = None, 0
    for number, raw in enumerate(lines, 1):
        stripped = raw.strip()
        if pending is None:
            if in_header:
                match = re.match(r"#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$", stripped)
                if match:
                    directives[match.group(1).lower()] = match.group(2)
                    continue
            if not stripped or stripped.startswith("#"):
                in_header = in_header and stripped.startswith("#")
                continue
            in_header = False
            pending, start = "", number
        elif stripped.startswith("#"):
            continue  # comment lines inside a continuation are dropped
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1]  # the frontend joins continued lines directly
            continue
        pending += raw
        keyword, _, rest = pending.strip().partition(" ")
        instructions.append(Instruction(start, keyword.upper(), rest.strip()))
        pending = None
    if pending is not None:
        raise ValueError("the file ends inside a line continuation")
    return directives, instructions


def substitute(text, values):
    def one(match):
        name = match.group(1) or match.group(2)
        return values.get(name, "")
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", one, text)


def referenced(text):
    return set(a or b for a, b in re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", text))


def split_flags(text):
    """COPY/FROM flags (--from=x) and the remaining words."""
    words = text.split()
    flags = {}
    while words and words[0].startswith("--"):
        name, _, value = words.pop(0)[2:].partition("=")
        flags[name] = value
    return flags, words


class Stage:
    def __init__(self, index, base, name, line):
        self.index, self.base, self.name, self.line = index, base, name, line
        self.instructions = []
        self.args = {}


def stages_of(instructions, build_args):
    """Global ARGs and the stages, with FROM lines resolved against the ARG values."""
    global_args, stages = {}, []
    for ins in instructions:
        if ins.keyword == "ARG" and not stages:
            name, _, default = ins.text.partition("=")
            global_args[name] = build_args.get(name, default)
        elif ins.keyword == "FROM":
            flags, words = split_flags(ins.text)
            if len(words) not in (1, 3) or (len(words) == 3 and words[1].upper() != "AS"):
                raise ValueError("line %d: FROM must be 'FROM image [AS name]'" % ins.line)
            base = substitute(words[0], global_args)
            stages.append(Stage(len(stages), base, words[2] if len(words) == 3 else None, ins.line))
        elif not stages:
            raise ValueError("line %d: %s before the first FROM" % (ins.line, ins.keyword))
        else:
            stages[-1].instructions.append(ins)
    return global_args, stages


def stage_by_name(stages, name, before):
    for stage in stages[:before]:
        if stage.name == name or str(stage.index) == name:
            return stage
    return None


def image_chain(stages, stage):
    """The stages an image is built from, base first (FROM an earlier stage inherits it)."""
    chain = [stage]
    while True:
        parent = stage_by_name(stages, chain[0].base, chain[0].index)
        if parent is None:
            return chain
        chain.insert(0, parent)


def lint(path, kind, build_args):
    label = os.path.relpath(path)
    try:
        directives, instructions = parse(path)
        global_args, stages = stages_of(instructions, build_args)
    except (ValueError, OSError) as error:
        fail("%s: cannot parse: %s" % (label, error))
        return
    ok("%s: parsed %d instructions in %d stages" % (label, len(instructions), len(stages)))
    if "syntax" in directives:
        # A syntax directive makes BuildKit pull a frontend image: no build without a registry.
        fail("%s: syntax directive %r needs a registry; the built-in frontend is enough" % (label, directives["syntax"]))

    problems = []
    names = [s.name for s in stages if s.name]
    if len(names) != len(set(names)):
        problems.append("stage names repeat: %s" % names)
    for name in names:
        if name != name.lower():
            problems.append("stage name %r must be lower case" % name)
    for stage in stages:
        declared = set()
        for ins in stage.instructions:
            if ins.keyword not in KNOWN:
                problems.append("line %d: unknown instruction %s" % (ins.line, ins.keyword))
                continue
            if ins.keyword == "VOLUME":
                problems.append("line %d: VOLUME is not allowed (Fn containers have a read-only root)" % ins.line)
            if ins.keyword == "MAINTAINER":
                problems.append("line %d: MAINTAINER is deprecated; use LABEL" % ins.line)
            if ins.keyword == "ADD":
                problems.append("line %d: use COPY, not ADD" % ins.line)
            if ins.keyword in ("ARG", "ENV"):
                declared.add(ins.text.partition("=")[0].split()[0])
            elif ins.keyword in ("RUN", "COPY", "WORKDIR", "USER"):
                unknown = referenced(ins.text) - declared
                if ins.keyword != "RUN" and unknown:
                    problems.append("line %d: %s uses undeclared %s" % (ins.line, ins.keyword, sorted(unknown)))
                if ins.keyword == "RUN" and unknown & set(global_args):
                    problems.append("line %d: RUN uses global ARG %s without redeclaring it in the stage"
                                    % (ins.line, sorted(unknown & set(global_args))))
            if ins.keyword == "COPY":
                flags, words = split_flags(ins.text)
                if len(words) < 2:
                    problems.append("line %d: COPY needs a source and a destination" % ins.line)
                if "from" in flags and stage_by_name(stages, flags["from"], stage.index) is None:
                    problems.append("line %d: COPY --from=%s names no earlier stage" % (ins.line, flags["from"]))
            if ins.keyword == "RUN":
                form = ins.exec_form()
                if form is None:
                    check = subprocess.run(["sh", "-n", "-c", ins.text], capture_output=True, text=True)
                    if check.returncode != 0:
                        problems.append("line %d: RUN is not valid sh: %s" % (ins.line, check.stderr.strip()))
            if ins.keyword in ("ENTRYPOINT", "CMD"):
                try:
                    if ins.exec_form() is None:
                        problems.append("line %d: %s must use the exec (JSON) form so the function gets signals"
                                        % (ins.line, ins.keyword))
                except ValueError as error:
                    problems.append("line %d: %s: %s" % (ins.line, ins.keyword, error))
    for problem in problems:
        fail("%s: %s" % (label, problem))
    if not problems:
        ok("%s: instructions, stage names, ARGs, COPY --from and RUN syntax are consistent" % label)

    final = image_chain(stages, stages[-1])
    summary = "final image %s" % " <- ".join(s.name or "(last stage)" for s in reversed(final))
    user = entry = None
    for stage in final:
        for ins in stage.instructions:
            if ins.keyword == "USER":
                user = ins.text
            if ins.keyword == "ENTRYPOINT":
                entry = ins.exec_form()
    if kind == "function":
        if user not in ("1000", "1000:1000"):
            fail("%s: %s runs as %r, Fn needs uid 1000" % (label, summary, user))
        elif not entry:
            fail("%s: %s has no exec-form ENTRYPOINT" % (label, summary))
        elif final[0].base not in ("debian:12-slim", "scratch"):
            fail("%s: %s starts from %s; the run stage must be debian:12-slim or scratch"
                 % (label, summary, final[0].base))
        else:
            ok("%s: %s runs %s as uid %s on %s" % (label, summary, entry, user, final[0].base))
    elif kind == "init":
        if not entry:
            fail("%s: the init image has no exec-form ENTRYPOINT" % label)
        else:
            ok("%s: init image entrypoint %s" % (label, entry))
    elif kind == "build":
        if final[0].base != "debian:12":
            fail("%s: the build image must start from debian:12, not %s" % (label, final[0].base))
        else:
            ok("%s: build image on %s" % (label, final[0].base))


# ---------------------------------------------------------------------------------------- replay

def dockerignore_patterns(context):
    path = os.path.join(context, ".dockerignore")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return [l.strip().rstrip("/") for l in handle if l.strip() and not l.startswith("#")]


def ignored(relative, patterns):
    parts = relative.split("/")
    for pattern in patterns:
        depth = pattern.count("/") + 1
        if fnmatch.fnmatchcase("/".join(parts[:depth]), pattern):
            return True
    return False


def copy_tree(source, target, patterns=None, base=""):
    if os.path.isdir(source) and not os.path.islink(source):
        os.makedirs(target, exist_ok=True)
        shutil.copymode(source, target)  # COPY keeps modes (a 1777 /tmp stays 1777)
        for entry in sorted(os.listdir(source)):
            relative = base + "/" + entry if base else entry
            if patterns and ignored(relative, patterns):
                continue
            copy_tree(os.path.join(source, entry), os.path.join(target, entry), patterns, relative)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=True)


def map_paths(text, mapping):
    """Replaces container paths by host paths in one pass (a replacement is never re-mapped)."""
    if not mapping:
        return text
    keys = "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
    pattern = r"(?<![\w./-])(" + keys + r")(?=[/\s\"'*;&|)]|$)"
    return re.sub(pattern, lambda m: mapping[m.group(1)], text)


def package_list(text, mapping):
    """The packages a RUN apt-get line installs: from a list file it reads, or named inline."""
    files = re.findall(r"(?:xargs\s+-a|grep\s+-v\s+'\^#')\s+(\S+)", text)
    packages = []
    for name in files:
        with open(map_paths(name, mapping), encoding="utf-8") as handle:
            packages += [l.strip() for l in handle if l.strip() and not l.startswith("#")]
    inline = re.search(r"apt-get install((?:\s+-\S+)*)((?:\s+[a-z0-9][a-z0-9.+-]+)+)\s*(?:&&|$)", text)
    if inline:
        packages += inline.group(2).split()
    return files, packages


def replay(path, context, work, build_args, extra_maps, path_dirs):
    label = os.path.relpath(path)
    _, instructions = parse(path)
    global_args, stages = stages_of(instructions, build_args)
    final = image_chain(stages, stages[-1])
    needed = set()
    for stage in final:  # the stages the final image needs, and the ones they copy from
        needed.add(stage.index)
    changed = True
    while changed:
        changed = False
        for stage in stages:
            if stage.index not in needed:
                continue
            for ins in stage.instructions:
                if ins.keyword == "COPY":
                    source = split_flags(ins.text)[0].get("from")
                    if source:
                        for s in image_chain(stages, stage_by_name(stages, source, stage.index)):
                            if s.index not in needed:
                                needed.add(s.index)
                                changed = True
    patterns = dockerignore_patterns(context)
    roots = {}
    for stage in stages:
        if stage.index not in needed:
            continue
        parent = stage_by_name(stages, stage.base, stage.index)
        root = os.path.join(work, "stage-%d-%s" % (stage.index, stage.name or "final"))
        if parent is not None:
            shutil.copytree(roots[parent.index], root, symlinks=True)
        else:
            os.makedirs(root)
        roots[stage.index] = root
        values = dict(global_args)
        env = {}
        workdir = "/"
        owned = set()
        for ins in stage.instructions:
            if ins.keyword == "ARG":
                name, _, default = ins.text.partition("=")
                values[name] = build_args.get(name, global_args.get(name, default))
                env[name] = values[name]
            elif ins.keyword == "ENV":
                name, _, value = ins.text.partition("=")
                values[name] = env[name] = substitute(value, values)
            elif ins.keyword == "WORKDIR":
                workdir = substitute(ins.text, values)
                owned.add(workdir)
                os.makedirs(root + workdir, exist_ok=True)
            elif ins.keyword == "COPY":
                flags, words = split_flags(substitute(ins.text, values))
                sources, dest = words[:-1], words[-1]
                if not dest.startswith("/"):
                    dest = os.path.join(workdir, dest)
                owned.add(dest.rstrip("/") or "/")
                if "from" in flags:
                    origin = roots[stage_by_name(stages, flags["from"], stage.index).index]
                else:
                    origin = context
                for source in sources:
                    host = os.path.normpath(os.path.join(origin, source.lstrip("/")))
                    if not os.path.exists(host):
                        fail("%s: line %d: COPY source %s does not exist" % (label, ins.line, source))
                        continue
                    if os.path.isdir(host):
                        target = root + dest
                    elif dest.endswith("/") or len(sources) > 1:
                        target = os.path.join(root + dest, os.path.basename(host))
                    else:
                        target = root + dest
                        owned.add(os.path.dirname(dest))
                    copy_tree(host, target, patterns if origin == context else None)
                ok("%s: line %d: COPY %s" % (label, ins.line, ins.text))
            elif ins.keyword == "RUN":
                text = ins.text if ins.exec_form() is None else " ".join(
                    "'" + w.replace("'", "'\\''") + "'" for w in ins.exec_form())
                mapping = {p: root + p for p in owned if p != "/"}
                for word in re.findall(r"(?<![\w./$-])(/[A-Za-z0-9_.-]+)", text):
                    if not os.path.exists(word) and word not in mapping:
                        mapping[word] = root + word  # a top-level directory only the image has
                mapping.update(extra_maps)
                if "apt-get install" in text:
                    files, packages = package_list(text, mapping)
                    missing = [p for p in packages if subprocess.run(
                        ["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True
                    ).stdout != "install ok installed"]
                    if not packages:
                        fail("%s: line %d: cannot tell which packages this RUN installs" % (label, ins.line))
                    elif missing:
                        fail("%s: line %d: packages not installed on this host: %s" % (label, ins.line, missing))
                    else:
                        ok("%s: line %d: apt-get install not replayed (needs root and network); its %d "
                           "packages are installed here: %s" % (label, ins.line, len(packages), " ".join(packages)))
                    continue
                command = map_paths(text, mapping)
                run_env = dict(os.environ)
                run_env.update(env)
                run_env["PATH"] = os.pathsep.join(path_dirs + [run_env.get("PATH", "")])
                cwd = map_paths(workdir, mapping) if workdir != "/" else root
                log = os.path.join(work, "run-line-%d.log" % ins.line)
                with open(log, "w") as output:
                    result = subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=cwd,
                                            env=run_env, stdout=output, stderr=subprocess.STDOUT)
                if result.returncode != 0:
                    with open(log) as output:
                        tail = output.read()[-3000:]
                    fail("%s: line %d: RUN failed (exit %d): %s\n%s" % (label, ins.line, result.returncode,
                                                                       command, tail))
                    return None
                ok("%s: line %d: RUN replayed: %s" % (label, ins.line, command))
    final_root = roots[stages[-1].index]
    print("ok   %s: final image file system (what the image adds) in %s" % (label, final_root))
    return final_root


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["lint", "replay"])
    parser.add_argument("dockerfile")
    parser.add_argument("--kind", choices=["function", "build", "init"], default="function")
    parser.add_argument("--arg", action="append", default=[])
    parser.add_argument("--context")
    parser.add_argument("--work")
    parser.add_argument("--map", action="append", default=[])
    parser.add_argument("--path", action="append", default=[])
    parser.add_argument("--root-out", help="replay: write the final stage's directory to this file")
    options = parser.parse_args()
    build_args = dict(a.split("=", 1) for a in options.arg)
    if options.mode == "lint":
        lint(options.dockerfile, options.kind, build_args)
    else:
        maps = dict(m.split("=", 1) for m in options.map)
        root = replay(options.dockerfile, os.path.abspath(options.context), os.path.abspath(options.work),
                      build_args, maps, [os.path.abspath(p) for p in options.path])
        if root and options.root_out:
            with open(options.root_out, "w") as handle:
                handle.write(root + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
