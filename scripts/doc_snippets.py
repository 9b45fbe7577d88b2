#!/usr/bin/env python3
"""Extracts the code snippets of README.md and docs/*.md, builds them against an
installed supportnlp and runs them, so that documentation which drifts from the
code fails (ctest label `docs`, tests/docs/CMakeLists.txt).

Which fences are snippets
  ```cpp (or c++), ```c      a C++ or C program, or a fragment of one
  ```sh, ```bash, ```shell   shell commands
  ```console                 `$ command` lines, each followed by the output it prints
Other fences (json, cmake, text, none) are prose, unless marked as output.

Marks: an HTML comment on the last non-blank line before a fence.
  <!-- snippet: not-runnable (reason) -->   extracted and counted, not built or run
  <!-- snippet: compile-only (reason) -->   C/C++ built but not run; shell syntax-checked (bash -n)
  <!-- snippet: output -->                  this fence is the exact stdout of the previous runnable
                                            snippet of the same file; a line `...` stands for any
                                            number of lines
  <!-- snippet: shared -->                  run against the shared-library install (shell
                                            snippets; default is the static one)
  <!-- snippet: exit N -->                  the snippet is expected to exit with status N
Several marks may share one comment, separated by ';'.

How snippets are built
  A C/C++ snippet with a `main` function is compiled exactly as written. Any
  other one is a fragment: its #include lines stay at file scope, the rest
  becomes the body of `int main()`, and only standard headers (iostream,
  string, vector, ...) are added; supportnlp headers must be included by the
  snippet itself. Each snippet is its own program, built
    cmake-static / cmake-shared:       with find_package(supportnlp) from the install prefix
    pkgconfig-static / pkgconfig-shared: with the documented pkg-config lines
  and run from an empty scratch directory holding only the fixture files
  (tickets.txt, tickets.tsv, tickets.jsonl, app.cpp, app.c, a `data` link to the
  source tree's data/ and `build/examples/supportnlp` pointing at the installed
  CLI), so snippets that find their models through data_dir() work from
  anywhere. Programs linked statically are run with SUPPORTNLP_DATA set to the
  install prefix's share/supportnlp (a program outside the prefix cannot find
  it otherwise); shared ones find it themselves, from the library's location.
  Shell snippets run with bash (-e -o pipefail) in one scratch directory per
  page, in page order, with the installed bin/ first on PATH.

Usage
  doc_snippets.py list  [--root SRC]                  inventory: every snippet and its mode
  doc_snippets.py check --root SRC --config NAME --work DIR
                        --static-prefix P [--shared-prefix Q] [--jobs N] [--only REGEX]
  doc_snippets.py options --cli BIN --subcommand "train intent" --doc docs/training.md
                        every option of the command's --help is in the doc's option table
  NAME: cmake-static, cmake-shared, pkgconfig-static, pkgconfig-shared, shell

Only the Python standard library is used.
"""

import argparse
import concurrent.futures
import dataclasses
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

LANGS = {"cpp": "cpp", "c++": "cpp", "c": "c", "sh": "sh", "bash": "sh", "shell": "sh",
         "console": "console"}
MARK_RE = re.compile(r"^\s*<!--\s*snippet:\s*(.*?)\s*-->\s*$")
FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^\s`]*)(.*)$")
KEYWORDS = ("not-runnable", "compile-only", "output", "shared", "exit")
# Standard headers a fragment may use without including them: a doc's
# one-screen example leaves them out, a reader adds them without thinking.
FRAGMENT_PRELUDE = ["cstdio", "cstdlib", "cstring", "iostream", "memory", "string",
                    "string_view", "vector"]


@dataclasses.dataclass
class Snippet:
    id: str
    file: str            # path relative to the root
    line: int            # 1-based line of the first code line
    lang: str            # cpp, c, sh, console
    code: str
    mode: str = "run"    # run, compile-only, not-runnable
    reason: str = ""
    shared: bool = False
    exit_code: int = 0
    expected: list = None  # lines of an `output` block, or None

    @property
    def where(self):
        return f"{self.file}:{self.line}"


class DocError(Exception):
    pass


def parse_marks(text, where):
    marks = {}
    parts, depth, cur = [], 0, ""
    for ch in text:  # split at ';' outside parentheses (a reason may hold one)
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == ";" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    for part in [p.strip() for p in parts if p.strip()]:
        m = re.match(r"([a-z-]+)\s*(.*)$", part)
        if not m or m.group(1) not in KEYWORDS:
            raise DocError(f"{where}: unknown snippet mark '{part}' (known: {', '.join(KEYWORDS)})")
        key, rest = m.group(1), m.group(2).strip()
        if key in ("not-runnable", "compile-only"):
            reason = rest.strip("():— -")
            if not reason:
                raise DocError(f"{where}: '{key}' needs a reason, e.g. <!-- snippet: {key} (why) -->")
            marks[key] = reason
        elif key == "exit":
            if not rest.isdigit():
                raise DocError(f"{where}: 'exit' needs a status, e.g. <!-- snippet: exit 3 -->")
            marks[key] = int(rest)
        else:
            marks[key] = True
    return marks


def markdown_files(root):
    files = [os.path.join(root, "README.md")]
    files += sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    return [f for f in files if os.path.isfile(f)]


def extract(root):
    """Every snippet of README.md and docs/*.md, in document order."""
    snippets = []
    for path in markdown_files(root):
        rel = os.path.relpath(path, root)
        stem = re.sub(r"[^A-Za-z0-9]+", "_", os.path.splitext(rel)[0]).strip("_")
        stem = stem.replace("docs_", "", 1)
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        i, count, last_runnable = 0, 0, None
        while i < len(lines):
            m = FENCE_RE.match(lines[i])
            if not m:
                i += 1
                continue
            indent, fence, info = m.group(1), m.group(2), m.group(3).lower()
            if fence[0] == "`" and "`" in m.group(3) + m.group(4):
                i += 1  # CommonMark: not a fence (inline code at the start of a line)
                continue
            start = i + 1
            j = start
            while j < len(lines) and not re.match(r"^\s*" + re.escape(fence[0]) + "{%d,}\\s*$" % len(fence), lines[j]):
                j += 1
            if j == len(lines):
                raise DocError(f"{rel}:{i + 1}: fence never closed")
            body = [l[len(indent):] if l.startswith(indent) else l.lstrip() for l in lines[start:j]]
            k = i - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            mm = MARK_RE.match(lines[k]) if k >= 0 else None
            marks = parse_marks(mm.group(1), f"{rel}:{k + 1}") if mm else {}
            if marks.get("output"):
                if last_runnable is None:
                    raise DocError(f"{rel}:{i + 1}: an output block with no runnable snippet before it")
                if last_runnable.expected is not None:
                    raise DocError(f"{rel}:{i + 1}: a second output block for {last_runnable.where}")
                last_runnable.expected = body
                last_runnable = None
            elif info in LANGS:
                count += 1
                s = Snippet(id=f"{stem}_{count}", file=rel, line=start + 1, lang=LANGS[info],
                            code="\n".join(body) + "\n")
                if "not-runnable" in marks:
                    s.mode, s.reason = "not-runnable", marks["not-runnable"]
                elif "compile-only" in marks:
                    s.mode, s.reason = "compile-only", marks["compile-only"]
                s.shared = bool(marks.get("shared"))
                s.exit_code = marks.get("exit", 0)
                snippets.append(s)
                last_runnable = s if s.mode == "run" else None
            elif marks:
                raise DocError(f"{rel}:{k + 1}: snippet mark on a ```{info} fence, which is not extracted")
            i = j + 1
    return snippets


# --- C and C++ -------------------------------------------------------------------

def has_main(code):
    return re.search(r"\bint\s+main\s*\(", code) is not None


def program_source(s):
    """The translation unit built for a C/C++ snippet, with #line directives so
    that compiler messages point into the markdown file."""
    quoted = s.file.replace("\\", "/")
    lines = s.code.rstrip("\n").split("\n")
    if has_main(s.code):
        return f'#line {s.line} "{quoted}"\n' + "\n".join(lines) + "\n"
    includes, body = [], []
    for n, line in enumerate(lines):
        if line.lstrip().startswith("#include"):
            includes.append(f'#line {s.line + n} "{quoted}"\n{line}')
        else:
            body.append((n, line))
    out = [f"// {s.where}: a fragment, wrapped in main()"]
    if s.lang == "cpp":
        out += [f"#include <{h}>" for h in FRAGMENT_PRELUDE]
    else:
        out += ["#include <stdio.h>", "#include <stdlib.h>", "#include <string.h>"]
    out += includes
    out.append("int main(void) {" if s.lang == "c" else "int main() {")
    if body:
        out.append(f'#line {s.line + body[0][0]} "{quoted}"')
        out += [line for _, line in body]
    out.append("  return 0;")
    out.append("}")
    return "\n".join(out) + "\n"


def write_sources(snippets, src_dir):
    os.makedirs(src_dir, exist_ok=True)
    paths = {}
    for s in snippets:
        path = os.path.join(src_dir, s.id + (".c" if s.lang == "c" else ".cpp"))
        with open(path, "w", encoding="utf-8") as f:
            f.write(program_source(s))
        paths[s.id] = path
    return paths


def run_cmd(cmd, cwd=None, env=None, timeout=900, shell=False):
    return subprocess.run(cmd, cwd=cwd, env=env, timeout=timeout, shell=shell,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors="replace")


def build_cmake(snippets, paths, prefix, work, jobs, generator="Ninja"):
    """One CMake project, one executable per snippet, consuming the install with
    find_package. Returns {id: executable} for the snippets that built, and the
    failures."""
    proj = os.path.join(work, "project")
    os.makedirs(proj, exist_ok=True)
    lines = ["cmake_minimum_required(VERSION 3.21)",
             "project(doc_snippets LANGUAGES C CXX)",
             "find_package(supportnlp 0.1 REQUIRED)",
             "set(CMAKE_CXX_STANDARD 17)"]
    # One precompiled header for all C++ snippets keeps this build cheap; the
    # pkg-config configurations compile every snippet exactly as written, so
    # a snippet missing an #include still fails there.
    first_cpp = None
    for s in snippets:
        lines.append(f'add_executable({s.id} "{paths[s.id]}")')
        lines.append(f"target_link_libraries({s.id} PRIVATE supportnlp::supportnlp)")
        if s.lang != "cpp":
            continue
        if first_cpp is None:
            first_cpp = s.id
            lines.append(f"target_precompile_headers({s.id} PRIVATE <supportnlp/supportnlp.hpp> "
                         + " ".join(f"<{h}>" for h in FRAGMENT_PRELUDE) + ")")
        else:
            lines.append(f"target_precompile_headers({s.id} REUSE_FROM {first_cpp})")
    with open(os.path.join(proj, "CMakeLists.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    build = os.path.join(work, "build")
    r = run_cmd(["cmake", "-S", proj, "-B", build, "-G", generator, "-DCMAKE_BUILD_TYPE=",
                 f"-DCMAKE_PREFIX_PATH={prefix}"])
    if r.returncode != 0:
        return {}, [("find_package(supportnlp)", r.stdout)]
    keep_going = ["-k", "0"] if generator == "Ninja" else ["-k"]  # every snippet's errors, not the first
    r = run_cmd(["cmake", "--build", build, "--parallel", str(jobs), "--"] + keep_going)
    exes, failures = {}, []
    for s in snippets:
        exe = os.path.join(build, s.id)
        if os.path.isfile(exe):
            exes[s.id] = exe
        else:
            failures.append((s.where, extract_errors(r.stdout, s)))
    return exes, failures


def extract_errors(log, s):
    """The compiler messages about one snippet out of a whole Ninja build log:
    the block from its FAILED line to the next progress line."""
    lines, out, inside = log.split("\n"), [], False
    for line in lines:
        if line.startswith("FAILED: "):
            inside = f"/{s.id}.dir/" in line or line.rstrip().endswith(f" {s.id}")
        elif re.match(r"^\[\d+/\d+\] ", line) or line.startswith("ninja: "):
            inside = False
        if inside:
            out.append(line)
    return "\n".join(out[:80]) or log[-4000:]


def pkg_config(args, env):
    r = run_cmd(["pkg-config"] + args, env=env)
    if r.returncode != 0:
        raise DocError("pkg-config " + " ".join(args) + " failed:\n" + r.stdout)
    return r.stdout.strip()


def build_pkgconfig(snippets, paths, prefix, work, jobs, static):
    """Each snippet compiled and linked by one command, as building.md shows it."""
    env = dict(os.environ, PKG_CONFIG_PATH=pkgconfig_dir(prefix))
    flags = ["--cflags", "--libs"] + (["--static"] if static else [])
    libs = pkg_config(flags + ["supportnlp"], env)
    rpath = "" if static else " -Wl,-rpath," + pkg_config(["--variable=libdir", "supportnlp"], env)
    out = os.path.join(work, "bin")
    os.makedirs(out, exist_ok=True)

    def one(s):
        exe = os.path.join(out, s.id)
        compiler = "cc" if s.lang == "c" else "c++ -std=c++17"
        cmd = f"{compiler} {shlex.quote(paths[s.id])} {libs}{rpath} -o {shlex.quote(exe)}"
        r = run_cmd(cmd, env=env, shell=True)
        return s, exe, r, cmd

    exes, failures = {}, []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for s, exe, r, cmd in pool.map(one, snippets):
            if r.returncode == 0:
                exes[s.id] = exe
            else:
                failures.append((s.where, f"$ {cmd}\n{r.stdout}"))
    return exes, failures


def pkgconfig_dir(prefix):
    found = glob.glob(os.path.join(prefix, "**", "pkgconfig", "supportnlp.pc"), recursive=True)
    if not found:
        raise DocError(f"no supportnlp.pc under {prefix}")
    return os.path.dirname(found[0])


# --- running -----------------------------------------------------------------------

def prepare_run_dir(path, root, fixtures, static_prefix):
    """A scratch directory holding only what the docs tell a reader to have."""
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    for name in os.listdir(fixtures):
        shutil.copy(os.path.join(fixtures, name), path)
    os.symlink(os.path.join(root, "data"), os.path.join(path, "data"))
    cli = os.path.join(static_prefix, "bin", "supportnlp")
    if os.path.exists(cli):
        os.makedirs(os.path.join(path, "build", "examples"))
        os.symlink(cli, os.path.join(path, "build", "examples", "supportnlp"))


def make_fixtures(root, out):
    """tickets.txt / tickets.tsv (the bundle's English training tickets, a
    realistic support file), tickets.jsonl (the sample tickets), app.cpp, app.c."""
    os.makedirs(out, exist_ok=True)
    texts, rows = [], ["text\tlabel"]
    for tsv in sorted(glob.glob(os.path.join(root, "data", "train", "intents", "en", "*.tsv"))):
        with open(tsv, encoding="utf-8") as f:
            for n, line in enumerate(f):
                parts = line.rstrip("\n").split("\t")
                if n == 0 or len(parts) < 2:
                    continue
                texts.append(parts[0])
                rows.append(parts[0] + "\t" + parts[1])
    with open(os.path.join(out, "tickets.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(texts) + "\n")
    with open(os.path.join(out, "tickets.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    shutil.copy(os.path.join(root, "data", "samples", "tickets.jsonl"), out)
    here = os.path.join(root, "tests", "docs", "fixtures")
    for name in os.listdir(here):
        shutil.copy(os.path.join(here, name), out)


def compare(expected, actual):
    """Lines equal after trimming trailing blanks; `...` matches any run of lines."""
    exp = [l.rstrip() for l in expected]
    act = [l.rstrip() for l in actual.rstrip("\n").split("\n")] if actual.strip() else []
    while exp and not exp[-1]:
        exp.pop()

    def match(i, j):
        if i == len(exp):
            return j == len(act)
        if exp[i] == "...":
            return any(match(i + 1, k) for k in range(j, len(act) + 1))
        return j < len(act) and exp[i] == act[j] and match(i + 1, j + 1)

    return match(0, 0)


def show_diff(expected, actual):
    return ("--- the doc shows\n" + "\n".join(expected) + "\n--- the program printed\n" +
            actual.rstrip("\n") + "\n")


def run_program(s, exe, run_dir, env):
    r = subprocess.run([exe], cwd=run_dir, env=env, timeout=300, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, errors="replace")
    return check_result(s, r.returncode, r.stdout, r.stderr)


def check_result(s, status, out, err, expected=None):
    expected = s.expected if expected is None else expected
    if status != s.exit_code:
        return (f"exit status {status}, expected {s.exit_code}\n--- stdout\n{out[-3000:]}"
                f"--- stderr\n{err[-3000:]}")
    if expected and not compare(expected, out):
        return show_diff(expected, out) + (f"--- stderr\n{err[-2000:]}" if err else "")
    return None


def console_commands(code):
    """(command, expected output lines) pairs of a ```console block."""
    pairs, cmd, out, cont = [], None, [], False
    for line in code.rstrip("\n").split("\n"):
        if cont:
            cmd += "\n" + line
            cont = line.endswith("\\")
        elif line.startswith("$ "):
            if cmd is not None:
                pairs.append((cmd, out))
            cmd, out, cont = line[2:], [], line.endswith("\\")
        elif cmd is None:
            raise DocError("a console block must start with a '$ ' command line")
        else:
            out.append(line)
    if cmd is not None:
        pairs.append((cmd, out))
    return pairs


# Commands a shell snippet may show but the test must never run: they change
# the machine, need root, or rebuild the whole tree (CI runs those itself).
# A snippet using one fails until it is marked not-runnable or compile-only.
UNSAFE_RE = re.compile(r"(^|[\s;&|(])(sudo|apt-get|apt|dpkg|pip3?|scripts/(setup|test|build|main-job|"
                       r"soak|fuzz|test-browser)\.sh|cmake\s+--build|cmake\s+--preset|"
                       r"cmake\s+-S|cmake\s+--install|ctest)\b")


def run_shell(s, run_dir, env):
    unsafe = UNSAFE_RE.search(s.code) if s.mode == "run" else None
    if unsafe:
        return (f"not run: it uses '{unsafe.group(2)}', which the docs test never runs; "
                "mark it <!-- snippet: not-runnable (reason) --> or compile-only")
    if s.mode == "compile-only":
        r = subprocess.run(["bash", "-n", "-c", s.code], cwd=run_dir, env=env,
                           capture_output=True, text=True)
        return None if r.returncode == 0 else "bash -n: " + r.stderr
    if s.lang == "sh":
        r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", s.code], cwd=run_dir, env=env,
                           timeout=600, capture_output=True, text=True, errors="replace")
        return check_result(s, r.returncode, r.stdout, r.stderr)
    for cmd, out in console_commands(s.code):
        r = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=run_dir, env=env,
                           timeout=600, capture_output=True, text=True, errors="replace")
        problem = check_result(s, r.returncode, r.stdout, r.stderr, expected=out)
        if problem:
            return f"$ {cmd}\n{problem}"
    return None


# --- commands ----------------------------------------------------------------------

def inventory(snippets):
    by = {}
    for s in snippets:
        by.setdefault((s.lang, s.mode), 0)
        by[(s.lang, s.mode)] += 1
    lines = [f"{len(snippets)} snippets in README.md and docs/*.md:"]
    for lang in ("cpp", "c", "sh", "console"):
        parts = [f"{by.get((lang, m), 0)} {m}" for m in ("run", "compile-only", "not-runnable")]
        lines.append(f"  {lang:8} " + ", ".join(parts))
    with_output = sum(1 for s in snippets if s.expected is not None)
    console_out = sum(1 for s in snippets if s.lang == "console")
    lines.append(f"  {with_output} with an output block checked, {console_out} console blocks "
                 "(their shown output checked)")
    marked = [s for s in snippets if s.mode != "run"]
    if marked:
        lines.append(f"not run ({len(marked)}):")
        for s in marked:
            lines.append(f"  {s.where:34} {s.lang:7} {s.mode}: {s.reason}")
    return "\n".join(lines)


def cmd_list(args):
    snippets = extract(args.root)
    for s in snippets:
        print(f"{s.id:28} {s.where:34} {s.lang:7} {s.mode}"
              + (" [output]" if s.expected is not None else "") + (" [shared]" if s.shared else ""))
    print(inventory(snippets))
    return 0


def cmd_check(args):
    t0 = time.monotonic()
    root = os.path.abspath(args.root)
    snippets = extract(root)
    if args.only:
        snippets = [s for s in snippets if re.search(args.only, s.id) or re.search(args.only, s.where)]
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    fixtures = os.path.join(work, "fixtures")
    make_fixtures(root, fixtures)
    static_prefix = os.path.abspath(args.static_prefix)
    shared_prefix = os.path.abspath(args.shared_prefix) if args.shared_prefix else None
    failures = []

    env = dict(os.environ)
    env.pop("SUPPORTNLP_DATA", None)
    env["LC_ALL"] = "C.UTF-8"

    if args.config == "shell":
        chosen = [s for s in snippets if s.lang in ("sh", "console") and s.mode != "not-runnable"]
        for s in chosen:
            prefix = shared_prefix if s.shared else static_prefix
            if prefix is None:
                failures.append((s.where, "needs --shared-prefix"))
                continue
            run_env = dict(env, PATH=os.path.join(static_prefix, "bin") + os.pathsep + env["PATH"],
                           PKG_CONFIG_PATH=pkgconfig_dir(prefix))
            # The shell snippets of one page share a directory, in page order,
            # as for a reader following it (section 4 trains what section 5 uses).
            run_dir = os.path.join(work, "run", re.sub(r"[^A-Za-z0-9]+", "_", s.file))
            if not os.path.isdir(run_dir):
                prepare_run_dir(run_dir, root, fixtures, static_prefix)
            t = time.monotonic()
            problem = run_shell(s, run_dir, run_env)
            print(f"{'FAIL' if problem else 'ok':4} {s.where:34} {time.monotonic() - t:6.1f} s")
            if problem:
                failures.append((s.where, problem))
        built = ran = len(chosen)
        ran = sum(1 for s in chosen if s.mode == "run")
    else:
        kind, linkage = args.config.split("-")
        prefix = static_prefix if linkage == "static" else shared_prefix
        if prefix is None:
            raise DocError(f"--config {args.config} needs --shared-prefix")
        chosen = [s for s in snippets if s.lang in ("cpp", "c") and s.mode != "not-runnable"]
        paths = write_sources(chosen, os.path.join(work, "src"))
        if kind == "cmake":
            exes, failures = build_cmake(chosen, paths, prefix, work, args.jobs, args.generator)
        else:
            exes, failures = build_pkgconfig(chosen, paths, prefix, work, args.jobs,
                                             linkage == "static")
        built = len(exes)
        run_env = dict(env)
        if linkage == "static":
            run_env["SUPPORTNLP_DATA"] = os.path.join(prefix, "share", "supportnlp")
        ran = 0
        for s in chosen:
            if s.mode != "run" or s.id not in exes:
                continue
            run_dir = os.path.join(work, "run", s.id)
            prepare_run_dir(run_dir, root, fixtures, static_prefix)
            ran += 1
            t = time.monotonic()
            problem = run_program(s, exes[s.id], run_dir, run_env)
            print(f"{'FAIL' if problem else 'ok':4} {s.where:34} {time.monotonic() - t:6.1f} s")
            if problem:
                failures.append((s.where, problem))

    for where, text in failures:
        print(f"FAILED {where} ({args.config})\n{text.rstrip()}\n")
    print(inventory(snippets))
    print(f"{args.config}: {len(chosen)} snippets taken, {built} built, {ran} run, "
          f"{len(failures)} failed, {time.monotonic() - t0:.1f} s")
    return 1 if failures else 0


def cmd_options(args):
    """Every option `CLI <command> --help` lists is in the doc's option table
    (rows starting with | `--x`), and every option of that table is one the
    command has."""
    r = run_cmd([args.cli] + args.command.split() + ["--help"], timeout=60)
    if r.returncode != 0:
        print(f"{args.cli} {args.command} --help exited {r.returncode}:\n{r.stdout}")
        return 1
    helped = set(re.findall(r"(?<![\w-])(--[a-z0-9][a-z0-9-]*)", r.stdout)) - {"--help"}
    documented = set()
    with open(args.doc, encoding="utf-8") as f:
        for line in f:
            if line.startswith("| `--"):
                documented.update(re.findall(r"`(--[a-z0-9][a-z0-9-]*)", line.split("|")[1]))
    missing = sorted(helped - documented)
    stale = sorted(documented - helped)
    for o in missing:
        print(f"{args.doc}: `{args.command} {o}` is not in the option table")
    for o in stale:
        print(f"{args.doc}: the option table has {o}, which `{args.command} --help` does not list")
    print(f"{args.command}: {len(helped)} options in --help, {len(documented)} in {args.doc}")
    return 1 if missing or stale else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    lp = sub.add_parser("list", help="every snippet, its mode, and the counts")
    lp.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."))
    cp = sub.add_parser("check", help="build and run the snippets of one configuration")
    cp.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."))
    cp.add_argument("--config", required=True,
                    choices=["cmake-static", "cmake-shared", "pkgconfig-static",
                             "pkgconfig-shared", "shell"])
    cp.add_argument("--work", required=True)
    cp.add_argument("--static-prefix", required=True)
    cp.add_argument("--shared-prefix")
    cp.add_argument("--jobs", type=int, default=2)
    cp.add_argument("--generator", default="Ninja", help="CMake generator of the find_package builds")
    cp.add_argument("--only", help="a regular expression: only snippets whose id or file:line match")
    op = sub.add_parser("options", help="a command's --help options against a doc's option table")
    op.add_argument("--cli", required=True)
    op.add_argument("--subcommand", dest="command_line", required=True)
    op.add_argument("--doc", required=True)
    args = p.parse_args()
    try:
        if args.command == "options":
            args.command = args.command_line
            return cmd_options(args)
        return cmd_list(args) if args.command == "list" else cmd_check(args)
    except DocError as e:
        print(f"doc_snippets: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
