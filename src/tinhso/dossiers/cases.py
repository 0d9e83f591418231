"""Alternative cases (trường hợp) of a procedure's papers, and group headings that are not cases.

``RequiredDocument.case_name`` holds the "group" of the national record. Most groups are alternatives
("Đăng ký giám hộ cử" / "Đăng ký giám hộ đương nhiên"): the applicant files the papers of one of them.
But the national data also groups every procedure's papers under headings — "Giấy tờ phải nộp",
"Giấy tờ phải xuất trình", "Người yêu cầu chứng thực phải xuất trình các giấy tờ sau" — which every
applicant files together. Read as alternatives, a declaration form (in "phải nộp") could be skipped by
filing only an ID card (in "phải xuất trình"): these headings are common papers.
"""

from __future__ import annotations

from tinhso.core.text import fold

# Folded words that make a group name a heading of papers everybody files, not a case.
HEADING_WORDS = ("phai nop", "xuat trinh")


def document_case_is_alternative(case_name: str) -> bool:
    folded = fold(case_name or "")
    return bool(folded) and not any(words in folded for words in HEADING_WORDS)
