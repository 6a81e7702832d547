"""Links that leave the page (reset mails, share links) use only configured addresses,
never the Host header or URL of the request, which whoever sends it chooses."""

from __future__ import annotations

import streamlit as st

from app.settings import get_settings
from app.ui import navigation


def test_the_base_url_ignores_a_hostile_host_and_url(monkeypatch, tmp_path):
    context = type(st.context)
    monkeypatch.setattr(context, "url", property(lambda self: "https://evil.example/create"))
    monkeypatch.setattr(context, "headers", property(lambda self: {"Host": "evil.example"}))
    monkeypatch.setenv("CHALK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CHALK_APP_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert navigation.app_base_url() == "http://localhost:8501"  # Streamlit's defaults
        monkeypatch.setenv("CHALK_APP_URL", "https://chalk.school.org/")
        get_settings.cache_clear()
        assert navigation.share_link("t0k") == "https://chalk.school.org/watch?v=t0k"
    finally:
        get_settings.cache_clear()
