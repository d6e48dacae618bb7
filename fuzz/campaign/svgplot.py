"""Line charts as inline SVG for the campaign report (report.py): axes with
ticks at round values, grid lines, axis titles, a legend, and a marker with a
tooltip at every point (so that a chart of two runs still shows two points).
Written here rather than taken from a plotting library: the report is one
self-contained page of static HTML, and this is all it needs of one.
"""
import html
import math


def ticks(lo, hi, want=5, integer=False):
    """Round tick values (steps of 1, 2 or 5 times a power of ten) covering [lo, hi];
    integer: no step below 1 (counts)."""
    if hi <= lo:
        hi = lo + 1
    raw = max((hi - lo) / max(want, 1), 1 if integer else 0)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    out, v = [], start
    while v <= hi + step * 1e-9:
        out.append(round(v, 10))
        v += step
    if out[-1] < hi:
        out.append(round(out[-1] + step, 10))
    return out


def fmt(v, step=None):
    """A tick label with the precision its step needs: 1,160 / 1.5k / 12k / 3M / 0.25.
    Without a step (a tooltip): the value itself, to three significant digits."""
    step = step or abs(v) / 100 or 1
    for div, suffix in ((1e9, 'G'), (1e6, 'M'), (1e3, 'k')):
        if abs(v) >= div and step >= div / 10:
            decimals = max(0, -math.floor(math.log10(step / div) + 1e-9))
            return f'{v / div:.{decimals}f}{suffix}'
    if step < 1:
        return f'{v:.{-math.floor(math.log10(step) + 1e-9)}f}'
    return f'{int(round(v)):,}'


def chart(title, series, x_title, y_title, width=460, height=240, x_labels=None, y_min=None,
          y_max=None, x_min=None, counts=True):
    """series: [(label, colour, [(x, y), ...])]. x_labels: {x: text} to label integer x
    ticks (run numbers) instead of numbers. counts: y values are whole numbers (no
    tick between two). Returns the <svg> element."""
    e = html.escape
    left, right, bottom = 58, 14, 46
    # The legend: rows under the title, as many as the labels need.
    legend, lx, ly = [], left, 32
    if len(series) > 1 or series[0][0]:
        for label, colour, _ in series:
            w = 7 * len(label) + 24
            if lx + w > width - right and lx > left:
                lx, ly = left, ly + 15
            legend.append(f'<rect x="{lx:.0f}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
                          f'<text x="{lx + 14:.0f}" y="{ly}" font-size="11">{e(label)}</text>')
            lx += w
    top = ly + 12 if legend else 30
    pts = [p for _, _, ps in series for p in ps]
    if not pts:
        return f'<p class="note">{e(title)}: no data.</p>'
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    xt = ticks(min(xs) if x_min is None else x_min, max(xs)) if not x_labels else sorted(x_labels)
    if x_labels and len(xt) > 12:
        stride = math.ceil(len(xt) / 12)
        xt = xt[::stride]
    yt = ticks(min(ys) if y_min is None else y_min, max(ys) if y_max is None else y_max, integer=counts)
    x0, x1 = xt[0], xt[-1] if xt[-1] > xt[0] else xt[0] + 1
    y0, y1 = yt[0], yt[-1] if yt[-1] > yt[0] else yt[0] + 1
    pw, ph = width - left - right, height - top - bottom
    ystep = yt[1] - yt[0] if len(yt) > 1 else 1
    xstep = xt[1] - xt[0] if len(xt) > 1 else 1

    def X(v):
        return left + pw * (v - x0) / (x1 - x0)

    def Y(v):
        return top + ph - ph * (v - y0) / (y1 - y0)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{e(title)}">',
           f'<text x="{left}" y="16" font-size="13" font-weight="bold">{e(title)}</text>']
    for v in yt:
        out.append(f'<line x1="{left}" y1="{Y(v):.1f}" x2="{left + pw}" y2="{Y(v):.1f}" stroke="#e4e4e4"/>'
                   f'<text x="{left - 6}" y="{Y(v) + 4:.1f}" font-size="11" text-anchor="end">{fmt(v, ystep)}</text>')
    for v in xt:
        label = x_labels[v] if x_labels else fmt(v, xstep)
        out.append(f'<line x1="{X(v):.1f}" y1="{top}" x2="{X(v):.1f}" y2="{top + ph}" stroke="#f0f0f0"/>'
                   f'<line x1="{X(v):.1f}" y1="{top + ph}" x2="{X(v):.1f}" y2="{top + ph + 4}" stroke="#444"/>'
                   f'<text x="{X(v):.1f}" y="{top + ph + 16}" font-size="11" text-anchor="middle">'
                   f'{e(label)}</text>')
    out.append(f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#444"/>'
               f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#444"/>')
    out.append(f'<text x="{left + pw / 2:.1f}" y="{height - 6}" font-size="11" text-anchor="middle">'
               f'{e(x_title)}</text>')
    out.append(f'<text transform="translate(13,{top + ph / 2:.1f}) rotate(-90)" font-size="11" '
               f'text-anchor="middle">{e(y_title)}</text>')
    for label, colour, ps in reversed(series):
        if not ps:
            continue
        poly = ' '.join(f'{X(x):.1f},{Y(y):.1f}' for x, y in ps)
        out.append(f'<polyline class="series" fill="none" stroke="{colour}" stroke-width="2" points="{poly}"/>')
        if len(ps) <= 60:
            for x, y in ps:
                out.append(f'<circle cx="{X(x):.1f}" cy="{Y(y):.1f}" r="3" fill="{colour}">'
                           f'<title>{e(label)}: {fmt(y)} at {e(x_labels.get(x, fmt(x)) if x_labels else fmt(x))}'
                           f'</title></circle>')
    out.extend(legend)
    out.append('</svg>')
    return '\n'.join(out)
