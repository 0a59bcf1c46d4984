"""The official report's content from one Assessment, as plain data (``model.Official``).

The Ministry of Home Affairs' outline, filled: I. Công tác chỉ đạo, điều hành (kế hoạch;
kiểm tra; tuyên truyền; khảo sát sự hài lòng; sáng kiến, mô hình mới) · II. results area by
area · III. đánh giá chung · IV. phương hướng kỳ tới · V. đề xuất, kiến nghị · Phụ lục.
The Decree 30/2020/NĐ-CP header, addressees, recipients and signature come from the plan's
meta.toml ``[report]`` table (docs/plan-data.md); nothing plan-specific lives here.
"""

from __future__ import annotations

import datetime as dt

from cchc_lib.i18n import fmt
from cchc_lib.report.official import annex, closing, prose, sections
from cchc_lib.report.official.model import Block, Official
from cchc_lib.report.official.prose import words
from cchc_lib.report.official.sections import meta


def _intro(a, lang: str, issuer: str) -> Block:
    w, m = words(lang), a.plan.meta
    title = prose.clean(meta(a.plan, "plan_title", lang, m["title"]))
    return Block(
        "p",
        w["intro"].format(
            plan_title=prose.mid(title),
            number=m["decision_number"],
            date=fmt.date_short(m["decision_date"], lang),
            issuer=issuer,
            period=prose.period_phrase(a.period, lang),
            start=fmt.date_short(a.window.start, lang),
            end=fmt.date_short(a.window.end, lang),
        ),
    )


def build(
    a,
    lang: str = "vi",
    report_date: dt.date | str | None = None,
    recipients: list[str] | str | None = None,
) -> Official:
    """Everything the official report says, for ``a`` in ``lang``.

    ``report_date`` fills the date line (blank by default: the office dates the document
    when it signs); ``recipients`` replaces the plan's ``report.recipients`` ("Kính gửi")."""
    fmt.check_lang(lang)
    w, plan = words(lang), a.plan
    if isinstance(report_date, str):
        report_date = dt.date.fromisoformat(report_date) if report_date else None
    body = sections._body(plan, lang)
    commune = sections._commune(plan, lang)
    issuer = w["issuer"].format(body=body, commune=commune)
    to = sections._list(recipients) or sections._list(meta(plan, "recipients", lang))
    copies = [w["as_above"], *[f"{c};" for c in sections._list(meta(plan, "copies_to", lang))], w["archive"]]
    title_word = meta(plan, "signer_title", lang, plan.meta.get("signer_title") or "")
    blocks = [_intro(a, lang, issuer)]
    blocks += sections.section_direction(a, lang)
    blocks += sections.section_results(a, lang)
    blocks += closing.section_assessment(a, lang)
    blocks += closing.section_next(a, lang)
    blocks += closing.section_proposals(a, lang)
    summary = w["summary"].format(period=prose.period_phrase(a.period, lang))
    return Official(
        lang=lang,
        sample=a.is_sample,
        sample_mark=w["sample_mark"],
        sample_note=w["sample_note"],
        issuer_lines=[body.upper(), commune.upper()],
        number=w["number"].format(symbol=meta(plan, "doc_symbol", "vi", "BC-UBND")),
        nation=w["nation"],
        motto=w["motto"],
        date_line=sections._date_line(plan, a, lang, report_date),
        title=w["title"],
        summary=summary,
        to_label=w["to"],
        recipients=to,
        blocks=blocks,
        copies_label=w["copies"],
        copies=[f"- {c}" for c in copies],
        sign_lines=[w["on_behalf"].format(body=body.upper()), str(title_word).upper()],
        signer=str(plan.meta.get("signer") or ""),
        annexes=annex.annexes(a, lang, issuer),
        doc_title=f"{w['title'].capitalize()} — {summary} — {commune}",
        page_word=w["page"],
    )
