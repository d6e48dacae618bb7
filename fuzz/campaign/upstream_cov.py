#!/usr/bin/env python3
"""Line coverage of the upstream driver's non-init code, for ./ballast campaign
(coverage.py calls noninit() once per upstream file).

Runs `llvm-cov show -format=text -show-line-counts -show-instantiations=false`
(line counts are the union over every compiled configuration of the file),
then drops the lines of functions marked __init: a definition whose header
(the lines from the function's first line to its opening brace at column 0)
contains the token __init; its body ends at the next '}' in column 0. The
__init functions (balloon_init, balloon_add_region, balloon_wait_finish, ...)
run once at boot; every scenario runs them, they are not what the diff checks.
Returns the line counts in and out of __init.
"""
import re
import subprocess

LINE = re.compile(r'^\s*(\d+)\|\s*([0-9.kMGE]*)\|(.*)$')


def count(s):
    m = re.match(r'^([0-9.]+)([kMGE]?)$', s)
    if not m:
        return None
    mult = {'': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'E': 1e18}[m.group(2)]
    return float(m.group(1)) * mult


def noninit(src, show_cmd):
    """Line counts of one upstream file in and out of its __init functions.
    show_cmd: the `llvm-cov-19 show -instr-profile=... BINARY -object=...` words."""
    text = subprocess.run(show_cmd + ['-format=text', '-show-line-counts', '-show-instantiations=false',
                                      '-show-expansions=false', src],
                          check=True, capture_output=True, text=True).stdout
    lines = []
    for raw in text.splitlines():
        m = LINE.match(raw)
        if m:
            lines.append((int(m.group(1)), count(m.group(2)) if m.group(2) else None, m.group(3)))
    in_init, header, hdr_has_init = False, [], False
    tot = cov = itot = icov = 0
    init_funcs = []
    for no, c, src_line in lines:
        if not in_init:
            # a top-level line that starts a declaration: collect the header
            if src_line and not src_line[0].isspace() and src_line[0] not in '#}/*' \
                    and not src_line.startswith('{'):
                header.append(src_line)
                hdr_has_init = hdr_has_init or re.search(r'\b__init\b', src_line) is not None
            elif src_line.startswith('{') and header:
                if hdr_has_init:
                    in_init = True
                    mm = re.search(r'(\w+)\s*\(', ' '.join(header))
                    init_funcs.append(mm.group(1) if mm else '?')
                header, hdr_has_init = [], False
            elif src_line.startswith(('}', '#')) or not src_line.strip():
                header, hdr_has_init = [], False
        if c is not None:
            if in_init:
                itot += 1
                icov += c > 0
            else:
                tot += 1
                cov += c > 0
        if in_init and src_line.startswith('}'):
            in_init = False
    return dict(noninit_lines=tot, noninit_covered=cov,
                noninit_percent=round(100.0 * cov / tot, 2) if tot else 0.0,
                init_lines=itot, init_covered=icov, init_functions=init_funcs)
