#!/usr/bin/env python3
"""A crash's signature: what a fuzz target printed when an input crashed it,
without what differs between two inputs that hit the same bug.

usage: signature.py TARGET LOGFILE     (prints the signature of that output)

The output is the target's own (stdout and stderr of `TARGET_BINARY INPUT`,
with UBSAN_OPTIONS=print_stacktrace=1). One signature per kind of failure,
the first that applies:

  a sanitizer report    "asan heap-buffer-overflow WRITE", "ubsan <message>",
                        "lsan detected memory leaks", ... with the top three
                        frames of the project's code (function names only)
  an invariant          core_invariants' "<target>: profile P, after step N
  violation             (OP):" and its message: the profile (its switch set)
                        and the kind of the first violation, as
                        `ballast_fuzz_tool minimize` keeps it
  a divergence          diff_upstream's "<target>: L vs R: unattributed
                        divergence: step N (OP): FIELD: ...": the pair and
                        the field, indices dropped, as `ballast-diff run
                        --repro` keeps it
  libFuzzer             "timeout", "out-of-memory", "deadly signal" with the
                        top frames

Numbers, addresses, step numbers and operations are left out: they differ
from one input to the next for the same bug.
"""
import hashlib
import re
import sys

SANITIZER = re.compile(r'ERROR: (AddressSanitizer|LeakSanitizer|MemorySanitizer|ThreadSanitizer): '
                       r'([\w-]+(?: [\w-]+)*?)(?: on | \(|$)')
ACCESS = re.compile(r'^(READ|WRITE) of size')
UBSAN = re.compile(r'^\S+:\d+:\d+: runtime error: (.*)$')
LIBFUZZER = re.compile(r'ERROR: libFuzzer: ([\w -]+?)(?: after| \(|$)')
FRAME = re.compile(r'^\s*#\d+ 0x[0-9a-f]+ in (.*) (\S+)$')
VIOLATION = re.compile(r'^[a-z_]+: profile (\S+), after step \d+ \(.*\):$')
DIVERGENCE = re.compile(r'^[a-z_]+: (\S+) vs (\S+): unattributed divergence: step \d+ \(.*\): '
                        r'([\w.\[\]-]+): left ')
# Frames that are not the project's: libFuzzer, the sanitizer runtimes, libc.
FOREIGN = re.compile(r'^(fuzzer::|__sanitizer|__asan|__ubsan|__lsan|__interceptor|__libc|_start$|'
                     r'main$|abort$|raise$|__pthread|operator new|operator delete|malloc$|free$|'
                     r'calloc$|realloc$)')


def normalize(text):
    """Values out: addresses, then numbers."""
    text = re.sub(r'0x[0-9a-fA-F]+', 'ADDR', text)
    return re.sub(r'\d+', 'N', text).strip()


def function_name(frame):
    """'ns::f(int) const' -> 'ns::f'; keeps template arguments."""
    name = frame.replace('(anonymous namespace)', '{anon}')
    depth = 0
    for i, c in enumerate(name):
        if c == '<':
            depth += 1
        elif c == '>':
            depth -= 1
        elif c == '(' and depth == 0:
            return name[:i].strip()
    return name.strip()


def top_frames(lines, start, count=3):
    """The first `count` project frames of the stack that begins after line `start`."""
    out = []
    seen_stack = False
    for line in lines[start:]:
        m = FRAME.match(re.sub(r' \(BuildId: [0-9a-f]+\)$', '', line))
        if not m:
            if seen_stack:
                break  # the stack ended ("allocated by ..." is another one)
            continue
        seen_stack = True
        fn, where = function_name(m.group(1)), m.group(2)
        if FOREIGN.match(fn) or '/compiler-rt/' in where or '.so' in where:
            continue
        out.append(fn)
        if len(out) == count:
            break
    return out


def compute(target, output):
    """The signature of one run's output, as a dict: target, kind, where, detail;
    None when the output shows no failure."""
    lines = output.splitlines()
    for i, line in enumerate(lines):
        m = SANITIZER.search(line)
        if m:
            tool = {'AddressSanitizer': 'asan', 'LeakSanitizer': 'lsan', 'MemorySanitizer': 'msan',
                    'ThreadSanitizer': 'tsan'}[m.group(1)]
            kind = f'{tool} {m.group(2)}'
            if i + 1 < len(lines):
                a = ACCESS.match(lines[i + 1])
                if a:
                    kind += ' ' + a.group(1)
            return dict(target=target, kind=kind, where=' < '.join(top_frames(lines, i + 1)), detail='')
        m = UBSAN.match(line)
        if m:
            return dict(target=target, kind='ubsan', where=' < '.join(top_frames(lines, i + 1)),
                        detail=normalize(m.group(1)))
    for i, line in enumerate(lines):
        m = VIOLATION.match(line)
        if m:
            first = lines[i + 1] if i + 1 < len(lines) else ''
            return dict(target=target, kind='violation', where=m.group(1),
                        detail=normalize(first.split(':')[0]))
        m = DIVERGENCE.match(line)
        if m:
            field = re.sub(r'\[[^\]]*\]', '', m.group(3), count=1)
            return dict(target=target, kind='divergence', where=f'{m.group(1)} vs {m.group(2)}',
                        detail=field)
    for i, line in enumerate(lines):
        m = LIBFUZZER.search(line)
        if m:
            return dict(target=target, kind=m.group(1), where=' < '.join(top_frames(lines, i + 1)),
                        detail='')
    return None


def text(sig):
    """One line: 'TARGET | KIND | WHERE | DETAIL' (empty parts left out)."""
    return ' | '.join(p for p in (sig['target'], sig['kind'], sig['where'], sig['detail']) if p)


def ident(sig_text):
    """A short stable name for file names and links."""
    return hashlib.sha1(sig_text.encode()).hexdigest()[:12]


def main():
    if len(sys.argv) != 3:
        print(__doc__.split('\n\n')[1], file=sys.stderr)
        return 2
    with open(sys.argv[2], errors='replace') as f:
        sig = compute(sys.argv[1], f.read())
    print(text(sig) if sig else '')
    return 0


if __name__ == '__main__':
    sys.exit(main())
