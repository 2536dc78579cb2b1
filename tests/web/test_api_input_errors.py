"""The API's input errors are Chinese, name the field by its label and say what to do (QA: pydantic's
English "Field required" / "Input should be a valid date" reached users)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from pydantic import BaseModel, Field

from tongchou.api.input_errors import label_for, translate

ENGLISH = ("Field required", "Input should", "String should", "Value error", "valid", "Extra inputs")
CONTRACTS = "/api/v1/delivery/projects/1/contracts"  # validation answers before the project is looked up
REPORTS = "/api/v1/delivery/projects/1/reports"
GOOD_CONTRACT = {"vendor": "某科技公司", "amount": "100000.00", "signed_on": "2025-06-01"}


@pytest.mark.parametrize(("error", "message"), [
    ({"type": "missing"}, "项目名称：必填，请填写。"),
    ({"type": "string_too_long", "ctx": {"max_length": 200}}, "项目名称：最多 200 个字符，请删减。"),
    ({"type": "string_too_short", "ctx": {"min_length": 1}}, "项目名称：不能为空，请填写。"),
    ({"type": "string_too_short", "ctx": {"min_length": 3}}, "项目名称：至少 3 个字符。"),
    ({"type": "greater_than", "ctx": {"gt": 0}}, "项目名称：须大于 0。"),
    ({"type": "greater_than_equal", "ctx": {"ge": 0}}, "项目名称：不能小于 0。"),
    ({"type": "less_than", "ctx": {"lt": 5}}, "项目名称：须小于 5。"),
    ({"type": "less_than_equal", "ctx": {"le": 100}}, "项目名称：不能大于 100。"),
    ({"type": "int_parsing"}, "项目名称：应为整数，请填写数字。"),
    ({"type": "int_from_float"}, "项目名称：应为整数，不能带小数。"),
    ({"type": "decimal_parsing"}, "项目名称：应为数字（如 1200000 或 12.50），请填写数字。"),
    ({"type": "float_parsing"}, "项目名称：应为数字（如 1200000 或 12.50），请填写数字。"),
    ({"type": "decimal_max_digits", "ctx": {"max_digits": 14}}, "项目名称：最多 14 位数字。"),
    ({"type": "decimal_max_places", "ctx": {"decimal_places": 2}}, "项目名称：最多保留 2 位小数。"),
    ({"type": "decimal_whole_digits", "ctx": {"whole_digits": 12}}, "项目名称：整数部分最多 12 位。"),
    ({"type": "bool_parsing"}, "项目名称：应为 true 或 false。"),
    ({"type": "date_parsing"}, "项目名称：日期格式应为 YYYY-MM-DD，且须是实际存在的日期。"),
    ({"type": "date_from_datetime_parsing"}, "项目名称：日期格式应为 YYYY-MM-DD，且须是实际存在的日期。"),
    ({"type": "date_type"}, "项目名称：日期格式应为 YYYY-MM-DD，且须是实际存在的日期。"),
    ({"type": "datetime_parsing"}, "项目名称：日期时间格式应为 YYYY-MM-DDTHH:MM:SS。"),
    ({"type": "literal_error", "ctx": {"expected": "'progress' or 'supervision'"}},
     "项目名称：只能是 progress、supervision 之一。"),
    ({"type": "enum", "ctx": {"expected": "'a', 'b' or 'c'"}}, "项目名称：只能是 a、b、c 之一。"),
    ({"type": "json_invalid"}, "项目名称：不是有效的 JSON，请检查格式（引号、逗号、括号）。"),
    ({"type": "model_attributes_type"}, "项目名称：应为 JSON 对象（{…}）。"),
    ({"type": "dict_type"}, "项目名称：应为 JSON 对象（{…}）。"),
    ({"type": "list_type"}, "项目名称：应为列表（JSON 数组 […]）。"),
    ({"type": "string_type"}, "项目名称：应为文本（字符串）。"),
    ({"type": "int_type"}, "项目名称：应为整数，请填写数字。"),
    ({"type": "extra_forbidden"}, "项目名称：未知字段，请检查拼写或删除。"),
    ({"type": "uuid_parsing"}, "项目名称：应为有效的 UUID。"),
    ({"type": "value_error", "msg": "Value error, 项目名称：不能与已有项目重名"}, "项目名称：不能与已有项目重名"),
    ({"type": "value_error", "msg": "Value error, 不能与已有项目重名"}, "项目名称：不能与已有项目重名"),
    ({"type": "value_error", "msg": "Value error, must be unique"}, "项目名称：输入无效，请检查后重新填写。"),
    ({"type": "some_future_type", "msg": "Something English"}, "项目名称：输入无效，请检查后重新填写。"),
])
def test_each_pydantic_error_type_is_worded_in_chinese(error, message):
    assert translate(error, "项目名称") == message


class _Member(BaseModel):
    seat: str
    note: str = Field("", title="备注")


class _Committee(BaseModel):
    members: list[_Member] | None = None
    shared_as_required: bool = Field(..., description="已按要求共享数据资源")
    kind: str = Field("", description="holiday（法定节假日）或 workday（调休上班）")


class ContractIn(BaseModel):  # same name as the API schema: the Contract model's verbose_names apply
    vendor: str
    amount: Decimal


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "loc", "label"), [
    (ContractIn, ("vendor",), "供应商"),
    (ContractIn, ("amount",), "合同金额（元）"),
    (_Committee, ("members", 0, "note"), "备注"),  # the schema's title, through a list of nested schemas
    (_Committee, ("shared_as_required",), "已按要求共享数据资源"),  # a short description
    (_Committee, ("kind",), "类型"),  # a description that is a sentence is not a label
    (_Committee, ("no_such_field",), "no_such_field"),
    (_Committee, (), "请求体"),
])
def test_labels_come_from_the_schema_then_the_models(model, loc, label):
    assert label_for(model, loc) == label


def _errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.content.decode()
    body = response.json()
    assert body["detail"] == "输入有误，请按提示修改"
    for e in body["errors"]:
        assert e["type"] and not any(word in e["message"] for word in ENGLISH), e
    return {e["field"]: e["message"] for e in body["errors"]}


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_a_missing_required_field_is_named_in_chinese(client, login):
    login("applicant")
    errors = _errors(_post(client, CONTRACTS, {k: v for k, v in GOOD_CONTRACT.items() if k != "vendor"}))
    assert errors == {"vendor": "供应商：必填，请填写。"}


@pytest.mark.django_db
def test_a_too_long_string_says_the_limit(client, login):
    login("applicant")
    errors = _errors(_post(client, CONTRACTS, {**GOOD_CONTRACT, "vendor": "长" * 201}))
    assert errors == {"vendor": "供应商：最多 200 个字符，请删减。"}


@pytest.mark.django_db
def test_a_negative_amount_says_it_cannot_be_below_zero(client, login):
    login("applicant")
    errors = _errors(_post(client, CONTRACTS, {**GOOD_CONTRACT, "amount": "-1"}))
    assert errors == {"amount": "合同金额（元）：不能小于 0。"}


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["2025-02-30", "30/06/2025", "明天"])
def test_a_bad_date_gives_the_format(client, login, day):
    login("applicant")
    errors = _errors(_post(client, CONTRACTS, {**GOOD_CONTRACT, "signed_on": day}))
    assert errors == {"signed_on": "签订日期：日期格式应为 YYYY-MM-DD，且须是实际存在的日期。"}


@pytest.mark.django_db
def test_a_bad_literal_lists_the_allowed_values(client, login):
    login("applicant")
    errors = _errors(_post(client, REPORTS, {"kind": "weekly", "reported_on": "2025-06-01", "author": "监理单位",
                                             "summary": "按计划推进"}))
    assert errors == {"kind": "类型：只能是 progress、supervision 之一。"}


@pytest.mark.django_db
def test_several_errors_at_once_each_name_their_field(client, login):
    login("applicant")
    errors = _errors(_post(client, REPORTS, {"kind": "x", "reported_on": "x", "percent_complete": 101}))
    assert errors == {
        "kind": "类型：只能是 progress、supervision 之一。",
        "reported_on": "报告日期：日期格式应为 YYYY-MM-DD，且须是实际存在的日期。",
        "author": "报告单位：必填，请填写。",
        "summary": "内容摘要：必填，请填写。",
        "percent_complete": "完成比例（%）：不能大于 100。",
    }


@pytest.mark.django_db
def test_a_bad_query_parameter_is_named_too(client, login):
    login("applicant")
    response = client.get("/api/v1/calendar/working-days/add", {"start": "2025-13-01", "n": "three"})
    errors = _errors(response)
    assert errors["start"] == "开始日期：日期格式应为 YYYY-MM-DD，且须是实际存在的日期。"
    assert errors["n"] == "工作日天数：应为整数，请填写数字。"


@pytest.mark.django_db
def test_a_body_that_is_not_json_answers_in_chinese(client, login):
    login("applicant")
    response = client.post(CONTRACTS, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求无效，请检查地址或提交的内容后重试。", "code": "http_error"}
