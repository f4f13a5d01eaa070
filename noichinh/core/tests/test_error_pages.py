"""`make run` serves the product as users meet it: debug off, so a missing page answers the
product's Vietnamese 404 (not Django's English page listing the URL patterns), with its styles
served by WhiteNoise from the source folders (a fresh clone has no collected static files)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from noichinh.core.testkit import build_tree, make_user

ROOT = Path(settings.BASE_DIR)


def make_env(target: str, tmp_path: Path) -> list[str]:
    """The NOICHINH_DEBUG each command of a Makefile target runs with, read by running the
    target with a stand-in python that prints it (the real recipe, nothing served)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True)
    fake = bin_dir / "python"
    fake.write_text('#!/bin/sh\necho "debug=${NOICHINH_DEBUG:-unset}"\n')
    fake.chmod(0o755)
    (bin_dir / ".installed").touch()  # newer than the requirements: no install
    env = {**os.environ, "NOICHINH_DEBUG": "1" if target == "run" else "0"}
    command = ["make", "-s", "--no-print-directory", target, f"BIN={bin_dir}", "PORT=8999"]
    result = subprocess.run(  # noqa: S603  (a fixed command line)
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if line.startswith("debug=")]


def test_make_run_serves_with_debug_off_and_make_dev_with_debug_on(tmp_path: Path) -> None:
    run = make_env("run", tmp_path / "run")
    assert run and set(run) == {"debug=0"}, run  # even with NOICHINH_DEBUG=1 in the shell
    dev = make_env("dev", tmp_path / "dev")
    assert dev and set(dev) == {"debug=1"}, dev


@pytest.mark.django_db
def test_a_missing_page_answers_the_products_vietnamese_404(settings: object) -> None:
    assert settings.DEBUG is False  # type: ignore[attr-defined]  # the configuration of make run
    tree = build_tree()
    client = Client()
    client.force_login(make_user("thieu.trang", tree["prov_a"]))
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Không tìm thấy" in text and "Trang hoặc bản ghi không tồn tại" in text
    assert "Không tìm thấy — Noichinh</title>" in text
    assert "URLconf" not in text and "Page not found" not in text
    assert "/static/noichinh/noichinh.css" in text
    # Anonymous visitors get the same page.
    anonymous = Client().get("/khong-co-trang-nay/")
    assert anonymous.status_code == 404 and "Không tìm thấy" in anonymous.content.decode()


def test_static_files_are_served_without_collectstatic() -> None:
    response = Client().get("/static/noichinh/noichinh.css")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert b"@page" in body
