"""One self-contained, print-ready HTML page (A4; no scripts, images, fonts or links to fetch).

Every piece of text is escaped.  Long schedules flow onto further printed pages
with the table header repeated; several offers each start a new page.
"""

from __future__ import annotations

from html import escape

from plans.text.i18n import HTML_LANG

from .blocks import Document, Fields, Heading, Items, PageBreak, Paragraph, Table

CSS = """
@page { size: A4; margin: 15mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       "WenQuanYi Micro Hei", "Noto Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.45;
       color: #111; max-width: 182mm; margin: 0 auto; padding: 8mm 0; }
:lang(zh-TW) body, body:lang(zh-TW) { font-family: "Noto Sans CJK TC", "Source Han Sans TC",
       "PingFang TC", "Microsoft JhengHei", "WenQuanYi Micro Hei", sans-serif; }
h1 { font-size: 17pt; margin: 0 0 2pt; }
h2 { font-size: 14pt; margin: 14pt 0 4pt; border-bottom: 1.5pt solid #111; }
h3 { font-size: 11.5pt; margin: 12pt 0 4pt; border-bottom: 0.5pt solid #888; }
.subtitle { color: #444; margin: 0 0 8pt; }
table { border-collapse: collapse; width: 100%; margin: 2pt 0 6pt; }
th, td { padding: 2pt 5pt; border-bottom: 0.5pt solid #ccc; vertical-align: top; }
th { text-align: left; background: #f0f0f0; }
.r { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot td { font-weight: bold; border-top: 1pt solid #111; }
table.fields th { width: 32%; background: none; font-weight: normal; color: #333; }
ul { margin: 2pt 0 6pt 16pt; padding: 0; }
p { margin: 2pt 0 6pt; }
footer { margin-top: 14pt; font-size: 9pt; color: #444; border-top: 0.5pt solid #888; padding-top: 4pt; }
.page-break { break-before: page; page-break-before: always; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
@media print { body { padding: 0; max-width: none; } }
"""


def _cls(align: str) -> str:
    return ' class="r"' if align == "r" else ""


def _table(block: Table) -> list[str]:
    out = ["<table>", "<thead><tr>"]
    out += [f"<th{_cls(a)}>{escape(h)}</th>" for h, a in zip(block.headers, block.aligns)]
    out.append("</tr></thead><tbody>")
    for row in block.rows:
        out.append("<tr>" + "".join(f"<td{_cls(a)}>{escape(c)}</td>" for c, a in zip(row, block.aligns)) + "</tr>")
    out.append("</tbody>")
    if block.footer:
        out.append(
            "<tfoot><tr>"
            + "".join(f"<td{_cls(a)}>{escape(c)}</td>" for c, a in zip(block.footer, block.aligns))
            + "</tr></tfoot>"
        )
    out.append("</table>")
    return out


def render_html(doc: Document) -> str:
    lang = HTML_LANG.get(doc.lang, "en")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(doc.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(doc.title)}</h1>",
    ]
    if doc.subtitle:
        out.append(f'<p class="subtitle">{escape(doc.subtitle)}</p>')
    pending_break = False
    for block in doc.blocks:
        if isinstance(block, PageBreak):
            pending_break = True
            continue
        brk = ' class="page-break"' if pending_break else ""
        pending_break = False
        out.append(f"<section{brk}>")
        title = getattr(block, "title", None)
        if title:
            out.append(f"<h3>{escape(title)}</h3>")
        if isinstance(block, Fields):
            out.append('<table class="fields"><tbody>')
            out += [f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in block.rows]
            out.append("</tbody></table>")
        elif isinstance(block, Table):
            out += _table(block)
        elif isinstance(block, Paragraph):
            out.append(f"<p>{escape(block.text)}</p>")
        elif isinstance(block, Items):
            out.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Heading):
            out.append(f"<h2>{escape(block.text)}</h2>")
        out.append("</section>")
    if doc.footer:
        out.append(f"<footer>{escape(doc.footer)}</footer>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
