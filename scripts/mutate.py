#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Mutation score of core/: plant small source mutations, count what the tests kill.

Why a script of our own: Debian 12 packages no mutation tool for C++ (no Mull,
no dextool; mutmut and its kind are for Python), and the core is one header
template whose mutants must be compiled into the harness, the diff engine and
the unit tests alike. This script is the whole tool: it lists the mutants of
core/balloon.h (and any file given), builds each in a copy of the tree, and
runs the kill stages below until one fails.

Operators (each applied at one place of one code line):
  rel      < <= > >= == != swapped with their neighbour (< <=, > >=, == !=)
  logic    && || swapped
  arith    + - and += -= swapped (binary, spaced as clang-format writes them)
  incdec   ++ -- swapped
  const    an integer literal n -> n + 1 (0 -> 1, 1 -> 0)
  bool     true false swapped
  not      a logical ! removed
  call     a statement that is only a call (env_->x(...); report(...); ...) deleted
  stmt     an assignment or counter update statement deleted

Kill stages, in order; the first that fails kills the mutant:
  build    the fuzz tool and ballast-diff build (a mutant that does not compile
           is invalid and not counted)
  corpus   ballast_fuzz_tool check: the corpus, and generated scenarios in
           every profile, through the invariant checker and the oracles
  diff     ballast-diff random: the matching profiles against their upstream
           drivers (no divergence allowed), ballast against the seed (every
           divergence attributed)
  unit     the unit tests of the core, the oracles, the harness, the world and the
           engine, one binary at a time
A stage that runs longer than its timeout kills the mutant too (a hang).

Mutants judged equivalent (no test can tell them apart from the original) are
listed with the reason in scripts/mutate-equivalent.txt and left out of the
score; every other survivor is a blind spot.

  scripts/mutate.py                    every mutant of core/balloon.h (the full run)
  scripts/mutate.py --sample 40        40 of them, chosen with --seed (default 1)
  scripts/mutate.py --only ID[,ID...]  those mutants (the ids the list prints)
  scripts/mutate.py --list             the mutants and their ids, nothing run
Exit status: 0, or 1 with --require-killed when a mutant chosen survived;
2 for a bad argument.
"""

import argparse
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EQUIVALENT = os.path.join(ROOT, "scripts", "mutate-equivalent.txt")

SWAPS = {
    "rel": [(r"(?<=\s)<(?=\s)", "<="), (r"(?<=\s)<=(?=\s)", "<"), (r"(?<=\s)>(?=\s)", ">="),
            (r"(?<=\s)>=(?=\s)", ">"), (r"(?<=\s)==(?=\s)", "!="), (r"(?<=\s)!=(?=\s)", "==")],
    "logic": [(r"(?<=\s)&&(?=\s)", "||"), (r"(?<=\s)\|\|(?=\s)", "&&")],
    "arith": [(r"(?<=\s)\+(?=\s)", "-"), (r"(?<=\s)-(?=\s)", "+"), (r"(?<=\s)\+=(?=\s)", "-="),
              (r"(?<=\s)-=(?=\s)", "+=")],
    "incdec": [(r"\+\+", "--"), (r"(?<!-)--(?!-)", "++")],
    "bool": [(r"\btrue\b", "false"), (r"\bfalse\b", "true")],
    "not": [(r"!(?=[\w(])", "")],
}
CALL = re.compile(r"^\s*(env_->\w+|report|crash|kick|append|va_mapping_update|list_del|"
                  r"list_add_between|unlink_ballooned|bound_hotplug_wait|free_pages)\(.*\);\s*$")
STMT = re.compile(r"^\s*[\w.\->\[\]]+\s*(=|\+=|-=|<<=|\+\+|--)[^=].*;\s*$|^\s*[\w.\->\[\]]+(\+\+|--);\s*$")
CONST = re.compile(r"(?<![\w.])(\d+)(?![\w.])")


class Mutant:
    def __init__(self, path, line_no, op, k, original, mutated):
        self.path, self.line_no, self.op, self.k = path, line_no, op, k
        self.original, self.mutated = original, mutated
        digest = hashlib.sha1(original.strip().encode()).hexdigest()[:8]
        self.id = f"{digest}:{op}:{k}"

    def describe(self):
        return (f"{os.path.relpath(self.path, ROOT)}:{self.line_no} [{self.id}] "
                f"{self.original.strip()}  =>  {self.mutated.strip()}")


def code_part(line):
    """The line without its // comment (the core has no strings with //)."""
    i = line.find("//")
    return line if i < 0 else line[:i]


def mutants_of(path):
    out = []
    in_block = False
    with open(path) as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines, 1):
        stripped = line.strip()
        if in_block:
            in_block = "*/" not in stripped
            continue
        if stripped.startswith("/*"):
            in_block = "*/" not in stripped
            continue
        if not stripped or stripped.startswith(("#", "//", "template", "static_assert")):
            continue
        code = code_part(line)
        rest = line[len(code):]
        per_line = {}

        def add(op, new_code):
            k = per_line.get(op, 0)
            per_line[op] = k + 1
            # A deleted statement becomes an empty block: valid also as the
            # body of an if without braces.
            indent = line[:len(line) - len(line.lstrip())]
            out.append(Mutant(path, n, op, k, line,
                              new_code + rest if new_code.strip() else indent + "{}"))

        for op, swaps in SWAPS.items():
            for pattern, repl in swaps:
                for m in re.finditer(pattern, code):
                    add(op, code[:m.start()] + repl + code[m.end():])
        # Constants only in statements and conditions, not in declarations.
        if re.search(r";\s*$|^\s*(if|while|for|return|case)\b|\)\s*$", code) and \
                not re.match(r"^\s*(constexpr|enum|unsigned|int|long|bool|ballast_\w+|BpState)\s+\w+\s*[\[;]",
                             code):
            for m in CONST.finditer(code):
                v = int(m.group(1))
                nv = {0: 1, 1: 0}.get(v, v + 1)
                add("const", code[:m.start()] + str(nv) + code[m.end():])
        if CALL.match(code):
            add("call", "")
        elif STMT.match(code) and not re.match(r"^\s*(return|const|unsigned|long|int|bool|"
                                               r"ballast_\w+|BpState|Progress)\b", code):
            add("stmt", "")
    return out


def load_equivalent():
    eq = {}
    if os.path.exists(EQUIVALENT):
        with open(EQUIVALENT) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    mid, _, why = line.partition(" ")
                    eq[mid] = why.strip()
    return eq


def run(cmd, timeout, cwd=None, log=None):
    """(status, seconds): status 0 ok, 1 failed, 124 timed out."""
    t0 = time.time()
    try:
        r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        if log is not None:
            log.append(r.stdout.decode(errors="replace")[-4000:])
        return (0 if r.returncode == 0 else 1), time.time() - t0
    except subprocess.TimeoutExpired:
        return 124, time.time() - t0


class Work:
    """A copy of the tree to mutate, its build, and the generated scenarios."""

    def __init__(self, work, jobs):
        self.work = os.path.abspath(work)
        self.src = os.path.join(self.work, "src")
        self.build = os.path.join(self.work, "build")
        self.gen = os.path.join(self.work, "generated")
        self.jobs = jobs

    def setup(self):
        files = subprocess.run(["git", "-C", ROOT, "ls-files"], check=True,
                               stdout=subprocess.PIPE).stdout.decode().split("\n")
        for rel in files:
            if not rel or rel.startswith(("corpus/", "kmod/")):
                continue
            src, dst = os.path.join(ROOT, rel), os.path.join(self.src, rel)
            if not os.path.isfile(src):
                continue
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if not os.path.exists(dst) or open(src, "rb").read() != open(dst, "rb").read():
                shutil.copy2(src, dst)
        seed = os.path.normpath(os.path.join(ROOT, "..", "shared", "upstream", "balloon-seed.c"))
        cfg = ["cmake", "-S", self.src, "-B", self.build, "-G", "Ninja",
               "-DCMAKE_C_COMPILER=gcc", "-DCMAKE_CXX_COMPILER=g++", "-DCMAKE_BUILD_TYPE=Debug",
               "-DCMAKE_CXX_FLAGS=-O1 -g0", "-DCMAKE_C_FLAGS=-O1 -g0",
               "-DBALLAST_SUBDIRS=world;scenario;oracle;tests;diff;fuzz",
               # A mutant that only draws a warning (an empty if body) is a mutant.
               "-DBALLAST_WERROR=OFF",
               "-DBALLAST_UPSTREAM_SEED=" + seed]
        if subprocess.run(cfg, stdout=subprocess.DEVNULL).returncode != 0:
            sys.exit("mutate: cmake failed for " + self.build)
        if self.ninja(["ballast_fuzz_tool", "ballast-diff"])[0] != 0:
            sys.exit("mutate: the unmutated tree does not build")
        self.upstream = os.path.exists(seed)
        if not os.path.isdir(self.gen):
            for prof in ("ballast", "linux-2019", "linux-6.1"):
                d = os.path.join(self.gen, prof)
                os.makedirs(d)
                for s in range(1, 301):
                    txt = subprocess.run([self.bin("diff/ballast-diff"), "generate", "--seed",
                                          str(s)], stdout=subprocess.PIPE, check=True).stdout
                    with open(os.path.join(d, f"g{s}.scn"), "wb") as f:
                        f.write(b"# profile: " + prof.encode() + b"\n" + txt)

    def bin(self, rel):
        return os.path.join(self.build, rel)

    def ninja(self, targets):
        return run(["ninja", "-C", self.build, "-j", str(self.jobs)] + targets, 1200)

    def stages(self):
        tool, diff = self.bin("fuzz/ballast_fuzz_tool"), self.bin("diff/ballast-diff")
        corpus = [os.path.join(ROOT, "corpus", d) for d in ("seeds", "regressions", "fuzzed")]
        out = [("corpus", [[tool, "check"] + corpus + [self.gen]], [], 120)]
        if self.upstream:
            pairs = [("core:linux-2019", "upstream:seed"), ("core:linux-6.1", "upstream:6.1"),
                     ("core:ballast", "upstream:seed"), ("core:ballast", "upstream:6.1")]
            out.append(("diff", [[diff, "random", "--count", "1500", "--seed", "7", "--left", l,
                                  "--right", r, "--no-minimize"] for l, r in pairs], [], 180))
        # One test binary at a time: most mutants die in the first, and each
        # binary is only built when the ones before it passed.
        for t in ("tests/core_tests", "fuzz/oracle_tests", "fuzz/fuzz_harness_tests",
                  "world/world_tests", "diff/diff_tests"):
            out.append(("unit", [[self.bin(t), "--gtest_brief=1"]], [os.path.basename(t)], 600))
        return out


def judge(work, m):
    """'killed:<stage>', 'survived' or 'invalid'."""
    target = os.path.join(work.src, os.path.relpath(m.path, ROOT))
    with open(target) as f:
        original = f.read()
    lines = original.split("\n")
    assert lines[m.line_no - 1] == m.original, "the copy differs from the tree"
    lines[m.line_no - 1] = m.mutated
    try:
        with open(target, "w") as f:
            f.write("\n".join(lines))
        st, _ = work.ninja(["ballast_fuzz_tool", "ballast-diff"])
        if st != 0:
            return "invalid"
        for name, cmds, targets, timeout in work.stages():
            if targets:
                st, _ = work.ninja(targets)
                if st != 0:
                    return "invalid"
            for cmd in cmds:
                st, _ = run(cmd, timeout, cwd=ROOT)
                if st != 0:
                    return "killed:" + name + (" (hang)" if st == 124 else "")
        return "survived"
    finally:
        with open(target, "w") as f:
            f.write(original)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", default=[os.path.join(ROOT, "core", "balloon.h")])
    ap.add_argument("--sample", type=int, default=0, help="run N mutants chosen at random")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default="", help="comma-separated mutant ids")
    ap.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "mutate"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--require-killed", action="store_true",
                    help="exit 1 if a chosen mutant that is not listed as equivalent survives")
    try:
        a = ap.parse_args()
    except SystemExit as e:
        sys.exit(0 if e.code == 0 else 2)
    if a.sample < 0 or a.jobs < 1:
        print("mutate: --sample and --jobs take positive numbers", file=sys.stderr)
        sys.exit(2)
    files = [os.path.abspath(f) for f in a.files]
    for f in files:
        if not os.path.isfile(f) or not f.startswith(ROOT + os.sep):
            print(f"mutate: {f}: not a file of this tree", file=sys.stderr)
            sys.exit(2)
    allm = [m for f in files for m in mutants_of(f)]
    chosen = allm
    if a.only:
        ids = a.only.split(",")
        by_id = {m.id: m for m in allm}
        missing = [i for i in ids if i not in by_id]
        if missing:
            print("mutate: no mutant " + ", ".join(missing) + " (--list shows them)",
                  file=sys.stderr)
            sys.exit(2)
        chosen = [by_id[i] for i in ids]
    elif a.sample:
        chosen = random.Random(a.seed).sample(allm, min(a.sample, len(allm)))
        chosen.sort(key=lambda m: (m.path, m.line_no, m.op, m.k))
    if a.list:
        for m in chosen:
            print(m.describe())
        print(f"{len(chosen)} mutants")
        return 0
    eq = load_equivalent()
    work = Work(a.work, a.jobs)
    t0 = time.time()
    work.setup()
    print(f"mutate: {len(chosen)} of {len(allm)} mutants; work tree {work.work}; "
          f"upstream drivers {'built' if work.upstream else 'absent (no diff stage)'}",
          flush=True)
    results = []
    for i, m in enumerate(chosen, 1):
        verdict = judge(work, m)
        results.append((m, verdict))
        note = " (listed as equivalent)" if verdict == "survived" and m.id in eq else ""
        print(f"[{i}/{len(chosen)}] {verdict:<16} {m.describe()}{note}", flush=True)
    valid = [(m, v) for m, v in results if v != "invalid"]
    killed = [m for m, v in valid if v.startswith("killed")]
    survived = [m for m, v in valid if v == "survived"]
    equivalent = [m for m in survived if m.id in eq]
    blind = [m for m in survived if m.id not in eq]
    stages = {}
    for m, v in valid:
        if v.startswith("killed"):
            s = v.split(":")[1].split(" ")[0]
            stages[s] = stages.get(s, 0) + 1
    denominator = len(valid) - len(equivalent)
    score = 100.0 * len(killed) / denominator if denominator else 100.0
    print(f"\nmutate: {len(chosen)} mutants, {len(results) - len(valid)} invalid (do not compile), "
          f"{len(valid)} valid: {len(killed)} killed ("
          + ", ".join(f"{k} {n}" for k, n in sorted(stages.items())) +
          f"), {len(survived)} survived ({len(equivalent)} equivalent, {len(blind)} blind spots)")
    print(f"mutate: score {len(killed)}/{denominator} = {score:.1f}% of non-equivalent mutants "
          f"killed, in {time.time() - t0:.0f} s")
    for m in equivalent:
        print(f"  equivalent  {m.describe()}\n              {eq[m.id]}")
    for m in blind:
        print(f"  SURVIVED    {m.describe()}")
    return 1 if a.require_killed and blind else 0


if __name__ == "__main__":
    sys.exit(main())
