"""Every setting an operator can set is documented in the README."""

from __future__ import annotations

from pathlib import Path

from app.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text()
    missing = [
        f"CHALK_{name.upper()}"
        for name in Settings.model_fields
        if f"CHALK_{name.upper()}" not in text
    ]
    assert missing == []


def test_readme_shows_the_two_entry_commands():
    text = README.read_text()
    assert "make run" in text and "make test" in text
