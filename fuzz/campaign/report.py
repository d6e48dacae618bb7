#!/usr/bin/env python3
"""Writes report/index.html (self-contained) and report/summary.json for ./ballast campaign.

Reads the campaign work directory: <target>/fuzz.log (libFuzzer -fork output),
cov-core.json / cov-upstream.json (llvm-cov export -summary-only), and the
minimized crashes in report/crashes/. Exit status 1 if there were crashes.
"""
import argparse, html, json, os, re, sys

LINE = re.compile(r'^#(\d+):?\s.*?cov: (\d+)(?:.*?ft: (\d+))?.*?corp: (\d+)(?:.*?exec/s:? (\d+))?(?:.*?time: (\d+)s)?')


def parse_log(path):
    pts = []
    if not os.path.exists(path):
        return pts
    with open(path, errors='replace') as f:
        for i, l in enumerate(f):
            m = LINE.match(l)
            if m:
                execs, cov, ft, corp, eps, t = m.groups()
                pts.append(dict(execs=int(execs), cov=int(cov), ft=int(ft or 0), corp=int(corp),
                                eps=int(eps or 0), t=int(t) if t else None, i=i))
    return pts


def cov_totals(path):
    if not os.path.exists(path):
        return None
    d = json.load(open(path))
    t = d['data'][0]['totals']
    files = [dict(file=f['filename'], lines=f['summary']['lines']['percent'],
                  branches=f['summary']['branches']['percent']) for f in d['data'][0]['files']]
    return dict(lines=t['lines']['percent'], lines_covered=t['lines']['covered'], lines_count=t['lines']['count'],
                branches=t['branches']['percent'], branches_covered=t['branches']['covered'],
                branches_count=t['branches']['count'], files=files)


def svg_plot(name, pts, seconds):
    w, h, pad = 640, 220, 44
    if not pts:
        return '<p>(no progress lines in the log)</p>'
    xs = [p['t'] if p['t'] is not None else p['i'] for p in pts]
    xmax = max(max(xs), 1)
    cmax = max(max(p['cov'] for p in pts), 1)
    kmax = max(max(p['corp'] for p in pts), 1)
    def X(x): return pad + (w - 2 * pad) * x / xmax
    def Y(v, vmax): return h - pad + (-(h - 2 * pad) * v / vmax)
    cov = ' '.join(f'{X(x):.1f},{Y(p["cov"], cmax):.1f}' for x, p in zip(xs, pts))
    corp = ' '.join(f'{X(x):.1f},{Y(p["corp"], kmax):.1f}' for x, p in zip(xs, pts))
    unit = 's' if pts[0]['t'] is not None else 'lines'
    return f'''<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{html.escape(name)} coverage and corpus over time">
<rect x="0" y="0" width="{w}" height="{h}" fill="#fff"/>
<line x1="{pad}" y1="{h-pad}" x2="{w-pad}" y2="{h-pad}" stroke="#888"/>
<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h-pad}" stroke="#888"/>
<line x1="{w-pad}" y1="{pad}" x2="{w-pad}" y2="{h-pad}" stroke="#888"/>
<polyline fill="none" stroke="#1f6feb" stroke-width="2" points="{cov}"/>
<polyline fill="none" stroke="#d9822b" stroke-width="2" stroke-dasharray="5,3" points="{corp}"/>
<text x="{pad-4}" y="{pad}" font-size="11" text-anchor="end" fill="#1f6feb">{cmax}</text>
<text x="{pad-4}" y="{h-pad}" font-size="11" text-anchor="end" fill="#1f6feb">0</text>
<text x="{w-pad+4}" y="{pad}" font-size="11" fill="#d9822b">{kmax}</text>
<text x="{w-pad+4}" y="{h-pad}" font-size="11" fill="#d9822b">0</text>
<text x="{w/2}" y="{h-10}" font-size="11" text-anchor="middle">time ({unit}, 0..{xmax})</text>
<text x="{pad}" y="{pad-12}" font-size="12" fill="#1f6feb">coverage (edges)</text>
<text x="{w-pad}" y="{pad-12}" font-size="12" text-anchor="end" fill="#d9822b">corpus size (inputs)</text>
</svg>'''


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--work', required=True)
    ap.add_argument('--report', required=True)
    ap.add_argument('--seconds', type=int, required=True)
    ap.add_argument('--jobs', type=int, required=True)
    ap.add_argument('--targets', nargs='+', required=True)
    a = ap.parse_args()

    targets = []
    for t in a.targets:
        pts = parse_log(os.path.join(a.work, t, 'fuzz.log'))
        last = pts[-1] if pts else dict(execs=0, cov=0, corp=0, eps=0, t=None)
        secs = last['t'] or a.seconds
        targets.append(dict(name=t, execs=last['execs'], seconds=secs,
                            exec_per_sec=round(last['execs'] / secs) if secs else 0,
                            coverage_edges=last['cov'], corpus=last['corp'], series=pts))

    crashes = []
    cdir = os.path.join(a.report, 'crashes')
    if os.path.isdir(cdir):
        for f in sorted(os.listdir(cdir)):
            if not f.endswith('.log'):
                continue
            base = f[:-4]
            log = open(os.path.join(cdir, f), errors='replace').read()
            keep = [l for l in log.splitlines() if l.strip() and not l.startswith(('INFO:', 'Running:', '    #'))]
            repro, repro_text = None, ''
            for ext in ('.scn', '.min'):
                p = os.path.join(cdir, base + ext)
                if os.path.exists(p):
                    repro = 'crashes/' + base + ext
                    data = open(p, 'rb').read()
                    try:
                        repro_text = data.decode('ascii') if ext == '.scn' else data.hex(' ')
                    except UnicodeDecodeError:
                        repro_text = data.hex(' ')
            crashes.append(dict(id=base, target=base.split('-crash-')[0].split('-leak-')[0],
                                message='\n'.join(keep[:40]), reproducer=repro, reproducer_text=repro_text))

    cov = {'core': cov_totals(os.path.join(a.work, 'cov-core.json'))}
    up = cov_totals(os.path.join(a.work, 'cov-upstream.json'))
    if up:
        cov['upstream'] = up

    noninit = None
    pn = os.path.join(a.work, 'cov-upstream-noninit.json')
    if os.path.exists(pn):
        noninit = json.load(open(pn))
    summary = dict(seconds_per_target=a.seconds, jobs=a.jobs,
                   upstream_noninit_lines=noninit,
                   targets=[{k: v for k, v in t.items() if k != 'series'} for t in targets],
                   coverage={k: ({kk: vv for kk, vv in v.items() if kk != 'files'} if v else None)
                             for k, v in cov.items()},
                   crashes=[{k: v for k, v in c.items() if k != 'reproducer_text'} for c in crashes],
                   status='fail' if crashes else 'ok')
    os.makedirs(a.report, exist_ok=True)
    json.dump(summary, open(os.path.join(a.report, 'summary.json'), 'w'), indent=2)

    e = html.escape
    rows = ''.join(f'<tr><td>{e(t["name"])}</td><td>{t["execs"]:,}</td><td>{t["seconds"]}</td>'
                   f'<td>{t["exec_per_sec"]:,}</td><td>{t["coverage_edges"]}</td><td>{t["corpus"]}</td></tr>'
                   for t in targets)
    covrows = ''
    for k, v in cov.items():
        if not v:
            covrows += f'<tr><td>{e(k)}</td><td colspan="2">not measured</td></tr>'
            continue
        covrows += (f'<tr><td><b>{e(k)}</b> (total)</td><td>{v["lines"]:.1f}% ({v["lines_covered"]}/{v["lines_count"]})</td>'
                    f'<td>{v["branches"]:.1f}% ({v["branches_covered"]}/{v["branches_count"]})</td></tr>')
        for f in v['files']:
            covrows += f'<tr><td>&nbsp;&nbsp;{e(f["file"])}</td><td>{f["lines"]:.1f}%</td><td>{f["branches"]:.1f}%</td></tr>'
    if noninit:
        nt = noninit['totals']
        covrows += (f'<tr><td><b>upstream, non-__init code</b> (total)</td><td>{nt["noninit_percent"]:.1f}% '
                    f'({nt["noninit_covered"]}/{nt["noninit_lines"]})</td><td>-</td></tr>')
        for f in noninit['files']:
            covrows += (f'<tr><td>&nbsp;&nbsp;{e(f["file"])} (excluded: {e(", ".join(f["init_functions"]))})</td>'
                        f'<td>{f["noninit_percent"]:.1f}%</td><td>-</td></tr>')
    plots = ''.join(f'<h3>{e(t["name"])}</h3>{svg_plot(t["name"], t["series"], a.seconds)}' for t in targets)
    if crashes:
        cr = ''.join(f'<details open><summary><b>{e(c["id"])}</b> ({e(c["target"])})</summary>'
                     f'<pre>{e(c["message"])}</pre><p>minimized reproducer: <code>report/{e(c["reproducer"] or "-")}</code> '
                     f'(replay: <code>./ballast replay report/{e(c["reproducer"] or "")}</code>)</p>'
                     f'<pre>{e(c["reproducer_text"])}</pre></details>' for c in crashes)
    else:
        cr = '<p>No crash, invariant violation or unexplained divergence.</p>'
    doc = f'''<!doctype html><html><head><meta charset="utf-8"><title>ballast fuzzing campaign</title>
<style>body{{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:3px 8px;text-align:right}}td:first-child,th:first-child{{text-align:left}}
pre{{background:#f6f8fa;padding:8px;overflow-x:auto;font-size:12px}}.ok{{color:#1a7f37}}.fail{{color:#cf222e}}</style></head><body>
<h1>ballast fuzzing campaign</h1>
<p class="{summary["status"]}"><b>{"FAIL: " + str(len(crashes)) + " crash(es)" if crashes else "OK"}</b> &mdash;
{a.seconds}s per target, all targets at once on {a.jobs} job(s) (libFuzzer -fork, clang-19, ASan+UBSan).</p>
<h2>Targets</h2><table><tr><th>target</th><th>execs</th><th>seconds</th><th>exec/s</th><th>coverage (edges)</th><th>corpus</th></tr>{rows}</table>
<h2>Coverage (llvm-cov, seed corpus + merged campaign corpus)</h2>
<table><tr><th>scope / file</th><th>lines</th><th>branches</th></tr>{covrows}</table>
<p>core/: line and branch coverage (llvm-cov export). Upstream non-__init: line coverage of the upstream
driver files with the bodies of functions marked <code>__init</code> left out (fuzz/upstream_cov.py; union over every
compiled configuration). Per-line detail: <code>report/coverage/index.html</code>.</p>
<h2>Coverage and corpus size over time</h2>{plots}
<h2>Crashes</h2>{cr}
</body></html>'''
    open(os.path.join(a.report, 'index.html'), 'w').write(doc)
    return 1 if crashes else 0


if __name__ == '__main__':
    sys.exit(main())
