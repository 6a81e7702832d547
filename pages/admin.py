"""Admin: usage analytics (DuckDB), the users table and invites, and the job queue.

Navigation lists this page only for admins; the check below makes sure a teacher who reaches
it some other way still gets nothing of it.
"""

from __future__ import annotations

import streamlit as st

from app.ui import frame
from app.ui.admin import analytics, queue, users
from app.ui.session import require_admin, settings

frame.require_frame()

user = require_admin()

cfg = settings()

st.title("Admin", anchor=False)
analytics_tab, users_tab, queue_tab = st.tabs(["Analytics", "Users", "Queue"])
with analytics_tab:
    analytics.panel(cfg)
with users_tab:
    users.panel(cfg, user.id)
with queue_tab:
    queue.panel(cfg)
