"""Conditions of required papers read from the national texts (#18 item 7)."""

import json
from pathlib import Path

import pytest

from tinhso.catalog.conditions import document_condition
from tinhso.catalog.records import record_from_json

DATA = Path(__file__).resolve().parents[1] / "data"


def _national(code: str) -> dict:
    for line in (DATA / "procedures.jsonl").read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        if raw["code"] == code:
            return raw
    raise AssertionError(code)


def _by_component(code: str) -> dict:
    return {d.code: d for d in record_from_json(_national(code)).documents}


def test_birth_registration_papers_get_their_channel_case_and_eform_conditions_from_the_real_text():
    docs = _by_component("1.001193")

    declaration = docs["000.00.00.G15-KQ003204"]  # Tờ khai … (nếu … trực tiếp hoặc … bưu chính)
    assert (declaration.channels, declaration.replaced_by_eform, declaration.is_required) == (["direct", "post"], True, True)
    interactive = docs["000.00.00.G15-KQ003967"]  # Mẫu hộ tịch điện tử tương tác (nếu … trực tuyến)
    assert (interactive.channels, interactive.replaced_by_eform) == (["online"], True)
    identity = docs["000.00.00.G15-KQ004946"]  # giấy tờ tùy thân … khi làm thủ tục trực tiếp
    assert (identity.channels, identity.replaced_by_eform, identity.is_required) == (["direct"], False, True)
    residence = docs["000.00.00.G15-KQ003785"]  # … trong trường hợp … không thể khai thác được
    assert (residence.channels, residence.is_required) == ([], False)
    proxy = docs["000.00.00.G15-KQ003159"]  # Văn bản ủy quyền … trong trường hợp ủy quyền
    assert proxy.is_required is False
    # "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì …" names a fallback, not a case.
    birth_paper = docs["000.00.00.G15-KQ004389"]
    assert (birth_paper.channels, birth_paper.replaced_by_eform, birth_paper.is_required) == ([], False, True)


def test_an_online_parent_is_asked_only_for_the_birth_paper_of_the_real_record():
    asked_online = [d.name for d in record_from_json(_national("1.001193")).documents
                    if d.is_required and (not d.channels or "online" in d.channels) and not d.replaced_by_eform]
    assert len(asked_online) == 1 and asked_online[0].startswith("Giấy chứng sinh")


@pytest.mark.parametrize(("name", "channels", "replaced", "conditional"), [
    ("Tờ khai đăng ký kết hôn theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp)",
     ["direct"], True, False),
    ("Đơn đề nghị giải thể quỹ (theo mẫu)", [], True, False),
    ("Bản sao Giấy chứng nhận (nếu có)", [], False, True),
    ("Trường hợp người chết tại cơ sở y tế thì nộp Giấy báo tử", [], False, True),
    ("Giấy tờ chứng minh nhân thân khi lam thu tuc truc tiep", ["direct"], False, False),
    ("Giấy ủy quyền nếu có yêu cầu cấp bản sao", [], False, False),
])
def test_condition_words(name, channels, replaced, conditional):
    condition = document_condition(name)
    assert (condition.channels, condition.replaced_by_eform, condition.conditional) == (channels, replaced, conditional)


def test_an_explicit_condition_in_the_record_wins_and_a_wrong_channel_is_refused():
    from tinhso.catalog.records import RowRejected

    raw = _national("1.001193")
    raw["documents"][5]["channels"] = ["direct", "post"]
    raw["documents"][6]["replaced_by_eform"] = False
    docs = {d.code: d for d in record_from_json(raw).documents}
    assert docs["000.00.00.G15-KQ004946"].channels == ["direct", "post"]
    assert docs["000.00.00.G15-KQ003204"].replaced_by_eform is False
    raw["documents"][0]["channels"] = ["counter"]
    with pytest.raises(RowRejected, match="channels"):
        record_from_json(raw)


# --- legal basis (#18 item 6) ---------------------------------------------------------------------------


def test_the_legal_basis_of_the_real_record_is_parsed_into_clean_citations():
    from tinhso.catalog.legal import legal_item_label

    basis = record_from_json(_national("1.001193")).legal_basis
    labels = [legal_item_label(item) for item in basis]
    assert "Luật số 60/2014/QH13" in labels
    assert not any("số 60/2014/QH13 số" in label or "QH13 số" in label for label in labels)
    decree = next(item for item in basis if item["number"] == "123/2015/NĐ-CP")
    assert decree == {"number": "123/2015/NĐ-CP", "kind": "Nghị định", "issued": "2015-11-15",
                      "title": "của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch"}
    assert legal_item_label(decree) == ("Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết "
                                        "một số điều và biện pháp thi hành Luật Hộ tịch")
    prefixed = next(item for item in basis if item["number"] == "03/2023/TT-BTP")  # "Thông tư số 03/2023/TT-BTP — …"
    assert legal_item_label(prefixed) == "Thông tư số 03/2023/TT-BTP ngày 02/08/2023 của Bộ trưởng Bộ Tư pháp"


def test_a_law_is_cited_by_its_name_and_items_stored_before_the_parser_read_the_same():
    from tinhso.catalog.legal import legal_item_label

    assert legal_item_label({"number": "60/2014/QH13", "kind": "Luật", "title": "Hộ tịch"}) == \
        "Luật Hộ tịch số 60/2014/QH13"
    assert legal_item_label({"number": "60/2014/QH13", "title": "Luật 60/2014/QH13"}) == "Luật số 60/2014/QH13"
    assert legal_item_label({"number": "123/2015/NĐ-CP"}) == "Nghị định số 123/2015/NĐ-CP"
