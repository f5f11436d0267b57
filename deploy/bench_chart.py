#!/usr/bin/env python3
"""Draws deploy/bench.sh results as an SVG: median req/s and median requests per CPU-second of the proxy,
per scenario and proxy, with each run as a dot. Usage: bench_chart.py runs.jsonl out.svg [title]"""
import json
import statistics
import sys
from html import escape

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
out = sys.argv[2]
title = sys.argv[3] if len(sys.argv) > 3 else "Ballast vs HAProxy 2.6 vs nginx (deploy/bench.sh)"
proxies = [p for p in ["ballast", "haproxy", "nginx"] if any(r["proxy"] == p for r in rows)]
scenarios = [s for s in ["http50", "http200", "close50", "tcp50", "tls50"] if any(r["scenario"] == s for r in rows)]
colors = {"ballast": "#2b6cb0", "haproxy": "#c05621", "nginx": "#2f855a"}
panels = [("rps", "requests/s (median, dots = runs)"), ("req_per_cpu_s", "requests per CPU-second of the proxy")]

W, panel_h, top, left = 760, 250, 50, 70
H = top + len(panels) * (panel_h + 60) + 20
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">{escape(title)}</text>']
for i, p in enumerate(proxies):  # legend
    x = left + i * 110
    svg.append(f'<rect x="{x}" y="32" width="12" height="12" fill="{colors[p]}"/><text x="{x + 16}" y="42">{p}</text>')

for k, (key, label) in enumerate(panels):
    y0 = top + k * (panel_h + 60) + 20
    vals = {(p, s): [r[key] for r in rows if r["proxy"] == p and r["scenario"] == s and r.get(key) and r["rps"] > 0]
            for p in proxies for s in scenarios}
    peak = max([v for vs in vals.values() for v in vs] or [1])
    step = 10 ** (len(str(int(peak))) - 1)
    ymax = ((peak // step) + 1) * step
    plot_w = W - left - 20
    svg.append(f'<text x="{left}" y="{y0 - 6}" font-weight="bold">{escape(label)}</text>')
    for t in range(6):  # grid
        v = ymax * t / 5
        y = y0 + panel_h - panel_h * t / 5
        svg.append(f'<line x1="{left}" x2="{W - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{v / 1000:.0f}k</text>')
    group_w = plot_w / len(scenarios)
    bar_w = group_w * 0.8 / len(proxies)
    for j, s in enumerate(scenarios):
        gx = left + j * group_w + group_w * 0.1
        svg.append(f'<text x="{left + j * group_w + group_w / 2:.1f}" y="{y0 + panel_h + 16}" text-anchor="middle">{s}</text>')
        for i, p in enumerate(proxies):
            x = gx + i * bar_w
            vs = vals[(p, s)]
            if not vs:
                svg.append(f'<text x="{x + bar_w / 2:.1f}" y="{y0 + panel_h - 4}" text-anchor="middle" fill="#999" font-size="10">n/a</text>')
                continue
            m = statistics.median(vs)
            h = panel_h * m / ymax
            svg.append(f'<rect x="{x:.1f}" y="{y0 + panel_h - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" fill="{colors[p]}" opacity="0.85">'
                       f'<title>{p} {s}: {m:.0f}</title></rect>')
            svg.append(f'<text x="{x + bar_w / 2 - 1:.1f}" y="{y0 + panel_h - h - 4:.1f}" text-anchor="middle" font-size="9">{m / 1000:.1f}k</text>')
            for v in vs:
                svg.append(f'<circle cx="{x + bar_w / 2 - 1:.1f}" cy="{y0 + panel_h - panel_h * v / ymax:.1f}" r="2" fill="black" opacity="0.6"/>')
    svg.append(f'<line x1="{left}" x2="{W - 20}" y1="{y0 + panel_h}" y2="{y0 + panel_h}" stroke="#333"/>')
svg.append("</svg>")
open(out, "w").write("\n".join(svg) + "\n")
print(out)
