import datetime as dt
import itertools

import pytest

from noichinh.core.counts import DerivedCount, register_count
from noichinh.core.permissions import Role
from noichinh.core.testkit import build_tree, make_user
from noichinh.documents.models import Document
from noichinh.reports.choices import Aggregation, Operator, Reporting, Severity, Source
from noichinh.reports.models import FormItem, FormSection, Indicator, ReportForm, ValidationRule

TEST_COUNT = "reports_test.documents_issued"
_seq = itertools.count(1)

# A derived count of our own over an existing registry: documents by issue date.
register_count(
    DerivedCount(
        key=TEST_COUNT,
        label="Documents issued (test)",
        model=Document,
        date_field="issue_date",
        list_url_name="documents:document_list",
        date_params=("issued_after", "issued_before"),
    )
)


def make_document(unit, day, code=None):
    from noichinh.documents.services import document_prepare

    document = Document(
        unit=unit,
        code=code or f"{next(_seq) + 900}-KH/BNCTU",
        issue_date=day,
        title=f"Kế hoạch {unit.code}",
    )
    document_prepare(document)
    document.save()
    return document


def make_form(owner, code="BM-9T", period_type="nine_months", **extra):
    """A small briefing form: documents (derived), accepted, resolved, rate, inspected."""
    form = ReportForm.objects.create(
        unit=owner, code=code, name="Báo cáo 9 tháng", period_type=period_type, **extra
    )
    prefix = f"{code}-"
    docs = Indicator.objects.create(
        unit=owner,
        code=prefix + "VB",
        name="Văn bản chỉ đạo",
        measure="văn bản",
        source=Source.DERIVED,
        count_key=TEST_COUNT,
    )
    accepted = Indicator.objects.create(
        unit=owner, code=prefix + "TL", name="Vụ việc đã thụ lý", measure="vụ việc"
    )
    resolved = Indicator.objects.create(
        unit=owner, code=prefix + "GQ", name="Vụ việc đã giải quyết", measure="vụ việc"
    )
    rate = Indicator.objects.create(
        unit=owner,
        code=prefix + "TLGQ",
        name="Tỷ lệ giải quyết",
        measure="%",
        source=Source.RATIO,
        numerator=resolved,
        denominator=accepted,
        aggregation=Aggregation.NONE,
    )
    inspected = Indicator.objects.create(
        unit=owner, code=prefix + "KT", name="Tổ chức đảng được kiểm tra", measure="tổ chức"
    )
    one = FormSection.objects.create(unit=owner, form=form, number=1, title="Công tác chỉ đạo")
    two = FormSection.objects.create(unit=owner, form=form, number=2, title="Kết quả")
    for order, (section, indicator) in enumerate(
        [(one, docs), (two, accepted), (two, resolved), (two, rate), (two, inspected)], 1
    ):
        FormItem.objects.create(
            unit=owner, form=form, section=section, order=order, indicator=indicator
        )
    ValidationRule.objects.create(
        unit=owner,
        form=form,
        left=resolved,
        operator=Operator.LE,
        right=accepted,
        severity=Severity.BLOCK,
        message="Số đã giải quyết không vượt số đã thụ lý.",
    )
    ValidationRule.objects.create(
        unit=owner,
        form=form,
        left=inspected,
        operator=Operator.LE,
        right=accepted,
        severity=Severity.WARN,
        message="Số tổ chức được kiểm tra lớn bất thường.",
    )
    form.ind = {"VB": docs, "TL": accepted, "GQ": resolved, "TLGQ": rate, "KT": inspected}
    return form


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def head_a(tree):
    return make_user("truongban.a", tree["prov_a"], [Role.HEAD])


@pytest.fixture
def specialist_a(tree):
    return make_user("chuyenvien.a", tree["prov_a"], [Role.SPECIALIST])


@pytest.fixture
def head_root(tree):
    return make_user("truongban.tw", tree["root"], [Role.HEAD])


D = dt.date
__all__ = ["D", "Reporting", "make_document", "make_form"]
