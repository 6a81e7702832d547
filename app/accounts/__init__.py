"""Accounts: users with passwords and roles, registration, sign-in throttling, password
resets, invite codes and the sign-in cookie's settings. Pure services (no Streamlit);
app/ui/auth.py puts streamlit-authenticator's widgets on top of them."""
