"""Admin: usage analytics (DuckDB), the users table and invites, and the job queue.

Navigation lists this page only for admins; the check below makes sure a teacher who reaches
it some other way still gets nothing of it.
"""

from __future__ import annotations

import streamlit as st

from app.ui import admin_panels, layout
from app.ui.session import current_user, settings

layout.require_frame()

user = current_user()
if user is None or user.role != "admin":
    st.error("This page is for Chalk admins.", icon=":material/lock:")
    st.stop()

cfg = settings()

st.title("Admin", anchor=False)
analytics, people, queue = st.tabs(["Analytics", "Users", "Queue"])
with analytics:
    admin_panels.analytics_panel(cfg)
with people:
    admin_panels.users_panel(cfg, user.id)
with queue:
    admin_panels.queue_panel(cfg)
