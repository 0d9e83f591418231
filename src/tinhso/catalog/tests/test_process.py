"""Process definition checks: the rules the one-stop-shop engine relies on."""

import copy

import pytest

from tinhso.catalog.process import process_check, process_spec_from_json
from tinhso.catalog.tests.factories import PROCESS
from tinhso.core.errors import ValidationFailed


def check(data, value=1, unit="working_days", agencies=None):
    return process_check(process_spec_from_json(data), processing_time_value=value, processing_time_unit=unit,
                         agency_codes=agencies)


def messages_of(data, **kwargs) -> str:
    with pytest.raises(ValidationFailed) as error:
        check(data, **kwargs)
    assert error.value.code == "invalid_process"
    return " | ".join(e["message"] for e in error.value.errors)


def changed(**edits):
    data = copy.deepcopy(PROCESS)
    for path, value in edits.items():
        kind, index, key = path.split("__")
        data[kind][int(index)][key] = value
    return data


def test_the_sample_process_is_valid_and_fits_one_working_day():
    assert check(PROCESS) == []
    assert process_spec_from_json(PROCESS).as_json()["steps"][0]["duration"] == {"value": 4, "unit": "working_hours"}


def test_step_codes_must_be_unique_slugs():
    assert "bị trùng" in messages_of(changed(steps__1__code="tham-dinh"))
    assert "chữ thường không dấu" in messages_of(changed(steps__0__code="Thẩm định"))


def test_roles_and_scopes_come_from_the_fixed_lists():
    assert "Vai trò “chu_tich” không hợp lệ" in messages_of(changed(steps__1__role="chu_tich"))
    assert "Phạm vi cơ quan “huyen” không hợp lệ" in messages_of(changed(steps__0__agency_scope="huyen"))


def test_fixed_scope_needs_an_existing_agency():
    assert "phải chỉ rõ cơ quan" in messages_of(changed(steps__0__agency_scope="fixed"))
    data = changed(steps__0__agency_scope="fixed", steps__0__agency="H44.99")
    assert "Không có cơ quan mã “H44.99”" in messages_of(data, agencies={"H44.07"})
    assert check(changed(steps__0__agency_scope="fixed", steps__0__agency="H44.07"), agencies={"H44.07"}) == []
    assert "Chỉ bước liên thông" in messages_of(changed(steps__0__agency="H44.07"))


def test_every_step_is_reachable_and_can_move_on():
    data = copy.deepcopy(PROCESS)
    data["steps"].append({"code": "mo-coi", "name": "Bước mồ côi", "order": 9, "role": "clerk",
                          "agency_scope": "competent", "duration": {"value": 0, "unit": "working_hours"}})
    text = messages_of(data)
    assert "Không thể đi tới bước “Bước mồ côi”" in text
    assert "Bước “Bước mồ côi” không có thao tác nào" in text


def test_a_path_must_end_with_issuing_the_result():
    data = copy.deepcopy(PROCESS)
    for t in data["transitions"]:
        if t["action"] == "issue_result":
            t["action"] = "approve"
    assert "kết thúc bằng thao tác ban hành kết quả" in messages_of(data)


def test_only_result_and_refusal_actions_end_the_process():
    data = copy.deepcopy(PROCESS)
    data["transitions"].append({"from": "ky-duyet", "action": "forward", "to": None})
    assert "mới được kết thúc quy trình" in messages_of(data)


def test_actions_and_targets_are_checked():
    data = copy.deepcopy(PROCESS)
    data["transitions"].append({"from": "ky-duyet", "action": "bay_di", "to": "tham-dinh"})
    assert "Thao tác “bay_di” không hợp lệ" in messages_of(data)
    data = copy.deepcopy(PROCESS)
    data["transitions"].append({"from": "ky-duyet", "action": "forward", "to": "khong-co"})
    assert "tới bước “khong-co” không có" in messages_of(data)


def test_main_path_longer_than_the_processing_time_is_an_error():
    text = messages_of(changed(steps__0__duration={"value": 2, "unit": "working_days"}))
    assert "Thẩm định hồ sơ → Lãnh đạo ký → Trả kết quả" in text
    assert "cần 2,5 ngày làm việc, vượt thời hạn 1 ngày làm việc" in text
    # a send-back loop does not count towards the main path
    assert check(PROCESS, value=8, unit="working_hours") == []


def test_units_that_cannot_be_compared_give_a_warning_not_an_error():
    warnings = check(PROCESS, value=15, unit="days")
    assert warnings and "khác loại" in warnings[0]
    assert "Chưa so sánh được" in check(PROCESS, value=None, unit="")[0]


def test_malformed_json_is_refused_with_a_reason():
    with pytest.raises(ValidationFailed) as error:
        process_spec_from_json({"buoc": []})
    assert "steps" in error.value.detail
    with pytest.raises(ValidationFailed) as error:
        process_spec_from_json({"steps": [{"code": "a", "duration": {"value": "hai", "unit": "days"}}]})
    assert "không phải là một số" in error.value.errors[0]["message"]


@pytest.mark.parametrize(("limit", "basis", "valid"), [(1, "", True), (2, "", False), (2, "Điều 5 Nghị định X", True),
                                                       (0, "", False), (6, "Điều 5", False)])
def test_supplement_limit_above_one_needs_its_legal_basis(limit, basis, valid):
    """Supplement once (NĐ 61/2018, NĐ 118/2025) unless the definition cites a text allowing more (#18)."""
    from django.core.exceptions import ValidationError

    from tinhso.catalog.models import ProcessDefinition

    definition = ProcessDefinition(supplement_limit=limit, supplement_limit_basis=basis)
    if valid:
        definition.clean_fields(exclude=["version"])
        definition.clean()
        return
    with pytest.raises(ValidationError):
        definition.clean_fields(exclude=["version"])
        definition.clean()
