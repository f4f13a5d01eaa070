"""The confirm step of /tiep-nhan/: figures onto a report form's indicators (suggested, then
confirmed or corrected), the draft report created through the reports services, unknown
documents registered and tasks created, only what is ticked, only on confirm."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noichinh.core.models import AuditAction, AuditEntry
from noichinh.core.periods import Period
from noichinh.documents.models import Document
from noichinh.intake import mapping
from noichinh.intake.extract import extract
from noichinh.intake.services import intake_confirm
from noichinh.reports.choices import FINAL, Status
from noichinh.reports.models import DataValue, Indicator, ReportForm, Submission
from noichinh.units.models import Unit
from noichinh.work.models import Task

pytestmark = pytest.mark.django_db

READ, CONFIRM = "/tiep-nhan/", "/tiep-nhan/xac-nhan/"
BODY = (
    "Thực hiện Hướng dẫn số 07-HD/BNCTU ngày 12/4/2026 về công tác nội chính, các cơ quan tư "
    "pháp cấp huyện đã thụ lý 1.240 vụ việc, đã giải quyết 1.102 vụ việc. Tiếp nhận, xử lý 356 "
    "tin báo, tố giác tội phạm; phát hiện 12 vụ việc tham nhũng. Nhiệm vụ: (1) Tăng cường kiểm "
    "tra, giám sát. (2) Đẩy nhanh tiến độ giải quyết đơn thư."
)


@pytest.fixture
def nghean(demo):
    return get_user_model().objects.get(username="nghean")


@pytest.fixture
def client_(client, nghean):
    client.force_login(nghean)
    return client


@pytest.fixture
def quarterly(demo):
    return ReportForm.objects.get(code="TW-QUY")


@pytest.fixture
def unit(demo):
    return Unit.objects.get(name="Ban Nội chính Tỉnh ủy Nghệ An")


def _approved(quarterly, unit):
    return (
        Submission.objects.filter(form=quarterly, unit=unit, status__in=FINAL)
        .order_by("-period_end")
        .first()
    )


@pytest.fixture
def new_period(quarterly, unit):
    """A quarter of the form that Nghệ An has not opened yet."""
    latest = Submission.objects.filter(form=quarterly, unit=unit).order_by("-period_end").first()
    return Period.parse(latest.period).next()


def _text(period):
    return f"Báo cáo {period.label}. {BODY}"


def _codes(form):
    return {i.pk: i.code for i in mapping.form_indicators(form)}


def _counts():
    return (
        Submission.objects.count(),
        DataValue.objects.count(),
        Document.objects.count(),
        Task.objects.count(),
        AuditEntry.objects.count(),
    )


def _post(client, text, unit, form, period, **extra):
    data = {
        "text": text,
        "step": "confirm",
        "unit": str(unit.pk),
        "report_form": str(form.pk),
        "period": period,
    }
    data.update({k: str(v) for k, v in extra.items()})
    return client.post(CONFIRM, data)


def _ind(form, code):
    return next(i.pk for i in mapping.form_indicators(form) if i.code == code)


# -- suggestions --------------------------------------------------------------------------------


def test_suggestions_follow_the_words_around_each_figure(demo):
    text = (
        "các cơ quan tư pháp cấp huyện đã thụ lý 1.240 vụ việc, đã giải quyết 1.102 vụ việc; "
        "giải quyết 118/140 vụ. Tiếp nhận, xử lý 356 tin báo, tố giác tội phạm; phát hiện 12 "
        "vụ việc tham nhũng; kiểm tra 75 tổ chức đảng và 122 đảng viên; thi hành xong 6.061 tỷ "
        "đồng. Tai nạn giao thông xảy ra 45 vụ, làm chết 20 người, bị thương 31 người. Ban hành "
        "14 văn bản chỉ đạo."
    )
    form = ReportForm.objects.get(code="QB-GB-9T")
    rows = mapping.rows_of(extract(text))
    mapping.suggest(rows, mapping.form_indicators(form))
    codes = _codes(form)
    got = {row.text if row.key[0] == "f" else row.key: codes.get(row.suggested) for row in rows}
    assert got == {
        "1.240 vụ việc": "TP-TL",
        "1.102 vụ việc": "TP-GQ",
        "r0p": None,  # "giải quyết" is taken by a better row; "vụ" alone names nothing
        "r0t": None,
        "356 tin báo": "TG-TB",
        "12 vụ việc": "TN-PH",
        "75 tổ chức đảng": "KT-TC",
        "122 đảng viên": "KT-DV",
        "6.061 tỷ đồng": "THA-TIEN",
        "45 vụ": "GT-SV",
        "20 người": "GT-CHET",
        "31 người": "GT-BT",
        "14 văn bản": "VB-CD",
    }
    money = next(r for r in rows if r.text == "6.061 tỷ đồng")
    indicator = next(i for i in mapping.form_indicators(form) if i.code == "THA-TIEN")
    assert mapping.value_for(money, indicator) == Decimal(6_061_000)  # in triệu đồng


def test_a_measure_alone_suggests_nothing(demo):
    form = ReportForm.objects.get(code="QB-GB-9T")
    rows = mapping.rows_of(extract("Có 20 người."))
    mapping.suggest(rows, mapping.form_indicators(form))
    assert [r.suggested for r in rows] == [None]


def test_period_suggested_from_the_text(quarterly):
    found = extract("Báo cáo 9 tháng đầu năm 2024: thụ lý 5 vụ việc.")
    assert mapping.period_for(quarterly, found.period).code == "2024-Q3"
    nine = ReportForm.objects.get(code="QB-GB-9T")
    assert mapping.period_for(nine, found.period).code == "2024-9M"


# -- preview: nothing saved ---------------------------------------------------------------------


def test_reading_and_suggesting_again_save_nothing(client_, quarterly, unit, new_period):
    text = _text(new_period)
    before = _counts()
    html = client_.post(READ, {"text": text}).content.decode()
    assert 'id="intake-confirm"' in html
    assert f'<option value="{new_period.code}" selected>{new_period.label}</option>' in html
    assert f'<option value="{quarterly.pk}" selected>' in html
    tl = _ind(quarterly, "TP-TL")
    assert f'<option value="{tl}" selected>' in html
    again = client_.post(
        CONFIRM,
        {"text": text, "step": "suggest", "unit": unit.pk, "report_form": quarterly.pk},
    )
    assert again.status_code == 200
    assert 'id="intake-mapping"' in again.content.decode()
    assert _counts() == before


# -- confirm ------------------------------------------------------------------------------------


def test_confirm_creates_one_draft_with_the_confirmed_values(
    client_, quarterly, unit, new_period, nghean
):
    text = _text(new_period)
    before = _counts()
    response = _post(
        client_,
        text,
        unit,
        quarterly,
        new_period.code,
        map_f0=_ind(quarterly, "TP-TL"),
        map_f1=_ind(quarterly, "TP-GQ"),
        map_f2="",  # the user drops the suggestion for "356 tin báo"
        map_f3=_ind(quarterly, "TN-PH"),
    )
    created = Submission.objects.get(form=quarterly, unit=unit, period=new_period.code)
    assert response.status_code == 302
    assert response.url == f"/bao-cao/bao-cao-don-vi/{created.pk}/"
    assert Submission.objects.count() == before[0] + 1
    assert created.status == Status.DRAFT
    values = {v.indicator.code: v.value for v in created.values.select_related("indicator")}
    assert values["TP-TL"] == Decimal(1240)
    assert values["TP-GQ"] == Decimal(1102)
    assert values["TN-PH"] == Decimal(12)
    assert values["TG-TB"] is None
    entries = AuditEntry.objects.filter(object_type="reports.submission", object_id=created.pk)
    assert {e.action for e in entries} == {AuditAction.CREATE, AuditAction.UPDATE}
    update = entries.get(action=AuditAction.UPDATE)
    assert update.username == nghean.username
    assert "tiếp nhận" in update.message
    assert (Document.objects.count(), Task.objects.count()) == before[2:4]  # none ticked
    page = client_.get(response.url).content.decode()
    assert "1.240" in page and "Đã lưu số liệu vào bản nháp báo cáo" in page


def test_confirm_again_fills_the_same_draft(client_, quarterly, unit, new_period):
    text = _text(new_period)
    tl = _ind(quarterly, "TP-TL")
    _post(client_, text, unit, quarterly, new_period.code, map_f0=tl)
    count = Submission.objects.count()
    _post(client_, text, unit, quarterly, new_period.code, map_f1=tl)  # corrected: 1.102
    assert Submission.objects.count() == count
    row = DataValue.objects.get(
        submission__form=quarterly,
        submission__unit=unit,
        submission__period=new_period.code,
        indicator_id=tl,
    )
    assert row.value == Decimal(1102)


def test_documents_and_tasks_only_the_ticked_rows(client_, quarterly, unit, new_period):
    text = _text(new_period)
    documents, tasks = Document.objects.count(), Task.objects.count()
    response = _post(client_, text, unit, quarterly, "", doc_0="on", task_1="on")
    assert response.status_code == 302 and response.url == "/cong-tac/nhiem-vu/"
    assert Document.objects.count() == documents + 1
    assert Task.objects.count() == tasks + 1
    document = Document.objects.latest("pk")
    assert (document.code, document.unit, str(document.issue_date)) == (
        "07-HD/BNCTU",
        unit,
        "2026-04-12",
    )
    assert document.title == "Hướng dẫn số 07-HD/BNCTU về công tác nội chính"
    task = Task.objects.latest("pk")
    assert (task.number, task.title, task.unit, task.due_on) == (
        2,
        "Đẩy nhanh tiến độ giải quyết đơn thư",
        unit,
        None,
    )
    for record, kind in ((document, "documents.document"), (task, "work.task")):
        entry = AuditEntry.objects.get(object_type=kind, object_id=record.pk)
        assert entry.action == AuditAction.CREATE and "tiếp nhận" in entry.message


def test_nothing_chosen_is_refused(client_, quarterly, unit, new_period):
    before = _counts()
    response = _post(client_, _text(new_period), unit, quarterly, new_period.code)
    assert response.status_code == 400
    assert "Chưa chọn gì" in response.content.decode()
    assert _counts() == before


def test_one_indicator_for_two_figures_is_refused(client_, quarterly, unit, new_period):
    before = _counts()
    tl = _ind(quarterly, "TP-TL")
    response = _post(
        client_, _text(new_period), unit, quarterly, new_period.code, map_f0=tl, map_f1=tl
    )
    assert response.status_code == 400
    assert "được chọn cho hai số liệu" in response.content.decode()
    assert _counts() == before


def test_a_unit_outside_the_scope_is_refused(client_, quarterly, new_period):
    hanoi = Unit.objects.get(name="Ban Nội chính Thành ủy Hà Nội")
    before = _counts()
    response = _post(
        client_,
        _text(new_period),
        hanoi,
        quarterly,
        new_period.code,
        map_f0=_ind(quarterly, "TP-TL"),
        doc_0="on",
    )
    assert response.status_code == 400
    assert 'id="confirm-errors"' in response.content.decode()
    assert _counts() == before


def test_the_service_refuses_a_unit_outside_the_scope(nghean, quarterly, new_period):
    from django.core.exceptions import PermissionDenied

    hanoi = Unit.objects.get(name="Ban Nội chính Thành ủy Hà Nội")
    found = extract(_text(new_period), user=nghean)
    before = _counts()
    with pytest.raises(PermissionDenied):
        intake_confirm(
            user=nghean,
            found=found,
            unit=hanoi,
            form=quarterly,
            period=new_period.code,
            chosen={"f0": _ind(quarterly, "TP-TL")},
        )
    assert _counts() == before


def test_an_approved_report_is_refused_and_the_choices_kept(client_, quarterly, unit):
    approved = _approved(quarterly, unit)
    text = _text(approved.period_value)
    gq = _ind(quarterly, "TP-GQ")
    before = _counts()
    response = _post(
        client_,
        text,
        unit,
        quarterly,
        approved.period,
        map_f0=gq,  # not the suggestion (TP-TL): the user's correction must survive
        map_f1="",
        doc_0="on",
        task_0="on",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "không thể sửa nữa" in html and "Đã phê duyệt".lower() in html
    assert _counts() == before  # the ticked document and task were not created either
    select = html[
        html.index('name="map_f0"') : html.index("</select>", html.index('name="map_f0"'))
    ]
    assert f'<option value="{gq}" selected>' in select
    second = html[
        html.index('name="map_f1"') : html.index("</select>", html.index('name="map_f1"'))
    ]
    assert '<option value="" selected>Không dùng</option>' in second
    assert second.count("selected") == 1
    assert 'name="doc_0" id="id_doc_0" checked' in html
    assert 'name="task_0" id="id_task_0" checked' in html
    assert 'name="task_1" id="id_task_1">' in html
    assert f'<option value="{approved.period}" selected>' in html
    assert "thụ lý 1.240 vụ việc" in html  # the text is kept (hidden field and text area)


def test_a_figure_that_differs_from_an_approved_report_is_warned(client_, quarterly, unit):
    approved = _approved(quarterly, unit)
    tl = _ind(quarterly, "TP-TL")
    stored = approved.values.get(indicator_id=tl).value
    assert stored != Decimal(1240)
    html = client_.post(
        CONFIRM,
        {
            "text": _text(approved.period_value),
            "step": "suggest",
            "unit": unit.pk,
            "report_form": quarterly.pk,
            "period": approved.period,
        },
    ).content.decode()
    from noichinh.core.text import format_number

    assert (
        f"Báo cáo đã phê duyệt TW-QUY · {approved.period_value.label} ghi "
        f"{format_number(stored, 0)}; văn bản ghi “1.240 vụ việc”."
    ) in html


def test_a_figure_that_differs_from_the_registry_count_is_warned(
    client_, quarterly, unit, new_period, nghean
):
    from noichinh.core.counts import count_value
    from noichinh.core.text import format_number

    found = ReportForm.objects.get(code="TW-QUY")
    detected = next(i for i in mapping.form_indicators(found) if i.code == "TN-PH")
    count = count_value(
        detected.count_key,
        unit=unit,
        start=new_period.start,
        end=new_period.end,
        user=nghean,
        as_of=new_period.end,
    )
    assert count != 12
    html = client_.post(READ, {"text": _text(new_period)}).content.decode()
    assert (
        f"Sổ theo dõi đếm được {format_number(count)} cho chỉ tiêu TN-PH trong "
        f"{new_period.label}; văn bản ghi “12 vụ việc”."
    ) in html
    assert "cho chỉ tiêu TP-TL" not in html  # a hand-entered indicator has no count


# -- never crashes --------------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "đã thụ lý",
        "giải quyết",
        "1.240 vụ việc",
        "12 vụ",
        "118/140 vụ",
        "6.061 tỷ đồng",
        ", ",
        "; ",
        ". ",
        "(",
        "20 người",
        "đạt 84,3%",
        "tin báo",
        " ",
        "tham nhũng",
        "\n",
        "0 đồng",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=40))
def test_suggestions_never_crash_and_give_each_indicator_once(parts):
    indicators = [
        Indicator(pk=1, code="TP-TL", name="Vụ án, vụ việc đã thụ lý", measure="vụ việc"),
        Indicator(pk=2, code="TP-GQ", name="Vụ án, vụ việc đã giải quyết", measure="vụ việc"),
        Indicator(pk=3, code="THA-TIEN", name="Số tiền thi hành xong", measure="triệu đồng"),
        Indicator(pk=4, code="TN-PH", name="Vụ việc tham nhũng được phát hiện", measure="vụ"),
    ]
    found = extract("".join(parts))
    rows = mapping.rows_of(found)
    mapping.suggest(rows, indicators)
    suggested = [r.suggested for r in rows if r.suggested]
    assert len(suggested) == len(set(suggested))
    assert len(rows) <= mapping.MAX_ROWS
    for row in rows:
        assert row.context == " ".join(row.context.split())
        for indicator in indicators:
            mapping.value_for(row, indicator)
