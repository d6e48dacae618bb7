#!/usr/bin/env python3
"""The campaign's report: REPORT/index.html, one page per finding
(REPORT/findings/<id>/index.html) and REPORT/summary.json.

usage: report.py --root REPO --state STATE --run RUN --report REPORT

Reads what the run left in RUN (run.json, <target>/fuzz.log, triage.json,
coverage.json, diff.json), the findings the state has seen
(STATE/findings/*/finding.json) and the history (history.py). The page is
static HTML with inline SVG charts (svgplot.py); every link is relative and
stays inside REPORT. Exit status 1 when the run found something new or a
regression of a fixed finding, or a target did not run.
"""
import argparse
import glob
import html
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import history  # noqa: E402
import svgplot  # noqa: E402

E = html.escape
COLOURS = ['#1f6feb', '#d9822b', '#2da44e', '#8250df', '#cf222e', '#57606a']
STYLE = '''body{font-family:system-ui,sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;color:#1f2328}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:right}
td:first-child,th:first-child,td.l,th.l{text-align:left}th{background:#f6f8fa}
pre{background:#f6f8fa;padding:8px;overflow-x:auto;font-size:12px;border:1px solid #d0d7de}
code{background:#f6f8fa;padding:0 3px}.ok{color:#1a7f37}.fail{color:#cf222e;font-weight:bold}
.warn{color:#9a6700}.note{color:#57606a;font-size:.9em}.charts{display:flex;flex-wrap:wrap;gap:12px}
.chart{border:1px solid #d0d7de;background:#fff}td.zero{color:#8c959f}'''


def load(path, default=None):
    return history.load_json(path, default)


def rel_shown(path, root):
    r = os.path.relpath(os.path.abspath(path), root)
    return r if not r.startswith('../..') else path


def page(title, body):
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{E(title)}</title>'
            f'<style>{STYLE}</style></head><body>{body}</body></html>\n')


def status_of(f):
    if f['status'] == 'known':
        return f'<span class="warn">known</span> (open finding <code>{E(f["finding"])}</code>)'
    if f['status'] == 'regression':
        return f'<span class="fail">REGRESSION</span> of fixed finding <code>{E(f["finding"])}</code>'
    return '<span class="fail">NEW</span>'


def finding_page(f, run_id):
    fl = f['files']
    parts = [f'<p><a href="../../index.html">&larr; campaign report</a></p>',
             f'<h1>Finding {E(f["id"])}</h1>',
             '<table>',
             f'<tr><th class="l">signature</th><td class="l"><code>{E(f["signature"])}</code></td></tr>',
             f'<tr><th class="l">target</th><td class="l">{E(f["target"])}</td></tr>',
             f'<tr><th class="l">kind</th><td class="l">{E(f["kind"])}</td></tr>',
             f'<tr><th class="l">status</th><td class="l">{status_of(f)}</td></tr>',
             f'<tr><th class="l">first seen</th><td class="l">run {E(f["first_run"])}</td></tr>',
             f'<tr><th class="l">runs seen</th><td class="l">{len(f["runs"])} '
             f'(last: {E(f["runs"][-1])}; {"this run" if f["runs"][-1] == run_id else "not this run"})</td></tr>',
             f'<tr><th class="l">crash files</th><td class="l">{f["crashes"]} in all</td></tr>',
             '</table>',
             '<h2>Reproduce</h2>',
             f'<pre>{E(f["command"])}</pre>',
             f'<p class="{"ok" if f["reproduced"] else "fail"}">'
             f'{"Checked: this command shows the failure." if f["reproduced"] else "This command did NOT show the failure when checked."}'
             f' Its output: <a href="{E(fl["log"])}">{E(fl["log"])}</a>.</p>']
    if fl.get('side_by_side'):
        parts.append(f'<p>Both sides step by step: <a href="{E(fl["side_by_side"])}">side-by-side page</a> '
                     '(ballast-diff --html).</p>')
    downloads = [(fl.get('repro'), 'minimized reproducer, scenario text'),
                 (fl.get('crash_min'), 'minimized crash input (binary)'),
                 (fl.get('crash'), 'the crash input as the fuzzer saved it (binary)')]
    parts.append('<h2>Files</h2><ul>' + ''.join(
        f'<li><a href="{E(n)}" download>{E(n)}</a>: {E(w)}</li>' for n, w in downloads if n) +
        '<li><a href="minimize.log">minimize.log</a>: what the minimizer printed</li></ul>')
    if fl.get('repro'):
        try:
            with open(os.path.join(f['_dir'], fl['repro'])) as r:
                parts.append(f'<h2>Reproducer ({E(fl["repro"])})</h2><pre>{E(r.read())}</pre>')
        except OSError:
            pass
    if f['status'] == 'new' and fl.get('repro'):
        parts.append(f'<p class="note">To keep it: copy <code>{E(fl["repro"])}</code> to '
                     f'<code>corpus/findings/open-{E(f["target"])}-NAME.scn</code> with its explanation '
                     '(corpus/README.md); its signature line makes later campaigns report it as known.</p>')
    return page(f'ballast finding {f["id"]}', '\n'.join(parts))


def run_details(run, state, root):
    rows = [('run', run.get('run')),
            ('commit', (run.get('commit') or '?') + (' (with uncommitted changes)' if run.get('dirty') else '')),
            ('date (UTC)', run.get('date')), ('duration', f'{run.get("duration_s", "?")} s'),
            ('compiler', run.get('compiler')), ('cores', run.get('cores')), ('jobs', run.get('jobs')),
            ('seconds per target', run.get('seconds_per_target')),
            ('targets', ', '.join(run.get('targets', []))),
            ('planted targets', 'yes (--plant)' if run.get('plant') else 'no'),
            ('libFuzzer options', ' '.join(run.get('libfuzzer_options', []))),
            ('state directory', rel_shown(state, root))]
    return '<table>' + ''.join(f'<tr><th class="l">{E(k)}</th><td class="l">{E(str(v))}</td></tr>'
                               for k, v in rows) + '</table>'


def findings_section(triage, state_findings, run_id):
    found = triage.get('findings', []) if triage else []
    out = []
    if found:
        out.append('<table><tr><th>signature</th><th>status</th><th>crash files (this run)</th>'
                   '<th>first seen</th><th>reproduces</th><th class="l">command</th></tr>')
        for f in found:
            out.append(f'<tr><td class="l"><a href="findings/{E(f["id"])}/index.html"><code>{E(f["signature"])}'
                       f'</code></a></td><td class="l">{status_of(f)}</td><td>{f["crashes_this_run"]}</td>'
                       f'<td class="l">{E(f["first_run"])}</td>'
                       f'<td class="{"ok" if f["reproduced"] else "fail"}">{"yes" if f["reproduced"] else "NO"}</td>'
                       f'<td class="l"><code>{E(f["command"])}</code></td></tr>')
        out.append('</table>')
    else:
        out.append('<p class="ok">No crash, invariant violation or unattributed divergence in this run.</p>')
    earlier = [f for f in state_findings if f['runs'][-1] != run_id]
    if earlier:
        out.append('<p>Seen in earlier runs of this state, not in this one:</p><ul>' + ''.join(
            f'<li><a href="findings/{E(f["id"])}/index.html"><code>{E(f["signature"])}</code></a> '
            f'(last seen {E(f["runs"][-1])})</li>' for f in earlier) + '</ul>')
    if triage and triage.get('unreproduced'):
        out.append('<p class="warn">Crash files that did not crash again: ' +
                   ', '.join(f'{E(u["target"])}: <code>{E(u["file"])}</code>' for u in triage['unreproduced']) + '</p>')
    if triage:
        known = triage.get('known_findings', [])
        nosig = [k['file'] for k in known if not k['signature']]
        out.append(f'<p class="note">Matched against {len(known)} finding(s) in '
                   f'<code>{E(triage.get("findings_dir", "corpus/findings"))}</code> '
                   f'({sum(1 for k in known if k["state"] == "open")} open); '
                   + (f'without a signature (not matchable): {E(", ".join(nosig))}.' if nosig else 'all have a signature.')
                   + '</p>')
    return '\n'.join(out)


def targets_section(rec):
    rows = ''.join(f'<tr><td>{E(t)}</td><td>{v["execs"]:,}</td><td>{v["exec_per_sec"]:,}</td><td>{v["edges"]:,}</td>'
                   f'<td>{v["features"]:,}</td><td>{v["corpus"]:,}</td></tr>' for t, v in rec['targets'].items())
    planted = [t for t in rec['targets'] if t.endswith('_planted')]
    note = (f'<p class="note">{E(", ".join(planted))}: planted twins (--plant); they run in-process and stop '
            'at their first crash, often on a seed.</p>' if planted else '')
    return ('<table><tr><th>target</th><th>executions</th><th>exec/s</th><th>coverage (edges)</th>'
            f'<th>features</th><th>corpus (state, distilled)</th></tr>{rows}</table>{note}')


def diff_section(diff):
    if not diff:
        return '<p class="warn">No differential figures (diff_upstream was not built: no upstream driver).</p>'
    pairs = diff['pairs']
    out = ['<p>Every input of the <code>diff_upstream</code> corpus (the seeds and the state\'s corpus) run '
           'again on its pair (its selector byte: <code>core:PROFILE</code> against the upstream version '
           'PROFILE models), every divergence attributed to the switches that explain it '
           '(<code>ballast-diff corpus</code>).</p>',
           '<table><tr><th>pair</th><th>scenarios</th><th>steps</th><th>divergent</th><th>attributed</th>'
           '<th>unattributed</th></tr>']
    for p in pairs:
        out.append(f'<tr><td>{E(p["left"])} vs {E(p["right"])}</td><td>{p["scenarios"]:,}</td><td>{p["steps"]:,}</td>'
                   f'<td>{p["divergences"]:,}</td><td>{p["attributed"]:,}</td>'
                   f'<td class="{"fail" if p["unattributed"] else "ok"}">{p["unattributed"]:,}</td></tr>')
    out.append('</table>')
    switches = sorted({s for p in pairs for s in p['by_switch']})
    if switches:
        out.append('<p>Divergent scenarios explained by each switch (a scenario may need several); each count '
                   'links to one example, minimized to what the switch still explains, side by side, and its '
                   'reproducer (<code>./ballast diff FILE</code>).</p>')
        out.append('<table><tr><th>switch</th>' + ''.join(
            f'<th>{E(p["left"])} vs {E(p["right"])}</th>' for p in pairs) + '</tr>')
        for s in switches:
            cells = []
            for p in pairs:
                n = p['by_switch'].get(s, 0)
                ex = p['examples'].get(s, {})
                if n and ex.get('html'):
                    cells.append(f'<td>{n:,} (<a href="{E(ex["html"])}">example</a>, '
                                 f'<a href="{E(ex["repro"])}" download>.scn</a>)</td>')
                else:
                    cells.append(f'<td class="zero">{n:,}</td>' if n else '<td class="zero">-</td>')
            out.append(f'<tr><td><code>{E(s)}</code></td>{"".join(cells)}</tr>')
        out.append('</table>')
    return '\n'.join(out)


def coverage_section(cov):
    if not cov:
        return '<p class="warn">Coverage was not measured.</p>'
    c = cov['core']
    rows = [f'<tr><td><b>core/</b> (total)</td><td>{c["lines"]:.1f}% ({c["lines_covered"]}/{c["lines_count"]})</td>'
            f'<td>{c["branches"]:.1f}% ({c["branches_covered"]}/{c["branches_count"]})</td><td>-</td></tr>']
    for f in c['files']:
        if not f['lines_count']:
            continue
        rows.append(f'<tr><td>&nbsp;&nbsp;<a href="coverage/{E(f["html"])}">{E(f["file"])}</a></td>'
                    f'<td>{f["lines"]:.1f}%</td><td>{f["branches"]:.1f}%</td><td>-</td></tr>')
    for v, u in sorted(cov['upstream'].items()):
        rows.append(f'<tr><td><b>upstream {E(v)}</b>: <a href="coverage/{E(u["html"])}">{E(u["file"])}</a></td>'
                    f'<td>{u["lines"]:.1f}% ({u["lines_covered"]}/{u["lines_count"]})</td>'
                    f'<td>{u["branches"]:.1f}% ({u["branches_covered"]}/{u["branches_count"]})</td>'
                    f'<td>{u["noninit_percent"]:.1f}% ({u["noninit_covered"]}/{u["noninit_lines"]})</td></tr>')
    note = ('<p class="note">llvm-cov source-based coverage (clang-19) of the seeds and the state\'s corpus '
            'replayed by the coverage build; each file links to its annotated source. Outside __init: the '
            'upstream lines without the functions marked <code>__init</code> ('
            + E(', '.join(sorted({fn for u in cov['upstream'].values() for fn in u['init_functions']})))
            + '), which run once at boot.')
    if cov.get('mismatched_functions'):
        note += (f' llvm-cov counted {cov["mismatched_functions"]} functions with two records: inline functions '
                 'one target never uses (clang still records them) and another runs; the coverage is the '
                 'target\'s that runs them.')
    return ('<table><tr><th>scope / file</th><th>lines</th><th>branches</th><th>lines outside __init</th></tr>'
            + ''.join(rows) + '</table>' + note + '</p>')


def history_section(runs):
    if not runs:
        return ''
    labels = {i + 1: str(i + 1) for i in range(len(runs))}
    out = ['<div class="charts">']

    def series(getter, names):
        return [(n, COLOURS[k % len(COLOURS)],
                 [(i + 1, getter(r, n)) for i, r in enumerate(runs) if getter(r, n) is not None])
                for k, n in enumerate(names)]
    cov_names = sorted({k for r in runs for k in r.get('coverage', {})})

    def cov_get(r, n):
        c = r.get('coverage', {}).get(n)
        return None if c is None else c.get('noninit_lines', c['lines'])
    out.append(svgplot.chart('Line coverage per run', series(cov_get, cov_names), 'run', '% of lines',
                             x_labels=labels, counts=False))
    tnames = sorted({t for r in runs for t in r.get('targets', {})})

    def tget(key):
        return lambda r, t: r.get('targets', {}).get(t, {}).get(key)
    out.append(svgplot.chart('exec/s per run', series(tget('exec_per_sec'), tnames), 'run', 'executions / s',
                             x_labels=labels, y_min=0))
    out.append(svgplot.chart('Executions per run', series(tget('execs'), tnames), 'run', 'executions',
                             x_labels=labels, y_min=0))
    out.append(svgplot.chart('Corpus size after each run', series(tget('corpus'), tnames), 'run', 'inputs',
                             x_labels=labels, y_min=0))
    out.append(svgplot.chart('Findings per run', series(lambda r, k: r.get('findings', {}).get(k),
                                                        ['new', 'known', 'regression']),
                             'run', 'signatures', x_labels=labels, y_min=0))
    out.append('</div>')
    out.append('<p class="note">Upstream lines: outside __init. Runs are numbered from the oldest kept in the '
               'state\'s history.jsonl.</p>')
    out.append('<table><tr><th>#</th><th class="l">run</th><th class="l">commit</th><th>duration</th>'
               '<th>core lines</th><th>new</th><th>known</th><th>regressions</th></tr>')
    for i, r in enumerate(runs):
        c = r.get('coverage', {}).get('core', {})
        f = r.get('findings', {})
        out.append(f'<tr><td>{i + 1}</td><td class="l">{E(r["run"])}</td><td class="l">'
                   f'{E((r.get("commit") or "?") + ("+" if r.get("dirty") else ""))}</td>'
                   f'<td>{r.get("duration_s", "?")} s</td><td>{c.get("lines", 0):.1f}%</td>'
                   f'<td>{f.get("new", 0)}</td><td>{f.get("known", 0)}</td><td>{f.get("regression", 0)}</td></tr>')
    out.append('</table>')
    return '\n'.join(out)


def progress_section(run_dir, targets):
    out = []
    for t in targets:
        pts = [p for p in history.progress(os.path.join(run_dir, t, 'fuzz.log')) if p['seconds'] is not None]
        out.append(f'<h3>{E(t)}</h3><div class="charts">')
        out.append(svgplot.chart(f'{t}: coverage', [('', COLOURS[0], [(p['seconds'], p['edges']) for p in pts])],
                                 'seconds into the run', 'edges', x_min=0))
        out.append(svgplot.chart(f'{t}: exec/s', [('', COLOURS[1], [(p['seconds'], p['exec_per_sec']) for p in pts])],
                                 'seconds into the run', 'executions / s', y_min=0, x_min=0))
        out.append('</div>')
    return '\n'.join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--root', required=True)
    ap.add_argument('--state', required=True)
    ap.add_argument('--run', required=True)
    ap.add_argument('--report', required=True)
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    run = load(os.path.join(a.run, 'run.json'), {})
    run_id = run.get('run', os.path.basename(a.run))
    triage = load(os.path.join(a.run, 'triage.json'))
    cov = load(os.path.join(a.run, 'coverage.json'))
    diff = load(os.path.join(a.run, 'diff.json'))
    if diff:  # links relative to the report
        for p in diff['pairs']:
            for ex in p['examples'].values():
                for k in ('html', 'repro'):
                    if ex.get(k):
                        ex[k] = os.path.relpath(ex[k], a.report)
    runs = history.load(a.state)
    rec = next((r for r in runs if r.get('run') == run_id), None) or history.record(a.state, a.run)

    state_findings = []
    for p in sorted(glob.glob(os.path.join(a.state, 'findings', '*', 'finding.json'))):
        f = load(p)
        f['_dir'] = os.path.dirname(p)
        state_findings.append(f)
    state_findings.sort(key=lambda f: (f['runs'][-1] != run_id, f['first_run']))
    for f in state_findings:
        d = os.path.join(a.report, 'findings', f['id'])
        if os.path.isdir(d):
            with open(os.path.join(d, 'index.html'), 'w') as out:
                out.write(finding_page(f, run_id))

    counts = (triage or {}).get('counts', {})
    # A planted twin stops at its first crash, often on a seed: no executions counted.
    idle = [t for t, v in rec['targets'].items() if v['execs'] == 0 and not t.endswith('_planted')]
    failing = counts.get('new', 0) + counts.get('regression', 0) + len(idle)
    if failing:
        head = (f'<p class="fail">FAIL: {counts.get("new", 0)} new finding(s), {counts.get("regression", 0)} '
                f'regression(s) of fixed findings' + (f'; no executions: {", ".join(idle)}' if idle else '') +
                f'; {counts.get("known", 0)} known open finding(s).</p>')
    else:
        head = (f'<p class="ok">OK: nothing new; {counts.get("known", 0)} known open finding(s) seen again.</p>')
    body = [f'<h1>ballast fuzzing campaign</h1>{head}',
            '<p>Sections: <a href="#findings">findings</a> &middot; <a href="#targets">targets</a> &middot; '
            '<a href="#diff">differential</a> &middot; <a href="#coverage">coverage</a> &middot; '
            '<a href="#history">history</a> &middot; <a href="#progress">this run over time</a> &middot; '
            '<a href="summary.json">summary.json</a></p>',
            '<h2 id="run">Run</h2>', run_details(run, a.state, root),
            '<h2 id="findings">Findings</h2>', findings_section(triage, state_findings, run_id),
            '<h2 id="targets">Targets</h2>', targets_section(rec),
            '<h2 id="diff">Differential: divergences by switch</h2>', diff_section(diff),
            '<h2 id="coverage">Coverage</h2>', coverage_section(cov),
            f'<h2 id="history">History ({len(runs)} run(s))</h2>', history_section(runs),
            '<h2 id="progress">This run over time</h2>', progress_section(a.run, list(rec['targets']))]
    with open(os.path.join(a.report, 'index.html'), 'w') as f:
        f.write(page('ballast fuzzing campaign', '\n'.join(body)))
    summary = dict(status='fail' if failing else 'ok', run=run, targets=rec['targets'],
                   coverage=rec.get('coverage'), diff=rec.get('diff'), findings=counts,
                   finding_list=[{k: f[k] for k in ('id', 'signature', 'target', 'kind', 'status', 'finding',
                                                    'command', 'reproduced', 'files')}
                                 for f in (triage or {}).get('findings', [])],
                   history_runs=len(runs))
    with open(os.path.join(a.report, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=2)
    return 1 if failing else 0


if __name__ == '__main__':
    sys.exit(main())
