#!/usr/bin/env python3
"""Line and branch coverage of core/ and of each upstream driver, for ./ballast campaign.

usage: coverage.py --root REPO --build COVBUILD --out COVERAGE.json --html DIR --jobs J
                   --corpus TARGET=DIR[:DIR...] ...

Each fuzz target of the coverage build (COVBUILD/fuzz/<target>: clang-19
source-based coverage, the replay main of fuzz/replay_main.cpp) replays its
corpus directories in one process; if that process fails (an input that
crashes or hangs loses the profile of the whole process), the target replays
its inputs one process each instead, J at a time, each with a time limit.
The profiles are merged (llvm-profdata-19), then llvm-cov-19 measures

  core/            every file below core/, lines and branches
  upstream seed    the seed driver (BALLAST_UPSTREAM_SEED of the coverage build)
  upstream 6.1     the Linux 6.1 driver
  upstream 6.12    the Linux 6.12 driver, and for each the lines outside
                   __init functions (upstream_cov.py)

and writes one page per file into DIR (llvm-cov's own HTML, its title showing
the path relative to the repository). COVERAGE.json holds the figures.

llvm-cov warns "N functions have mismatched data" when several fuzz targets are
measured together: an inline function that one target never uses still has a
coverage record in that binary (clang writes one for unused inline functions)
whose hash is not the one the profile has from the target that runs it.
Its coverage comes from the target that runs it, so the union is right; the
warning is counted in COVERAGE.json and explained once, not printed.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import upstream_cov  # noqa: E402

LLVM_COV, LLVM_PROFDATA = 'llvm-cov-19', 'llvm-profdata-19'
MISMATCH = re.compile(r'warning: (\d+) functions have mismatched data')


class Cov:
    def __init__(self, profdata, objects):
        self.base = ['-instr-profile=' + profdata, objects[0]] + ['-object=' + o for o in objects[1:]]
        self.mismatched = 0

    def run(self, verb, *args):
        p = subprocess.run([LLVM_COV, verb] + self.base + list(args), capture_output=True, text=True,
                           check=True)
        for m in MISMATCH.finditer(p.stderr):
            self.mismatched = max(self.mismatched, int(m.group(1)))
        return p.stdout

    def export(self, *paths):
        return json.loads(self.run('export', '-summary-only', *paths))['data'][0]


def replay(binary, dirs, prof, target, jobs):
    """Profiles of `binary` over every input in dirs, in PROF/<target>-*.profraw."""
    dirs = [d for d in dirs if os.path.isdir(d)]
    env = dict(os.environ, LLVM_PROFILE_FILE=os.path.join(prof, f'{target}-%p.profraw'))
    try:
        p = subprocess.run([binary] + dirs, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=1800)
        if p.returncode == 0:
            return 'one process'
    except subprocess.TimeoutExpired:
        pass
    for f in glob.glob(os.path.join(prof, f'{target}-*.profraw')):
        os.remove(f)
    files = [os.path.join(r, n) for d in dirs for r, _, ns in os.walk(d) for n in ns]

    def one(f):
        subprocess.run(['timeout', '-s', 'KILL', '20', binary, f], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        list(ex.map(one, files))
    return f'one process per input ({len(files)})'


def shown(path, root):
    """A path as the report shows it: relative to the repository (../shared/... beside it)."""
    return os.path.relpath(os.path.realpath(path), root)


def summary(f):
    s = f['summary']
    return dict(lines=s['lines']['percent'], lines_covered=s['lines']['covered'],
                lines_count=s['lines']['count'], branches=s['branches']['percent'],
                branches_covered=s['branches']['covered'], branches_count=s['branches']['count'])


def page(cov, path, name, html_dir, out):
    """llvm-cov's page for one file as html_dir/out, titled with the name the report gives it."""
    text = cov.run('show', '-format=html', '-show-branches=count', path)
    with open(os.path.join(html_dir, out), 'w') as f:
        f.write(text.replace(path, name))
    return out


def cache_value(build, key):
    with open(os.path.join(build, 'CMakeCache.txt')) as f:
        for line in f:
            if line.startswith(key + ':'):
                return line.split('=', 1)[1].strip()
    return ''


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--root', required=True)
    ap.add_argument('--build', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--html', required=True)
    ap.add_argument('--jobs', type=int, default=os.cpu_count())
    ap.add_argument('--corpus', action='append', required=True, help='TARGET=DIR[:DIR...]')
    a = ap.parse_args()
    root = os.path.realpath(a.root)
    prof = os.path.join(os.path.dirname(os.path.abspath(a.out)), 'prof')
    shutil.rmtree(prof, ignore_errors=True)
    os.makedirs(prof)
    objects, how = [], {}
    for spec in a.corpus:
        target, dirs = spec.split('=', 1)
        binary = os.path.join(a.build, 'fuzz', target)
        objects.append(binary)
        how[target] = replay(binary, dirs.split(':'), prof, target, a.jobs)
    profdata = os.path.join(prof, 'all.profdata')
    subprocess.run([LLVM_PROFDATA, 'merge', '-sparse', '-o', profdata] +
                   glob.glob(os.path.join(prof, '*.profraw')), check=True)
    for f in glob.glob(os.path.join(prof, '*.profraw')):
        os.remove(f)  # hundreds of MB; the merged profile is kept
    cov = Cov(profdata, objects)
    shutil.rmtree(a.html, ignore_errors=True)
    os.makedirs(a.html)
    result = dict(replay=how)

    core = cov.export(os.path.join(root, 'core'))
    files = []
    for f in core['files']:
        name = shown(f['filename'], root)
        files.append(dict(file=name, html=page(cov, f['filename'], name, a.html,
                                                re.sub(r'[^\w.-]+', '-', name) + '.html'), **summary(f)))
    result['core'] = dict(files=files, **summary(dict(summary=core['totals'])))

    seed = os.path.realpath(cache_value(a.build, 'BALLAST_UPSTREAM_SEED') or '/nonexistent')
    # 6.12: BALLAST_UPSTREAM_612, or extracted from linux-source-6.12 (diff/upstream.cmake)
    v612 = os.path.realpath(cache_value(a.build, 'BALLAST_UPSTREAM_612') or '/nonexistent')

    def version_of(path):
        real = os.path.realpath(path)
        if real == seed:
            return 'seed'
        if real == v612 or '/linux-source-6.12/' in real:
            return '6.12'
        return '6.1'

    everything = cov.export()
    result['upstream'] = {}
    show = [LLVM_COV, 'show'] + cov.base
    for f in everything['files']:
        path = f['filename']
        if not (path.endswith('.c') and 'balloon' in os.path.basename(path)):
            continue
        version = version_of(path)
        name = f'upstream {version}: {shown(path, root)}'
        result['upstream'][version] = dict(file=shown(path, root),
                                           html=page(cov, path, name, a.html, f'upstream-{version}.html'),
                                           **summary(f), **upstream_cov.noninit(path, show))
    result['mismatched_functions'] = cov.mismatched
    with open(a.out, 'w') as f:
        json.dump(result, f, indent=2)
    c = result['core']
    print(f'  core/: lines {c["lines"]:.1f}% ({c["lines_covered"]}/{c["lines_count"]}), '
          f'branches {c["branches"]:.1f}% ({c["branches_covered"]}/{c["branches_count"]})')
    for v, u in sorted(result['upstream'].items()):
        print(f'  upstream {v} ({u["file"]}): lines {u["lines"]:.1f}%, outside __init '
              f'{u["noninit_percent"]:.1f}% ({u["noninit_covered"]}/{u["noninit_lines"]}; '
              f'__init: {", ".join(u["init_functions"])})')
    if cov.mismatched:
        print(f'  (llvm-cov: {cov.mismatched} inline functions unused in one target and used in another '
              f'have two records; the target that runs them counts -- fuzz/campaign/coverage.py)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
