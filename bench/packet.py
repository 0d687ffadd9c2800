"""Benchmark: the family-of-four 転入 packet and a 死亡 packet with render_packet, against
WeasyPrint on the same content.

    .venv/bin/python bench/packet.py --json [--runs N]

Prints one JSON object for the family packet (name, what, runs, pages, median_ms, p95_ms,
baseline_median_ms, baseline_p95_ms, ratio = baseline median / median, baseline) with the
same figures for the 死亡 packet under "death". Both renderers are warmed up once first,
so the numbers are what a counter worker pays per packet with fonts loaded.
The baseline is the guidance slip and the forms as HTML tables with the same local fonts
(@font-face), rendered by WeasyPrint in the same process; no Django is needed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import p95, timed  # noqa: E402
from catalog.pack import KIND_LABELS  # noqa: E402
from printing.data import PacketData  # noqa: E402
from printing.fonts import get_fontset  # noqa: E402
from printing.layouts import printable_forms  # noqa: E402
from printing.layouts.idou import needs_idou  # noqa: E402
from printing.pdf import page_count, render_packet  # noqa: E402
from printing.samples import death_household, family_of_four  # noqa: E402
from printing.slip import by_department, for_whom  # noqa: E402
from printing.wording import full_address, person_date, sex_label, wareki, zip_code  # noqa: E402


def packet_html(data: PacketData) -> str:
    """The packet's content as one HTML document, close to what render_packet draws."""
    fonts = get_fontset()
    faces = "".join(
        f'@font-face {{ font-family: "{name}"; src: url("{face.path.as_uri()}"); }}\n'
        for name, face in (("Mincho", fonts.mincho), ("Gothic", fonts.gothic), ("MJ", fonts.mj))
        if face is not None
    )
    css = (
        faces
        + """
    @page { size: A4; margin: 15mm; @bottom-right { content: counter(page) " / " counter(pages);
            font-size: 8pt; } @top-right { content: "受付番号 """
        + escape(data.visit_number)
        + """"; font-size: 8pt; } }
    body { font-family: "Mincho", "MJ"; font-size: 10pt; }
    h1 { font-family: "Gothic", "Mincho"; text-align: center; font-size: 18pt; margin: 2mm 0; }
    h2 { font-family: "Gothic", "Mincho"; font-size: 11.5pt; background: #e8e8e8;
         border: 0.25mm solid #000; margin: 4mm 0 0; padding: 1mm 2mm; }
    table { border-collapse: collapse; width: 100%; }
    td, th { border: 0.15mm solid #000; padding: 1mm 1.5mm; vertical-align: middle; }
    th { background: #e8e8e8; font-weight: normal; font-size: 8.5pt; white-space: nowrap; }
    .name { font-size: 13pt; } .kana { font-size: 8pt; }
    .sig { height: 20mm; } .stamp { height: 14mm; }
    .page { page-break-before: always; }
    """
    )
    parts = [f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>"]
    parts.append(_slip(data))
    if needs_idou(data):
        parts.append(_idou(data))
    for proc in printable_forms(data):
        parts.append(_form(data, proc))
    parts.append("</body></html>")
    return "".join(parts)


def _slip(data: PacketData) -> str:
    a = data.applicant
    out = [
        f"<div>{escape(data.municipality)}</div><h1>受付案内票</h1>",
        "<table>",
        f"<tr><th>受付番号</th><td>{escape(data.visit_number)}</td><th>発行日</th>"
        f"<td>{wareki(data.issued_on)}</td></tr>",
        f"<tr><th>届出の内容</th><td>{escape('・'.join(data.event_names))}</td><th>異動日</th>"
        f"<td>{wareki(data.event_date)}</td></tr>",
        f"<tr><th>届出人</th><td>{escape(a.name if a else '')}　様</td><th>電話番号</th>"
        f"<td>{escape(data.phone)}</td></tr>",
        f"<tr><th>住所</th><td colspan=3>{escape(full_address(data.new_address, full=False))}</td></tr>",
        "</table>",
    ]
    for _dept, procs in by_department(data.procedures):
        head = procs[0]
        out.append(f"<h2>{escape(head.department_name)}　窓口：{escape(head.location)}</h2>")
        out.append(
            "<table><tr><th>手続き</th><th>対象者</th><th>区分</th><th>期限</th><th>持ち物</th></tr>"
        )
        for p in procs:
            kind = KIND_LABELS.get(p.kind, p.kind) + (
                "<br>要確認" if p.status == "needs_check" else ""
            )
            due = f"{wareki(p.deadline)}まで" if p.deadline else "—"
            bring = "<br>".join(f"・{escape(b)}" for b in p.bring) or "—"
            out.append(
                f"<tr><td>{escape(p.title)}</td><td>{escape(for_whom(data, p))}</td>"
                f"<td>{kind}</td><td>{due}</td><td>{bring}</td></tr>"
                f"<tr><td colspan=5>理由　{escape(p.reason)}"
                + (f"<br>確認事項　{escape(p.question)}" if p.question else "")
                + "</td></tr>"
            )
        out.append("</table>")
    return "".join(out)


def _idou(data: PacketData) -> str:
    out = [
        f"<div class=page>（あて先）{escape(data.municipality)}長</div>",
        "<h1>住民異動届　☑転入 ☐転居 ☐転出 ☐世帯変更</h1><table>",
        f"<tr><th>届出年月日</th><td>{wareki(data.issued_on, full=True)}</td><th>異動年月日</th>"
        f"<td>{wareki(data.event_date, full=True)}</td></tr></table><table>",
    ]
    for label, addr, head in (
        ("新住所", data.new_address, data.household_head_name),
        ("旧住所", data.old_address, data.old_household_head_name),
    ):
        out.append(
            f"<tr><th>{label}</th><td>{zip_code(addr)}<br>{escape(full_address(addr))}</td></tr>"
            f"<tr><th>{label[0]}世帯主</th><td class=name>{escape(head)}</td></tr>"
        )
    out.append("</table><table><tr><th>No</th><th>フリガナ／氏名</th><th>生年月日</th><th>性別</th>"
               "<th>続柄</th><th>個人番号カード</th></tr>")  # fmt: skip
    for i, p in enumerate(data.movers, 1):
        card = {True: "有", False: "無", None: "有・無"}[p.has_mynumber_card]
        out.append(
            f"<tr><td>{i}</td><td><span class=kana>{escape(p.name_kana)}</span><br>"
            f"<span class=name>{escape(p.name)}</span></td><td>{person_date(p, p.birth_date)}</td>"
            f"<td>{sex_label(p)}</td><td>{escape(p.relation)}</td><td>{card}</td></tr>"
        )
    a = data.applicant
    out.append(
        "</table><table><tr><th>関係課連絡</th><td>☐国保 ☑後期高齢 ☑介護 ☐年金 ☑児童手当 ☑子ども医療</td></tr>"
        f"<tr><th>届出人</th><td class=name>{escape(a.name if a else '')}　☑本人 ☐世帯主 ☐代理人</td></tr>"
        f"<tr><th>住所</th><td>{escape(full_address(data.new_address))}</td></tr>"
        f"<tr><th>電話番号</th><td>{escape(data.phone)}</td></tr>"
        "<tr><th>届出人署名</th><td class=sig></td></tr></table>"
        "<table><tr><th>受付</th><th>入力</th><th>審査</th><th>本人確認書類</th></tr>"
        "<tr><td class=stamp></td><td></td><td></td><td>☐マイナンバーカード ☐運転免許証 ☐パスポート</td></tr></table>"
    )
    return "".join(out)


def _form(data: PacketData, proc) -> str:
    a = data.applicant
    p = data.person(proc.person)
    subject = (
        f"<tr><th>フリガナ</th><td class=kana>{escape(p.name_kana)}</td></tr>"
        f"<tr><th>氏名</th><td class=name>{escape(p.name)}</td></tr>"
        f"<tr><th>生年月日</th><td>{person_date(p, p.birth_date)}　{sex_label(p)}　{escape(p.relation)}</td></tr>"
        if p
        else "".join(
            f"<tr><th>対象</th><td class=name>{escape(m.name)}　{person_date(m, m.birth_date)}</td></tr>"
            for m in data.movers
        )
    )
    return (
        f"<div class=page>（あて先）{escape(data.municipality)}長</div>"
        f"<h1>{escape(proc.title)}</h1><div>申請日　{wareki(data.issued_on, full=True)}</div>"
        f"<table><tr><th>フリガナ</th><td class=kana>{escape(a.name_kana if a else '')}</td></tr>"
        f"<tr><th>氏名</th><td class=name>{escape(a.name if a else '')}</td></tr>"
        f"<tr><th>住所</th><td>{zip_code(data.new_address)}<br>{escape(full_address(data.new_address))}</td></tr>"
        f"<tr><th>電話番号</th><td>{escape(data.phone)}</td></tr></table>"
        f"<table>{subject}</table>"
        f"<table><tr><th>届出の内容</th><td>{escape('・'.join(data.event_names))}</td></tr>"
        f"<tr><th>申請の理由</th><td>{escape(proc.reason)}</td></tr>"
        f"<tr><th>提出期限</th><td>{wareki(proc.deadline, full=True) or '—'}</td></tr>"
        f"<tr><th>添付書類等</th><td>{escape('、'.join(proc.bring) or 'なし')}</td></tr></table>"
        "<table><tr><th>申請者署名</th><td class=sig></td></tr></table>"
        f"<div>提出先：{escape(proc.department_name)}（{escape(proc.location)}）</div>"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)

    from weasyprint import HTML

    def measure(data) -> dict:
        html = packet_html(data)
        pdf = render_packet(data)  # warm-up: fonts parsed once, here
        HTML(string=html).write_pdf()  # warm-up for WeasyPrint's font caches
        ours = timed(lambda: render_packet(data), args.runs)
        theirs = timed(lambda: HTML(string=html).write_pdf(), args.runs)
        return {
            "runs": args.runs,
            "pages": page_count(pdf),
            "median_ms": round(statistics.median(ours), 1),
            "p95_ms": round(p95(ours), 1),
            "baseline_median_ms": round(statistics.median(theirs), 1),
            "baseline_p95_ms": round(p95(theirs), 1),
            "ratio": round(statistics.median(theirs) / statistics.median(ours), 2),
        }

    result = {
        "name": "packet",
        "what": "render_packet: 受付案内票 + 住民異動届 + every form from its template (generic,"
        " and the municipal 水道使用開始届 over its blank) for the family of four (IVS names,"
        " 𠮷), fonts loaded once",
        **measure(family_of_four()),
        "baseline": "WeasyPrint rendering the same content from HTML",
        "death": {
            "what": "render_packet: 受付案内票 + ten forms for a death in the family",
            **measure(death_household()),
        },
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for k, v in result.items():
            print(f"{k:>20}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
