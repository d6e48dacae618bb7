#!/usr/bin/env python3
"""Triage of one campaign run's crashes (./ballast campaign, scripts/campaign.sh).

usage: triage.py --root REPO --build BUILD --run RUN --state STATE --findings DIR --report REPORT
                 [--minimize-seconds S]

Every file libFuzzer saved in RUN/artifacts/<target>/ (a crash, an invariant
violation, an unattributed divergence, a timeout) is run again through its
target (BUILD/fuzz/<target>) and given a signature (signature.py). Files with
the same signature are one finding. Each finding is

  matched   against DIR (corpus/findings/<open|fixed>-<target>-<name>.scn): the
            signature on a file's "# signature:" line, or for an open finding
            without one, the signature of the file run through the target.
            Same signature as an open finding: "known"; as a fixed one:
            "regression"; else "new".
  minimized the first time this state sees it, by the tool that shows it:
            a violation by `ballast_fuzz_tool minimize`, a divergence by
            `ballast-diff run --repro` (with its side-by-side page, --html),
            anything else by libFuzzer's -minimize_crash (kept only if the
            signature stays the same);
  kept      in STATE/findings/<id>/ (finding.json, the crash, the minimized
            reproducer, readable as scenario text, the log) and copied to
            REPORT/findings/<id>/ for the report's pages;
  checked   by running the command the page gives (./ballast replay,
            ./ballast diff, or the sanitizer build of the target) on the
            reproducer: it must fail the same way.

Writes RUN/triage.json. Exit status 0 (the campaign decides what fails it).
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import signature  # noqa: E402

# The one target whose input is not a scenario (it reads text itself).
TEXT_TARGETS = {'scenario_parser'}
SIG_LINE = re.compile(r'^#\s*signature:\s*(.+?)\s*$', re.M)
FINDING_NAME = re.compile(r'^(open|fixed)-([a-z_]+)-.+\.scn$')


def env():
    e = dict(os.environ)
    e['UBSAN_OPTIONS'] = 'print_stacktrace=1:' + e.get('UBSAN_OPTIONS', '')
    e['LLVM_PROFILE_FILE'] = '/dev/null'
    return e


def run(cmd, cwd=None, timeout=180):
    """(exit status, stdout and stderr together); status -1 on a time-out."""
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, env=env())
        return p.returncode, p.stdout.decode(errors='replace')
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode(errors='replace')
        return -1, out + f'\n[triage: {" ".join(cmd)} timed out after {timeout} s]\n'


class Tools:
    def __init__(self, root, build):
        self.root, self.build = root, build
        self.tool = os.path.join(build, 'fuzz', 'ballast_fuzz_tool')
        self.diff = os.path.join(build, 'diff', 'ballast-diff')

    def target(self, t):
        return os.path.join(self.build, 'fuzz', t)

    def shown(self, path):
        """A path as a command on the page shows it: relative to the repository when inside it."""
        rel = os.path.relpath(os.path.abspath(path), self.root)
        return path if rel.startswith('..') else rel

    def signature_of(self, target, path, cwd):
        """(signature dict or None, the target's output) for one input file. The
        time-out is the fuzzing one (scripts/campaign.sh), so that a saved hang hangs again."""
        rc, out = run([self.target(target), '-timeout=10', os.path.abspath(path)], cwd=cwd)
        return signature.compute(target, out), out

    def to_binary(self, scn, out):
        return run([self.tool, 'to-bin', scn, out])[0] == 0 and os.path.exists(out)


def known_findings(findings_dir, tools, tmp):
    """Every finding file with its state, target and signature (None when unknown)."""
    known = []
    for path in sorted(glob.glob(os.path.join(findings_dir, '*.scn'))):
        m = FINDING_NAME.match(os.path.basename(path))
        if not m:
            continue
        state, target = m.group(1), m.group(2)
        with open(path, errors='replace') as f:
            rec = SIG_LINE.search(f.read())
        sig, how = (rec.group(1), 'recorded') if rec else (None, None)
        if not sig and state == 'open' and os.path.exists(tools.target(target)):
            # Run it through its target as the fuzzer ran the crash.
            inp = path if target in TEXT_TARGETS else os.path.join(tmp, 'finding.bin')
            if inp == path or tools.to_binary(path, inp):
                s, _ = tools.signature_of(target, inp, tmp)
                if s:
                    sig, how = signature.text(s), 'computed'
        known.append(dict(file=os.path.basename(path), state=state, target=target, signature=sig,
                          how=how))
    return known


def match(sig_text, known):
    """('known'|'regression'|'new', the matching finding file or None)."""
    for state, status in (('open', 'known'), ('fixed', 'regression')):
        for k in known:
            if k['state'] == state and k['signature'] == sig_text:
                return status, k['file']
    return 'new', None


def with_signature_line(path, sig_text):
    """Put the signature on the reproducer's first line (a comment to every tool)."""
    with open(path) as f:
        body = f.read()
    body = SIG_LINE.sub('', body).lstrip('\n') if SIG_LINE.search(body) else body
    with open(path, 'w') as f:
        f.write(f'# signature: {sig_text}\n' + body)


def minimize(tools, sig, fdir, seconds):
    """Make the reproducer of a new finding in fdir (crash.bin is there). Returns
    the files made, by role."""
    target, kind = sig['target'], sig['kind']
    files = dict(crash='crash.bin')
    log = []
    if kind == 'violation':
        rc, out = run([tools.tool, 'minimize', '--binary', 'crash.bin', 'repro.scn'], cwd=fdir)
        log.append(out)
        if rc != 0 or not os.path.exists(os.path.join(fdir, 'repro.scn')):
            run([tools.tool, 'to-scn', '--binary', 'crash.bin', 'repro.scn'], cwd=fdir)
        files['repro'] = 'repro.scn'
    elif kind == 'divergence':
        left, right = sig['where'].split(' vs ')
        run([tools.tool, 'to-scn', '--binary', 'crash.bin', 'crash.scn'], cwd=fdir)
        rc, out = run([tools.diff, 'run', 'crash.scn', '--left', left, '--right', right,
                       '--repro', 'repro.scn'], cwd=fdir)
        log.append(out)
        if not os.path.exists(os.path.join(fdir, 'repro.scn')):
            shutil.copy(os.path.join(fdir, 'crash.scn'), os.path.join(fdir, 'repro.scn'))
        files['repro'] = 'repro.scn'
    else:
        rc, out = run([tools.target(target), '-minimize_crash=1', f'-max_total_time={seconds}', '-timeout=10',
                       '-exact_artifact_path=crash-min.bin', 'crash.bin'], cwd=fdir, timeout=seconds + 120)
        log.append(out)
        small = os.path.join(fdir, 'crash-min.bin')
        if os.path.exists(small):
            s, _ = tools.signature_of(target, small, fdir)
            if not s or signature.text(s) != signature.text(sig):
                os.remove(small)  # a different crash: keep the original
        if not os.path.exists(small):
            shutil.copy(os.path.join(fdir, 'crash.bin'), small)
        files['crash_min'] = 'crash-min.bin'
        if target not in TEXT_TARGETS:
            run([tools.tool, 'to-scn', '--binary', 'crash-min.bin', 'repro.scn'], cwd=fdir)
            files['repro'] = 'repro.scn'
    if 'repro' in files and os.path.exists(os.path.join(fdir, files['repro'])):
        with_signature_line(os.path.join(fdir, files['repro']), signature.text(sig))
    with open(os.path.join(fdir, 'minimize.log'), 'w') as f:
        f.write('\n'.join(log))
    return files


def check(tools, sig, fdir, files, report_dir):
    """Run what the page tells a person to run; (command as shown, reproduced?, output).
    A divergence also gets its side-by-side page (of the minimized reproducer)."""
    shown_dir = os.path.join(report_dir, 'findings', os.path.basename(fdir))
    shown = lambda name: tools.shown(os.path.join(shown_dir, name))  # noqa: E731
    target, kind = sig['target'], sig['kind']
    if kind == 'violation':
        rc, out = run([tools.tool, 'replay', files['repro']], cwd=fdir)
        ok = rc == 1 and 'VIOLATION' in out and sig['detail'] in signature.normalize(out)
        return f'./ballast replay {shown(files["repro"])}', ok, out
    if kind == 'divergence':
        rc, out = run([tools.diff, 'run', files['repro'], '--no-minimize', '--html', 'side-by-side.html'],
                      cwd=fdir)
        files['side_by_side'] = 'side-by-side.html'
        ok = rc == 1 and f'field {sig["detail"]}' in re.sub(r'\[[^\]]*\]', '', out, count=1)
        return f'./ballast diff {shown(files["repro"])}', ok, out
    s, out = tools.signature_of(target, os.path.join(fdir, files['crash_min']), fdir)
    ok = bool(s) and signature.text(s) == signature.text(sig)
    return f'{tools.shown(tools.target(target))} {shown(files["crash_min"])}', ok, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--root', required=True)
    ap.add_argument('--build', required=True, help='the libFuzzer build (build/fuzz)')
    ap.add_argument('--run', required=True, help='this run\'s directory in the state')
    ap.add_argument('--state', required=True)
    ap.add_argument('--findings', required=True, help='corpus/findings')
    ap.add_argument('--report', required=True)
    ap.add_argument('--minimize-seconds', type=int, default=60,
                    help="libFuzzer's -minimize_crash time per finding")
    a = ap.parse_args()
    tools = Tools(os.path.abspath(a.root), os.path.abspath(a.build))
    run_id = os.path.basename(os.path.normpath(a.run))
    tmp = tempfile.mkdtemp(prefix='ballast-triage-')
    try:
        known = known_findings(a.findings, tools, tmp)
        groups = {}  # signature text -> (sig, [crash files])
        unreproduced = []
        for adir in sorted(glob.glob(os.path.join(a.run, 'artifacts', '*'))):
            target = os.path.basename(adir)
            for crash in sorted(glob.glob(os.path.join(adir, '*')), key=os.path.getsize):
                s, out = tools.signature_of(target, crash, tmp)
                if not s:
                    unreproduced.append(dict(target=target, file=os.path.relpath(crash, a.state)))
                    continue
                groups.setdefault(signature.text(s), (s, []))[1].append(crash)
        findings = []
        for sig_text, (sig, crashes) in sorted(groups.items()):
            sid = signature.ident(sig_text)
            fdir = os.path.join(a.state, 'findings', sid)
            meta_path = os.path.join(fdir, 'finding.json')
            if os.path.exists(meta_path):
                with open(meta_path) as f:
                    meta = json.load(f)
            else:
                os.makedirs(fdir, exist_ok=True)
                shutil.copy(crashes[0], os.path.join(fdir, 'crash.bin'))
                meta = dict(id=sid, signature=sig_text, **sig, first_run=run_id, runs=[], crashes=0,
                            files=minimize(tools, sig, fdir, a.minimize_seconds))
            meta['status'], meta['finding'] = match(sig_text, known)
            meta['command'], meta['reproduced'], out = check(tools, sig, fdir, meta['files'],
                                                              a.report)
            with open(os.path.join(fdir, 'log.txt'), 'w') as f:
                f.write(out)
            meta['files']['log'] = 'log.txt'
            if run_id not in meta['runs']:
                meta['runs'].append(run_id)
                meta['crashes'] += len(crashes)
            meta['crashes_this_run'] = len(crashes)
            with open(meta_path, 'w') as f:
                json.dump(meta, f, indent=2)
            findings.append(meta)
        # Every finding the state has seen gets its page, this run's and earlier ones.
        for fdir in glob.glob(os.path.join(a.state, 'findings', '*')):
            shutil.copytree(fdir, os.path.join(a.report, 'findings', os.path.basename(fdir)),
                            dirs_exist_ok=True)
        counts = {k: sum(1 for f in findings if f['status'] == k) for k in ('new', 'known', 'regression')}
        result = dict(run=run_id, findings=findings, counts=counts, unreproduced=unreproduced,
                      known_findings=known, findings_dir=tools.shown(a.findings))
        with open(os.path.join(a.run, 'triage.json'), 'w') as f:
            json.dump(result, f, indent=2)
        for fd in findings:
            print(f'  {fd["status"].upper():10} {fd["signature"]}  ({fd["crashes_this_run"]} crash file(s); '
                  f'{"reproduces" if fd["reproduced"] else "DOES NOT REPRODUCE"}: {fd["command"]})')
        for u in unreproduced:
            print(f'  not reproduced: {u["target"]} {u["file"]}')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
