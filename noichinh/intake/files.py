"""The text of an uploaded report: .txt (UTF-8), .docx (python-docx), .pdf with a text layer
(pypdf). Every refusal is a `ReadError` whose message is for the user."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.utils.translation import gettext as _

MAX_TEXT_BYTES = 2 * 1024 * 1024  # the text to read, once extracted
MAX_FILE_BYTES = 20 * 1024 * 1024  # the uploaded file
EXTENSIONS = (".txt", ".docx", ".pdf")

log = logging.getLogger(__name__)


class ReadError(ValueError):
    """The input cannot be read; the message says why (in the user's language)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise ReadError(_("Send the text of the report as a string."))
    if not text.strip():
        raise ReadError(_("The text is empty: paste the report or choose a file."))
    if len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise ReadError(_("The text is larger than 2 MB: split the report into parts."), 413)
    # A lone surrogate (JSON allows "\\ud800") cannot be written back as UTF-8: replace it.
    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text.replace("\x00", "")


def read_upload(upload: Any) -> str:
    """The text of an uploaded file (a Django UploadedFile)."""
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(EXTENSIONS):
        raise ReadError(_("Only .docx, .txt and .pdf files can be read."), 415)
    if (getattr(upload, "size", 0) or 0) > MAX_FILE_BYTES:
        raise ReadError(_("The file is larger than 20 MB."), 413)
    data = upload.read()
    if name.endswith(".txt"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            message = _("The .txt file is not in UTF-8: save it as UTF-8 and retry.")
            raise ReadError(message) from error
    elif name.endswith(".docx"):
        text = _docx_text(data)
    else:
        text = _pdf_text(data)
    return check_text(text)


def _docx_text(data: bytes) -> str:
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # any failure to open a foreign file is the file's fault
        log.info("intake: unreadable docx: %s", error)
        raise ReadError(_("The Word file is damaged or is not a .docx file.")) from error
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _pdf_text(data: bytes) -> str:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as error:  # any failure to read a foreign file is the file's fault
        log.info("intake: unreadable pdf: %s", error)
        raise ReadError(_("The PDF file is damaged and cannot be read.")) from error
    text = "\n".join(pages)
    if not text.strip():
        raise ReadError(
            _("The PDF has no text layer (a scan): upload the Word file or a PDF with text.")
        )
    return text
