// The HTML report's only stylesheet, inlined in every page: the report must
// open from a ticket attachment with no network, so nothing is fetched.
#include "html_style.hpp"

namespace migsleuth::report {

std::string_view html_css() {
  return R"css(
:root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#fff;--card:#f9fafb;--code:#f3f4f6}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1180px;margin:0 auto}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:0 0 10px}
h3{font-size:15px;margin:22px 0 8px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
h4{font-size:14px;margin:12px 0 4px}
code,pre,.mono{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:13px}
code{background:var(--code);padding:1px 4px;border-radius:3px}
pre{background:var(--code);padding:8px 10px;border-radius:4px;margin:4px 0 10px;white-space:pre-wrap;overflow-wrap:anywhere}
.counts{font-size:16px;margin:4px 0 12px}
.muted{color:var(--muted)}
nav ul{margin:0;padding-left:18px}
section.incident, section.findings{border:1px solid var(--line);border-radius:8px;background:var(--card);padding:18px 22px;margin:22px 0}
.badge{display:inline-block;padding:1px 9px;border-radius:10px;color:#fff;font-size:13px;font-weight:600;vertical-align:2px;margin-right:6px}
.o-failed{background:#dc2626}.o-succeeded{background:#16a34a}.o-stuck{background:#d97706}.o-unknown{background:#6b7280}
.summary{font-size:16px;margin:6px 0 12px}
table{border-collapse:collapse;margin:6px 0}
td,th{border-bottom:1px solid var(--line);padding:4px 10px 4px 0;text-align:left;vertical-align:top}
table.facts th{color:var(--muted);font-weight:500;white-space:nowrap}
table.inputs td,table.events td{font-size:13px}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.warn{color:#b45309}
.note{background:#fef3c7;border-left:4px solid #d97706;padding:6px 10px;margin:6px 0;border-radius:3px}
.where{font-size:13px;color:var(--muted)}
.why{margin:0 0 2px;color:var(--muted);font-size:14px}
.written-for{margin:8px 0 4px;font-size:14px}
ul.rem li{margin:4px 0}
svg{width:100%;height:auto;background:#fff;border:1px solid var(--line);border-radius:4px;display:block}
svg text{font-family:system-ui,"DejaVu Sans",sans-serif;fill:var(--fg)}
.lane0{fill:#f8fafc}.lane1{fill:#eef2f7}
.lrole{font-size:14px;font-weight:600}.lhost{font-size:12px;fill:var(--muted)}
.nolines{font-size:12px;font-style:italic;fill:#94a3b8}
.field{margin:2px 0;font-size:14px}
.grid{stroke:#cbd5e1;stroke-width:1;stroke-dasharray:2 3}
.tick{font-size:11px;fill:var(--muted)}
.ptitle{font-size:13px;font-weight:600}
.failline{stroke:#dc2626;stroke-width:2;stroke-dasharray:6 3}
.faillabel{font-size:12px;font-weight:600;fill:#dc2626}
.ev circle,.ev path{fill:currentColor;stroke:#fff;stroke-width:1.5}
.ev line{stroke:currentColor;stroke-width:2;opacity:.55}
.failpt path{stroke:#7f1d1d;stroke-width:2}
.k-start{color:#2563eb}.k-progress{color:#64748b}.k-ok{color:#16a34a}.k-fail{color:#dc2626}
.k-rollback{color:#ea580c}.k-record{color:#0d9488}.k-log{color:#9333ea}
.legend{font-size:13px;color:var(--muted);margin:4px 0 8px}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;background:currentColor;margin:0 4px 0 10px;vertical-align:0}
.sw{display:inline-block;width:18px;height:3px;margin:0 4px 3px 10px;vertical-align:middle}
.sw-mem{background:#2563eb}.sw-copy{background:#16a34a}.sw-dirty{background:#dc2626}
.l-mem,.l-copy,.l-dirty{fill:none;stroke-width:2}
.l-mem{stroke:#2563eb}.l-copy{stroke:#16a34a}.l-dirty{stroke:#dc2626}
.p-mem{fill:#2563eb}.p-copy{fill:#16a34a}.p-dirty{fill:#dc2626}
details{margin:10px 0}summary{cursor:pointer;color:var(--muted)}
footer{margin-top:28px;color:var(--muted);font-size:13px}
@media print{body{padding:0}section.incident, section.findings{break-inside:avoid-page}}
)css";
}

// One colour per classification, in the order of the contract's enum, so a
// class looks the same in the chart, the matrix tags and the tables.
std::string_view fleet_css() {
  return R"css(
.chip{display:inline-block;min-width:30px;padding:0 5px;border-radius:8px;color:#fff;font-size:11px;font-weight:600;text-align:center;background:#94a3b8}
.f-cpu_incompatibility{fill:#7c3aed}.f-non_convergence{fill:#d97706}.f-device_passthrough{fill:#0891b2}
.f-storage{fill:#2563eb}.f-network{fill:#db2777}.f-capacity{fill:#65a30d}.f-unknown{fill:#6b7280}
.b-cpu_incompatibility{background:#7c3aed}.b-non_convergence{background:#d97706}.b-device_passthrough{background:#0891b2}
.b-storage{background:#2563eb}.b-network{background:#db2777}.b-capacity{background:#65a30d}.b-unknown{background:#6b7280}
section{margin:26px 0}
.lg{white-space:nowrap;margin-right:10px}
a.n{font-weight:600;color:#1d4ed8;text-decoration:none}a.n:hover{text-decoration:underline}
svg.fleet-time a:hover rect{opacity:.75}
.scroll{max-width:100%;overflow-x:auto}
table.matrix th.dst{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:500;font-size:12px;padding:4px 2px;white-space:nowrap}
table.matrix th.src{font-weight:500;font-size:12px;white-space:nowrap;padding-right:8px}
table.matrix th.corner{font-size:12px;color:var(--muted);font-weight:500;vertical-align:bottom}
table.matrix td.cell{min-width:56px;height:30px;text-align:center;border:1px solid var(--line);padding:2px 4px;white-space:nowrap}
table.matrix td.cell .chip{margin-left:4px}
table.fl{width:100%;table-layout:fixed;font-size:13px}
table.fl td{overflow-wrap:anywhere}
col.c-no{width:44px}col.c-time{width:110px}col.c-bundle{width:20%}col.c-inst{width:150px}
col.c-hosts{width:13%}col.c-cls{width:16%}
code.tpl{white-space:pre-wrap;overflow-wrap:anywhere}
table.templates,table.causes{width:100%}
table.templates td{overflow-wrap:anywhere}
.grp{display:none;border:1px solid var(--line);border-left:4px solid #1d4ed8;background:var(--card);padding:8px 12px;margin:6px 0;font-size:13px}
.grp:target{display:block}
tr:target{background:#fef3c7}
)css";
}

}  // namespace migsleuth::report
