"""Safe, bulk and background imports and exports (issues 15, 16, 18): files are checked before
they are parsed (bombs, random bytes, empty files, too many rows), no exported cell is a live
formula, the import validates and writes in bulk (all or nothing, audited, counted), and large
work runs as a background job whose progress and file only its owner sees."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from noichinh.core import exports
from noichinh.core.audit import verify_chain
from noichinh.core.audit_bulk import audit_record_many
from noichinh.core.display import display_value, field_label
from noichinh.core.models import AuditAction, AuditEntry, Job, JobKind, JobState
from noichinh.core.permissions import Role
from noichinh.core.testkit import build_tree, make_user
from noichinh.petitions import aggregates
from noichinh.petitions.models import Petition
from noichinh.petitions.resources import PetitionResource

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def specialist(tree):
    return make_user("io.specialist", tree["prov_a"], [Role.SPECIALIST])


@pytest.fixture
def other(tree):
    return make_user("io.other", tree["prov_a"], [Role.SPECIALIST, Role.HEAD])


@pytest.fixture
def client(specialist):
    client = Client()
    client.force_login(specialist)
    return client


def row(unit="T-A", subject="Khiếu nại bồi thường", n=0, kind="Khiếu nại"):
    name = "Nguyễn Văn Nhập"
    return [unit, f"IO-{n}", "01/03/2024", "Bưu chính", kind, "", "Đất đai", subject, "", name]


def workbook(rows, header=True):
    book = Workbook()
    sheet = book.active
    if header:
        sheet.append([field_label(Petition, f) for f in PetitionResource.import_fields])
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content, name="don-thu.xlsx"):
    return SimpleUploadedFile(name, content, content_type=exports.XLSX)


def bomb(inflated_mb=200):
    """A well-formed .xlsx (about 0.2 MB) whose sheet inflates to `inflated_mb` MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"<row/>" * 100_000
            for _i in range(inflated_mb * 1024 * 1024 // len(block)):
                sheet.write(block)
    return buffer.getvalue()


def post_import(client, content, name="don-thu.xlsx"):
    return client.post(reverse("petitions:petition_import"), {"file": upload(content, name)})


def errors_of(response):
    return " ".join(e.message for e in response.context["errors"])


# -- input limits ---------------------------------------------------------------------------


def test_openpyxl_parses_xml_with_defusedxml():
    import defusedxml
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True and defusedxml.__version__


def test_a_compressed_file_bomb_is_refused_and_nothing_is_written(client):
    content = bomb()
    assert len(content) < 2 * 1024 * 1024
    entries = AuditEntry.objects.count()
    response = post_import(client, content)
    assert response.status_code == 400
    assert "50 MB" in errors_of(response)
    assert Petition.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_a_bomb_whose_header_lies_is_stopped_by_the_streamed_count():
    """Sizes in the zip's directory are not trusted: the sheet is inflated as a stream, capped."""
    with pytest.raises(ValidationError):
        exports.check_xlsx(bomb(60))


NOT_WORKBOOKS = {
    "random-9MB": lambda: os.urandom(9 * 1024 * 1024),
    "zero-bytes": lambda: b"",
    "csv-named-xlsx": lambda: b"Ho ten,Dia chi\nA,B\n",
    "broken-zip": lambda: b"PK\x03\x04" + os.urandom(2000),
}


@pytest.mark.parametrize("kind", list(NOT_WORKBOOKS))
def test_files_that_are_not_workbooks_get_a_clear_error_never_a_500(client, kind):
    response = post_import(client, NOT_WORKBOOKS[kind](), f"{kind}.xlsx")
    assert response.status_code == 400
    if kind != "zero-bytes":  # the upload form refuses an empty file with its own message
        assert "không phải là bảng tính excel" in errors_of(response).lower()
    assert Petition.objects.count() == 0


def test_a_word_file_renamed_xlsx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(ValidationError):
        exports.check_xlsx(buffer.getvalue())


def test_a_zero_byte_file_and_a_header_only_file_are_errors_not_success(specialist):
    empty = exports.import_rows(user=specialist, resource=PetitionResource, content=b"")
    assert empty.created == 0 and "0 byte" in empty.errors[0].message
    header_only = exports.import_rows(
        user=specialist, resource=PetitionResource, content=workbook([])
    )
    assert header_only.created == 0 and header_only.errors
    assert "không có dòng" in header_only.errors[0].message.lower()


def test_too_many_rows_are_refused_before_parsing(settings, specialist):
    settings.IO_LIMITS = {"rows": 20}
    result = exports.import_rows(
        user=specialist, resource=PetitionResource, content=workbook([row(n=i) for i in range(30)])
    )
    assert result.errors and "20" in result.errors[0].message
    assert Petition.objects.count() == 0


def test_a_report_import_refuses_a_sheet_of_millions_of_rows():
    from noichinh.reports import excel

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + b"<row/>" * 500_000)
    with pytest.raises(ValidationError):
        excel.read_submission_workbook(None, [], buffer.getvalue())  # type: ignore[arg-type]


# -- formulas never leave as formulas ---------------------------------------------------------


def test_an_exported_title_that_looks_like_a_formula_is_text(client, tree, specialist):
    from noichinh.petitions.services import petition_register

    petition_register(
        user=specialist,
        unit=tree["prov_a"],
        received_on=dt.date(2024, 3, 1),
        channel="post",
        kind="complaint",
        field="land",
        subject=FORMULA,
        petitioner_name="Nguyễn Văn A",
    )
    response = client.get(reverse("petitions:petition_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [c for r in sheet.iter_rows() for c in r if c.value == FORMULA]
    assert cells and all(c.data_type != "f" for c in cells)


def test_office_and_report_workbooks_write_formulas_as_text():
    from noichinh.core.office import Sheet, xlsx_bytes
    from noichinh.reports.excel import _save

    content = xlsx_bytes(Sheet(title="T", headers=["A", "B"], rows=[[FORMULA, "+1"], ["@x", "-2"]]))
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    values = {c.value: c.data_type for r in sheet.iter_rows() for c in r if c.value}
    assert values[FORMULA] == "s" and values["+1"] == "s"
    book = Workbook()
    book.active["A1"] = "=1+1"
    sheet = load_workbook(io.BytesIO(_save(book))).worksheets[0]
    assert sheet["A1"].data_type == "s"


def test_fast_export_columns_read_as_the_page_does(tree, specialist):
    from noichinh.petitions.services import petition_register

    petition_register(
        user=specialist,
        unit=tree["prov_a"],
        received_on=dt.date(2024, 3, 1),
        channel="post",
        kind="denunciation",
        field="land",
        subject="S",
        petitioner_name="Nguyễn Văn A",
    )
    petition = Petition.objects.select_related("unit").get()
    for name in exports.export_columns(PetitionResource)[1:]:
        assert exports.column_text(Petition, name)(petition) == display_value(petition, name)[0]


# -- bulk import ------------------------------------------------------------------------------


def test_bulk_import_writes_all_rows_with_their_audit_and_counts(client, specialist):
    response = post_import(client, workbook([row(n=i) for i in range(40)]))
    assert response.status_code == 302
    assert Petition.objects.count() == 40
    created = AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="petitions.petition")
    assert created.count() == 40
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 1
    assert list(verify_chain(anchor=False)) == []
    assert aggregates.verify() == []
    petition = Petition.objects.order_by("id").first()
    assert petition.classify_due_on is not None and petition.search_text


def test_validation_looks_keys_up_once_per_column_not_once_per_row(specialist):
    def queries(n):
        content = workbook([row(n=i) for i in range(n)])
        rows = exports.read_sheet(content)
        header = exports._header(PetitionResource, rows[0])
        found = exports._data_rows(rows)
        result = exports.ImportResult()
        with CaptureQueriesContext(connection) as captured:
            valid = exports._validate(specialist, PetitionResource, header, found, result, None)
        assert len(valid) == n and not result.errors
        return len(captured)

    queries(2)  # the user's roles, read once and cached
    assert queries(5) == queries(50) <= 2


def test_one_bad_row_saves_nothing_and_names_every_error(client):
    rows = [row(n=1), row(n=2, kind="Khiếu kiện"), row(n=3, unit="T-B"), row(n=4)]
    response = post_import(client, workbook(rows))
    assert response.status_code == 400
    found = {(e.row, e.column) for e in response.context["errors"]}
    assert (3, field_label(Petition, "kind")) in found
    assert (4, field_label(Petition, "unit")) in found  # another province: not in scope
    assert Petition.objects.count() == 0
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()


def test_audit_record_many_continues_the_chain(specialist):
    from noichinh.core.audit import audit_record

    audit_record(action=AuditAction.UPDATE, user=specialist, object_type="x.y", object_id="1")
    written = audit_record_many(
        user=specialist,
        entries=(
            {"action": AuditAction.UPDATE, "object_type": "x.y", "object_id": str(i)}
            for i in range(5)
        ),
        batch=2,
    )
    audit_record(action=AuditAction.UPDATE, user=specialist, object_type="x.y", object_id="9")
    assert written == 5
    assert list(verify_chain(anchor=False)) == []


# -- background jobs --------------------------------------------------------------------------


def test_a_large_export_runs_in_the_background_and_only_its_owner_gets_the_file(
    client, settings, tree, specialist, other, django_capture_on_commit_callbacks
):
    from noichinh.petitions.services import petition_register

    settings.TASKS = IMMEDIATE
    settings.IO_LIMITS = {"export_background_rows": 2}
    for i in range(3):
        petition_register(
            user=specialist,
            unit=tree["prov_a"],
            received_on=dt.date(2024, 3, 1),
            channel="post",
            kind="complaint",
            field="land",
            subject=f"Đơn {i}",
            petitioner_name="Nguyễn Văn A",
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("petitions:petition_export"))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("core:job_status", args=[job.pk])
    assert job.state == JobState.DONE and job.kind == JobKind.EXPORT and job.done == 3
    page = client.get(response.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'aria-valuenow="100"' in text and reverse("core:job_file", args=[job.pk]) in text
    exported = AuditEntry.objects.filter(action=AuditAction.EXPORT).count()
    download = client.get(reverse("core:job_file", args=[job.pk]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    assert sheet.max_row == 4
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == exported + 1
    stranger = Client()
    stranger.force_login(other)
    assert stranger.get(response.url).status_code == 404
    assert stranger.get(reverse("core:job_file", args=[job.pk])).status_code == 404


def test_a_large_import_runs_in_the_background(
    client, settings, specialist, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    settings.IO_LIMITS = {"import_background_rows": 5}
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(client, workbook([row(n=i) for i in range(12)]))
    job = Job.objects.get()
    assert response.status_code == 302
    assert job.state == JobState.DONE and job.result["created"] == 12
    assert not job.source  # the upload (personal data) is not kept after it was read
    assert Petition.objects.count() == 12
    assert "12" in client.get(response.url).content.decode()


def test_progress_is_visible_on_the_status_page_and_its_fragment(client, tree, specialist):
    job = Job.objects.create(
        user=specialist,
        unit=tree["prov_a"],
        kind=JobKind.EXPORT,
        resource="petitions.Petition",
        state=JobState.RUNNING,
        done=25_000,
        total=100_000,
    )
    url = reverse("core:job_status", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="25"' in page
    assert "25.000" in page and "100.000" in page and 'hx-trigger="every 2s"' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="job-status"') and "25.000" in fragment


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_runs_a_large_export_and_the_owner_is_told(
    client, settings, tree, specialist
):
    """The database queue and `db_worker`, as `make run` starts them: the job waits queued with
    its progress shown, the worker writes the file, the page shows it done and the inbox says so."""
    from django.core.management import call_command

    from noichinh.inbox.models import Notification
    from noichinh.petitions.services import petition_register

    settings.IO_LIMITS = {"export_background_rows": 2}
    for i in range(3):
        petition_register(
            user=specialist,
            unit=tree["prov_a"],
            received_on=dt.date(2024, 3, 1),
            channel="post",
            kind="complaint",
            field="land",
            subject=f"Đơn {i}",
            petitioner_name="Nguyễn Văn A",
        )
    response = client.get(reverse("petitions:petition_export"))
    job = Job.objects.get()
    assert response.status_code == 302 and job.state != JobState.DONE
    waiting = client.get(response.url).content.decode()
    assert 'aria-valuenow="100"' not in waiting
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == 3
    done = client.get(response.url).content.decode()
    assert 'aria-valuenow="100"' in done and reverse("core:job_file", args=[job.pk]) in done
    told = Notification.objects.get(user=specialist, key=f"job-{job.pk}")
    assert told.url == reverse("core:job_status", args=[job.pk]) and told.kind == "export_ready"
