"""Accounts: users with passwords and roles, registration, sign-in throttling, password
resets and invite codes. Pure services (no Streamlit); app/ui/auth.py puts
streamlit-authenticator's widgets on top of them."""
