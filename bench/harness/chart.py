"""The chart: duration and Lambda cost against the parallelism settings of the original's rows,
both delete modes, the original's published points alongside. Hand-written SVG (no plotting
library needed), log scales: the values span three decades."""
import math
from xml.sax.saxutils import escape

from . import original

WIDTH, HEIGHT = 1000, 780
LEFT, RIGHT, TOP = 90, 290, 50
PANEL_HEIGHT, GAP = 270, 90
FONT = 'font-family="Helvetica, Arial, sans-serif"'

# (label, second line of the label, colour, dash, marker)
SERIES_STYLE = {
    "original": ("the original (Go)", "AWS Lambda + DynamoDB, published", "#222222", "", "diamond"),
    "batch/lambda": ("scavenger batch", "client in a Lambda-sized cgroup", "#1f77b4", "", "filled"),
    "conditional/lambda": ("scavenger conditional", "client in a Lambda-sized cgroup", "#d62728", "", "filled"),
    "batch/table": ("scavenger batch", "client unconstrained", "#1f77b4", "5,4", "hollow"),
    "conditional/table": ("scavenger conditional", "client unconstrained", "#d62728", "5,4", "hollow"),
    "dynamodb": ("DynamoDB on-demand units", "of a run (any program, any mode)", "#7f7f7f", "2,3", "none"),
}


def _log_range(values):
    positive = [v for v in values if v and v > 0]
    if not positive:
        return 0, 1
    return math.floor(math.log10(min(positive))), math.ceil(math.log10(max(positive)))


def _panel(out, top, title, unit_label, series, x_of, tick_format):
    lo, hi = _log_range([v for points in series.values() for _, v in points])
    if hi == lo:
        hi += 1
    bottom = top + PANEL_HEIGHT
    right = WIDTH - RIGHT

    def y_of(value):
        return bottom - (math.log10(value) - lo) / (hi - lo) * PANEL_HEIGHT

    out.append(f'<text x="{LEFT}" y="{top - 14}" {FONT} font-size="15" font-weight="bold">{escape(title)}</text>')
    out.append(f'<rect x="{LEFT}" y="{top}" width="{right - LEFT}" height="{PANEL_HEIGHT}" fill="none" stroke="#999"/>')
    for exponent in range(lo, hi + 1):
        y = y_of(10 ** exponent)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" {FONT} font-size="11" text-anchor="end">'
                   f'{escape(tick_format(10 ** exponent))}</text>')
        if exponent < hi:
            for m in range(2, 10):
                ym = y_of(m * 10 ** exponent)
                out.append(f'<line x1="{LEFT}" y1="{ym:.1f}" x2="{LEFT + 5}" y2="{ym:.1f}" stroke="#999"/>')
    cx, cy = LEFT - 62, top + PANEL_HEIGHT / 2
    out.append(f'<text x="{cx}" y="{cy}" {FONT} font-size="12" text-anchor="middle" '
               f'transform="rotate(-90 {cx} {cy})">{escape(unit_label)}</text>')
    for row in original.ROWS:
        x = x_of(row.key)
        out.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}" stroke="#999"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 18}" {FONT} font-size="11" text-anchor="middle">{row.memory_mb} MB</text>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 32}" {FONT} font-size="11" text-anchor="middle">'
                   f'{row.readers} r / {row.deleters} d</text>')
    for name, points in series.items():
        _, _, colour, dash, marker = SERIES_STYLE[name]
        coords = [(x_of(key), y_of(value)) for key, value in points if value and value > 0]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.6"'
                       + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        for x, y in coords:
            out.append(_marker(x, y, colour, marker))


def _marker(x, y, colour, kind):
    if kind == "diamond":
        return (f'<path d="M {x:.1f} {y - 6:.1f} L {x + 6:.1f} {y:.1f} L {x:.1f} {y + 6:.1f} L {x - 6:.1f} {y:.1f} Z" '
                f'fill="{colour}"/>')
    if kind == "filled":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
    if kind == "hollow":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="white" stroke="{colour}" stroke-width="1.6"/>'
    return ""


def _legend(out, names, top):
    x = WIDTH - RIGHT + 20
    for i, name in enumerate(names):
        label, detail, colour, dash, marker = SERIES_STYLE[name]
        y = top + i * 34
        out.append(f'<line x1="{x}" y1="{y}" x2="{x + 26}" y2="{y}" stroke="{colour}" stroke-width="1.6"'
                   + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        out.append(_marker(x + 13, y, colour, marker))
        out.append(f'<text x="{x + 34}" y="{y + 1}" {FONT} font-size="12">{escape(label)}</text>')
        out.append(f'<text x="{x + 34}" y="{y + 14}" {FONT} font-size="10" fill="#555">{escape(detail)}</text>')


def _money(v):
    decimals = max(0, -math.floor(math.log10(v) + 1e-9))
    return f"${v:.{decimals}f}"


def _seconds(v):
    return f"{v:g} s"


def render(runs, prices, subtitle):
    """runs: verified run records of the 'table' and 'lambda' profiles."""
    keys = [r.key for r in original.ROWS]
    step = (WIDTH - RIGHT - LEFT) / len(keys)

    def x_of(key):
        return LEFT + step * (keys.index(key) + 0.5)

    durations = {"original": [(r.key, r.billed_ms / 1000) for r in original.ROWS]}
    cost_series = {"original": [(r.key, r.cost_usd) for r in original.ROWS]}
    dynamodb = {}
    for profile in ("lambda", "table"):
        for mode in ("batch", "conditional"):
            chosen = [r for r in runs if r["profile"] == profile and r["mode"] == mode and r["status"] == "ok"
                      and r["row"] and r["memory_mb"] == original.by_key(r["row"]).memory_mb]
            # One point per row: the latest run of it (an appended session may have run it again).
            chosen = sorted({r["row"]: r for r in chosen}.values(), key=lambda r: keys.index(r["row"]))
            if not chosen:
                continue
            durations[f"{mode}/{profile}"] = [(r["row"], r["wall_s"]) for r in chosen]
            cost_series[f"{mode}/{profile}"] = [(r["row"], prices.lambda_cost(r["wall_s"], r["memory_mb"])) for r in chosen]
            for r in chosen:
                consumed = r.get("consumed") or {}
                dynamodb.setdefault(r["row"], prices.dynamodb_cost(consumed.get("rcu", 0), consumed.get("wcu", 0)))
    if dynamodb:
        cost_series["dynamodb"] = sorted(dynamodb.items(), key=lambda kv: keys.index(kv[0]))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{LEFT}" y="22" {FONT} font-size="13" fill="#444">{escape(subtitle)}</text>']
    _panel(out, TOP + 20, "Duration of one full run (billed duration = wall time)", "seconds (log scale)",
           durations, x_of, _seconds)
    _panel(out, TOP + 20 + PANEL_HEIGHT + GAP, "Cost of that run: Lambda at the row's memory size (x86); DynamoDB dotted",
           "US dollars (log scale)", cost_series, x_of, _money)
    names = [n for n in SERIES_STYLE if n in durations or n in cost_series]
    _legend(out, names, TOP + 40)
    out.append(f'<text x="{LEFT}" y="{HEIGHT - 26}" {FONT} font-size="11" fill="#555">'
               f'x: the original\'s rows: memory, readers (= TotalSegments), deleters (= MaxDelRoutines).</text>')
    out.append(f'<text x="{LEFT}" y="{HEIGHT - 10}" {FONT} font-size="11" fill="#555">'
               f'Prices: Lambda ${prices.lambda_usd_per_gb_s} per GB-s (x86); DynamoDB on-demand '
               f'${prices.ddb_usd_per_million_wru} per million WRU, ${prices.ddb_usd_per_million_rru} per million RRU.</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
