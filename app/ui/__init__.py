"""Streamlit helpers for the pages: the session's user, page frame, media and formatting.

Only this package and pages/ import streamlit; what they show comes from app services
(app.jobs.service, app.gallery) that never do.
"""
