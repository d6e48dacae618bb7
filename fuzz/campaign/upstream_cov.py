#!/usr/bin/env python3
"""Line coverage of the upstream driver's non-init code, for ./ballast campaign.

usage: upstream_cov.py OUT.json FILE... -- llvm-cov-19 show ARGS...

Runs `llvm-cov show -format=text -show-line-counts -show-instantiations=false`
(line counts are the union over every compiled configuration of the file),
then drops the lines of functions marked __init: a definition whose header
(the lines from the function's first line to its opening brace at column 0)
contains the token __init; its body ends at the next '}' in column 0. The
__init functions (balloon_init, balloon_add_region, balloon_wait_finish, ...)
run once at boot; every scenario runs them, they are not what the diff checks.
Writes {"files": [...], "totals": {...}} with line counts in and out of __init.
"""
import json, re, subprocess, sys

LINE = re.compile(r'^\s*(\d+)\|\s*([0-9.kMGE]*)\|(.*)$')


def count(s):
    m = re.match(r'^([0-9.]+)([kMGE]?)$', s)
    if not m:
        return None
    mult = {'': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'E': 1e18}[m.group(2)]
    return float(m.group(1)) * mult


def main():
    out = sys.argv[1]
    sep = sys.argv.index('--')
    srcs, cmd = sys.argv[2:sep], sys.argv[sep + 1:]
    files = []
    for src in srcs:
        text = subprocess.run(cmd + ['-format=text', '-show-line-counts', '-show-instantiations=false',
                                     '-show-expansions=false', src],
                              check=True, capture_output=True, text=True).stdout
        cur = dict(file=src, lines=[])
        files.append(cur)
        for raw in text.splitlines():
            m = LINE.match(raw)
            if m:
                cur['lines'].append((int(m.group(1)), count(m.group(2)) if m.group(2) else None, m.group(3)))
    res = []
    for f in files:
        in_init, header, hdr_has_init = False, [], False
        tot = cov = itot = icov = 0
        init_funcs = []
        for no, c, src in f['lines']:
            if not in_init:
                # a top-level line that starts a declaration: collect the header
                if src and not src[0].isspace() and src[0] not in '#}/*' and not src.startswith('{'):
                    header.append(src)
                    hdr_has_init = hdr_has_init or re.search(r'\b__init\b', src) is not None
                elif src.startswith('{') and header:
                    if hdr_has_init:
                        in_init = True
                        mm = re.search(r'(\w+)\s*\(', ' '.join(header))
                        init_funcs.append(mm.group(1) if mm else '?')
                    header, hdr_has_init = [], False
                elif not src.strip() or src.startswith(('#', '}', '/*', ' *')):
                    if src.startswith('}') or src.startswith('#') or not src.strip():
                        header, hdr_has_init = [], False
            if c is not None:
                if in_init:
                    itot += 1
                    icov += c > 0
                else:
                    tot += 1
                    cov += c > 0
            if in_init and src.startswith('}'):
                in_init = False
        res.append(dict(file=f['file'], noninit_lines=tot, noninit_covered=cov,
                        noninit_percent=round(100.0 * cov / tot, 2) if tot else 0.0,
                        init_lines=itot, init_covered=icov, init_functions=init_funcs))
    T = sum(r['noninit_lines'] for r in res)
    C = sum(r['noninit_covered'] for r in res)
    totals = dict(noninit_lines=T, noninit_covered=C, noninit_percent=round(100.0 * C / T, 2) if T else 0.0)
    json.dump(dict(files=res, totals=totals), open(out, 'w'), indent=2)
    print(f'upstream non-init line coverage: {totals["noninit_percent"]}% ({C}/{T})')
    for r in res:
        print(f'  {r["file"]}: {r["noninit_percent"]}% ({r["noninit_covered"]}/{r["noninit_lines"]}); '
              f'excluded __init: {", ".join(r["init_functions"])} ({r["init_lines"]} lines)')


if __name__ == '__main__':
    main()
