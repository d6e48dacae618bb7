#!/usr/bin/env python3
"""The campaign's history: one record per run in STATE/history.jsonl (one JSON
object a line, oldest first), for the report's plots across runs.

usage: history.py --state STATE --run RUN     (adds RUN's record, or replaces
                                               the record of the same run)

A record: the run's name, commit (and whether the checkout had changes), date,
duration, compiler, cores and jobs, seconds per target, and per target the
executions, exec/s, edges, features and corpus size at the end; coverage of
core/ and of each upstream driver; the differential figures per pair; the
findings new, known and regressions (fixed findings seen again).
"""
import argparse
import json
import os
import re
import sys

# libFuzzer's status lines, in -fork mode as in-process:
# "#752790: cov: 1190 ft: 5384 corp: 927 exec/s: 41524 oom/timeout/crash: 0/0/0 time: 21s ..."
STATUS = re.compile(r'^#(\d+):?\s.*?cov: (\d+)(?:.*?ft: (\d+))?.*?corp: (\d+)(?:\S*)?(?:.*?exec/s:? (\d+))?'
                    r'(?:.*?time: (\d+)s)?')


def progress(log_path):
    """The status lines of one target's libFuzzer log, oldest first."""
    pts = []
    if not os.path.exists(log_path):
        return pts
    with open(log_path, errors='replace') as f:
        for line in f:
            m = STATUS.match(line)
            if m:
                execs, cov, ft, corp, eps, t = m.groups()
                pts.append(dict(execs=int(execs), edges=int(cov), features=int(ft or 0), corpus=int(corp),
                                exec_per_sec=int(eps or 0), seconds=int(t) if t else None))
    return pts


def load_json(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def record(state, run_dir):
    run = load_json(os.path.join(run_dir, 'run.json'), {})
    rec = {k: run.get(k) for k in ('run', 'commit', 'dirty', 'date', 'duration_s', 'compiler', 'cores',
                                   'jobs', 'seconds_per_target', 'plant', 'libfuzzer_options')}
    rec['targets'] = {}
    for t in run.get('targets', []):
        pts = progress(os.path.join(run_dir, t, 'fuzz.log'))
        last = pts[-1] if pts else {}
        secs = last.get('seconds') or run.get('seconds_per_target') or 0
        corpus_dir = os.path.join(state, 'corpus', t)
        rec['targets'][t] = dict(
            execs=last.get('execs', 0), exec_per_sec=round(last.get('execs', 0) / secs) if secs else 0,
            edges=last.get('edges', 0), features=last.get('features', 0),
            corpus=len(os.listdir(corpus_dir)) if os.path.isdir(corpus_dir) else 0)
    cov = load_json(os.path.join(run_dir, 'coverage.json'))
    if cov:
        rec['coverage'] = dict(core=dict(lines=cov['core']['lines'], branches=cov['core']['branches']))
        for v, u in cov['upstream'].items():
            rec['coverage'][f'upstream {v}'] = dict(lines=u['lines'], branches=u['branches'],
                                                    noninit_lines=u['noninit_percent'])
    diff = load_json(os.path.join(run_dir, 'diff.json'))
    if diff:
        rec['diff'] = {f'{p["left"]} vs {p["right"]}': dict(scenarios=p['scenarios'], divergences=p['divergences'],
                                                            unattributed=p['unattributed'])
                       for p in diff['pairs']}
    triage = load_json(os.path.join(run_dir, 'triage.json'))
    if triage:
        rec['findings'] = triage['counts']
    return rec


def load(state):
    path = os.path.join(state, 'history.jsonl')
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def add(state, rec):
    runs = [r for r in load(state) if r.get('run') != rec['run']] + [rec]
    runs.sort(key=lambda r: r['run'])
    tmp = os.path.join(state, 'history.jsonl.tmp')
    with open(tmp, 'w') as f:
        for r in runs:
            f.write(json.dumps(r, sort_keys=True) + '\n')
    os.replace(tmp, os.path.join(state, 'history.jsonl'))
    return runs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--state', required=True)
    ap.add_argument('--run', required=True)
    a = ap.parse_args()
    runs = add(a.state, record(a.state, a.run))
    print(f'  history: {len(runs)} run(s) in {os.path.join(a.state, "history.jsonl")}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
