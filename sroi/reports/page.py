"""The HTML report's page template and style sheet (inline: no file to lose).

``PAGE`` is a :class:`string.Template` with ``$csp``, ``$title``, ``$css``,
``$run`` and ``$body``.
"""

from __future__ import annotations

from typing import Final

PAGE: Final[str] = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="$csp">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sroi">
<title>$title</title>
<style>$css</style>
</head>
<body>
<main>
<header class="top">
<h1>$title</h1>
<p class="run">$run · <a href="#manifest">manifest</a></p>
<nav class="toc" aria-label="Contents">
<a href="#glance">At a glance</a>
<a href="#findings">Key findings</a>
<a href="#headline">Headline results</a>
<a href="#chart-distribution">Charts</a>
<a href="#value-map">Value map</a>
<a href="#method">Method</a>
<a href="#sources">Sources</a>
<a href="#manifest">Manifest</a>
</nav>
</header>
$body
<footer><p>Made with sroi. Every number traces to a scenario file listed in the manifest;
every source to the bibliography.</p></footer>
</main>
</body>
</html>
"""

CSS: Final[str] = """
:root { --ink: #1b1b1b; --muted: #5a5a5a; --rule: #d8d8d8; --accent: #0072B2;
  --soft: #f3f6f9; --warn: #D55E00; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Liberation Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 20px 28px 48px; }
h1 { font-size: 26px; line-height: 1.25; margin: 8px 0 4px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-top: 8px; border-top: 1px solid var(--rule); }
h3 { font-size: 16px; margin: 22px 0 8px; }
a { color: var(--accent); }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
.top { border-bottom: 3px solid var(--accent); padding-bottom: 8px; }
.run { color: var(--muted); font-size: 13.5px; margin: 0 0 6px; }
.toc { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 14px; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; }
.card { background: var(--soft); border-left: 5px solid var(--accent); padding: 10px 14px; }
.card h3 { margin: 0; font-size: 14.5px; color: var(--muted); font-weight: 600; }
.card .big { font-size: 28px; font-weight: 700; margin: 2px 0 4px; }
.card p { margin: 0; font-size: 14px; }
.findings li { margin: 3px 0; }
.findings a { color: var(--ink); text-decoration: none; border-bottom: 1px dotted var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 8px 0 16px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 8px; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); text-align: left; font-size: 13px; }
thead th.num, table.headline thead th + th { text-align: right; }
th[scope=row] { text-align: left; font-weight: 600; }
td { text-align: right; font-variant-numeric: tabular-nums; }
td.text { text-align: left; }
.ci, .unit, .tag, .src, .grade, .cited { display: block; font-size: 11.5px; color: var(--muted); }
.tag { font-style: italic; }
.base { font-weight: 600; }
table.headline tr.sub th { padding-left: 24px; font-weight: normal; }
table.headline tr.key td .base { font-size: 16px; }
table.headline tr.key { background: var(--soft); }
.scroll { overflow-x: auto; }
#value-map .scroll { width: calc(100vw - 32px); max-width: 1560px; position: relative;
  left: 50%; transform: translateX(-50%); }
table.valuemap { font-size: 12.5px; min-width: 1180px; table-layout: fixed; }
table.valuemap td, table.valuemap th { padding: 6px 6px; }
table.valuemap col.c-stakeholder { width: 9%; } table.valuemap col.c-outcome { width: 15%; }
table.valuemap col.c-indicator { width: 11%; } table.valuemap col.c-quantity { width: 9%; }
table.valuemap col.c-proxy { width: 12%; } table.valuemap col.c-adj { width: 7.5%; }
table.valuemap col.c-duration { width: 7%; } table.valuemap col.c-pv { width: 8%; }
table.valuemap thead th { text-align: left; }
table.valuemap thead th.num { text-align: right; }
table.valuemap td.text strong { font-weight: 600; }
.dagger { color: var(--muted); }
.sitenav { font-size: 14px; }
table.valuemap tr.total th, table.valuemap tr.total td { border-top: 2px solid var(--ink); }
.grade { display: inline-block; margin-top: 2px; padding: 0 5px; border-radius: 3px;
  background: #e8eef3; color: #233; }
.g-assumption, .g-expert_judgement, .g-not_graded { background: #fbe3d6; color: #5a2300; }
figure.chart { margin: 12px 0 20px; }
figure.chart img { display: block; width: 100%; max-width: 960px; height: auto;
  border: 1px solid var(--rule); }
figcaption { font-size: 13.5px; color: var(--muted); max-width: 960px; margin-top: 6px; }
.missing { background: var(--soft); padding: 10px 14px; color: var(--muted); }
ol.refs li { margin: 0 0 10px; }
ol.refs .key { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px;
  color: var(--muted); }
table.manifest { width: auto; }
code.hash { word-break: break-all; font-size: 11.5px; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px;
  border-top: 1px solid var(--rule); }
@media (max-width: 800px) { .cards { grid-template-columns: 1fr; } }
@media print {
  main { max-width: none; padding: 0; }
  #value-map .scroll { width: auto; left: 0; transform: none; }
  .toc { display: none; }
  .chart-section, #value-map h3, #sources, #manifest { break-before: page; }
  figure.chart img { max-width: 100%; border: none; }
  a { color: var(--ink); text-decoration: none; }
}
"""
