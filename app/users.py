"""Kept for older imports: users now live in app.accounts.users."""

from app.accounts.users import get_or_create_user

__all__ = ["get_or_create_user"]
