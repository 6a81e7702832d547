"""`chalk users ...`: operators add, list, promote, disable and invite users.

Passwords are read from stdin (`--password-stdin`, one line) or asked for on a terminal,
never taken as an argument (it would land in the shell history and the process list).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from app.accounts import api_keys, users
from app.accounts.invites import create_invite
from app.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from app.db.models import ROLES
from app.errors import ChalkError
from app.settings import get_settings


class PasswordInputError(Exception):
    """No password could be read (exit code 2)."""


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise PasswordInputError("The passwords differ; run the command again.")
    else:
        raise PasswordInputError("Give the password on stdin with --password-stdin.")
    if not password:
        raise PasswordInputError("The password is empty.")
    return password


def _done(args: argparse.Namespace, data: dict[str, Any], text: str) -> int:
    if args.json:
        print(json.dumps({"status": "succeeded", "error": None, **data}))
    else:
        print(text)
    return EXIT_OK


def _failed(args: argparse.Namespace, message: str, code: int = EXIT_FAILED) -> int:
    if args.json:
        error = {"kind": "validation", "message": message}
        print(json.dumps({"status": "failed", "error": error}))
    else:
        print(f"chalk users {args.users_command}: {message}", file=sys.stderr)
    return code


def cmd_add(args: argparse.Namespace) -> int:
    account = users.create_account(
        settings=get_settings(),
        username=args.name,
        password=_password(args),
        email=args.email,
        display_name=args.display_name,
        role=args.role,
    )
    return _done(args, {"user": account.to_json()}, f"added {account.username} ({account.role})")


def cmd_list(args: argparse.Namespace) -> int:
    accounts = users.list_accounts(settings=get_settings())
    if args.json:
        print(json.dumps({"users": [account.to_json() for account in accounts]}))
        return EXIT_OK
    for account in accounts:
        status = "disabled" if account.disabled else "active"
        last = f"{account.last_login_at:%Y-%m-%d %H:%M}" if account.last_login_at else "never"
        print(
            f"{account.username:<24} {account.role:<8} {status:<9} last sign-in {last:<16} "
            f"{account.email or ''}"
        )
    return EXIT_OK


def cmd_set_role(args: argparse.Namespace) -> int:
    account = users.set_role(settings=get_settings(), username=args.name, role=args.role)
    return _done(args, {"user": account.to_json()}, f"{account.username} is now {account.role}")


def cmd_disable(args: argparse.Namespace) -> int:
    disabled = args.users_command == "disable"
    account = users.set_disabled(settings=get_settings(), username=args.name, disabled=disabled)
    state = "disabled" if account.disabled else "enabled"
    return _done(args, {"user": account.to_json()}, f"{account.username} is {state}")


def cmd_set_password(args: argparse.Namespace) -> int:
    settings = get_settings()
    account = users.find_account(settings=settings, username=args.name)
    if account is None:
        raise users.AccountNotFound(f"There is no user {args.name}.")
    users.change_password(settings=settings, user_id=account.id, new_password=_password(args))
    return _done(args, {"user": account.to_json()}, f"new password set for {account.username}")


def cmd_invite(args: argparse.Namespace) -> int:
    settings = get_settings()
    code = create_invite(settings=settings, role=args.role, uses=args.uses)
    note = "" if settings.registration == "invite" else " (CHALK_REGISTRATION is not 'invite')"
    return _done(
        args,
        {"code": code, "role": args.role, "uses": args.uses},
        f"{code}\ninvite for {args.uses} {args.role} sign-up(s), valid "
        f"{settings.invite_ttl_days} days{note}",
    )


def _owner_id(settings: Any, name: str) -> int:
    account = users.find_account(settings=settings, username=name)
    if account is None:
        raise users.AccountNotFound(f"There is no user {name}.")
    return account.id


def cmd_key_create(args: argparse.Namespace) -> int:
    settings = get_settings()
    made = api_keys.create_key(
        settings=settings, user_id=_owner_id(settings, args.name), label=args.label
    )
    return _done(
        args,
        made.to_json(),
        f"{made.key}\nAPI key {made.view.id} for {args.name}; webhook secret "
        f"{made.view.webhook_secret}\nThe key is shown only now: store it somewhere safe.",
    )


def cmd_key_list(args: argparse.Namespace) -> int:
    settings = get_settings()
    keys = api_keys.list_keys(settings=settings, user_id=_owner_id(settings, args.name))
    if args.json:
        print(json.dumps({"keys": [key.to_json() for key in keys]}))
        return EXIT_OK
    for key in keys:
        used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never"
        state = "active" if key.active else "revoked"
        print(f"{key.id}  {key.prefix}…  {state:<8} last used {used:<16} {key.label}")
    return EXIT_OK


def cmd_key_revoke(args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        key = api_keys.revoke_key(
            settings=settings, user_id=_owner_id(settings, args.name), key_id=args.key_id
        )
    except api_keys.ApiKeyNotFound as exc:
        return _failed(args, str(exc))
    return _done(args, {"key": key.to_json()}, f"API key {key.id} is revoked")


def run(args: argparse.Namespace) -> int:
    """Run a `chalk users` command with teacher-readable errors."""
    try:
        return int(args.users_func(args))
    except PasswordInputError as exc:
        return _failed(args, str(exc), EXIT_USAGE)
    except ChalkError as exc:
        return _failed(args, exc.message)
    except users.AccountNotFound as exc:
        return _failed(args, str(exc))


def add_parsers(sub: Any) -> None:
    """Add `chalk users` and its commands to the top-level subparsers."""
    parser = sub.add_parser("users", help="add, list, promote, disable and invite users")
    parser.set_defaults(func=run)
    commands = parser.add_subparsers(dest="users_command", required=True)

    def command(name: str, func: Any, help_text: str) -> argparse.ArgumentParser:
        p = commands.add_parser(name, help=help_text)
        p.add_argument("--json", action="store_true", help="print one JSON object")
        p.set_defaults(users_func=func)
        return p

    add = command("add", cmd_add, "add a user (the first user of an install becomes admin)")
    add.add_argument("name", help="username (3-32 lowercase letters, digits, . _ -)")
    add.add_argument("--role", choices=ROLES, help="default: admin if there is none, else teacher")
    add.add_argument("--email", help="for password-reset mails")
    add.add_argument("--display-name", help="the name shown in the app")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")

    command("list", cmd_list, "list users")

    set_role = command("set-role", cmd_set_role, "make a user admin or teacher")
    set_role.add_argument("name")
    set_role.add_argument("role", choices=ROLES)

    for name, help_text in (("disable", "stop a user signing in"), ("enable", "let them again")):
        command(name, cmd_disable, help_text).add_argument("name")

    set_password = command("set-password", cmd_set_password, "set a user's password")
    set_password.add_argument("name")
    set_password.add_argument("--password-stdin", action="store_true", help="read it from stdin")

    invite = command("invite", cmd_invite, "make an invite code for CHALK_REGISTRATION=invite")
    invite.add_argument("--role", choices=ROLES, default="teacher")
    invite.add_argument("--uses", type=int, default=1, help="how many sign-ups it allows")

    api_key = commands.add_parser("api-key", help="make, list and revoke a user's API keys")
    key_commands = api_key.add_subparsers(dest="key_command", required=True)

    def key_command(name: str, func: Any, help_text: str) -> argparse.ArgumentParser:
        p = key_commands.add_parser(name, help=help_text)
        p.add_argument("name", help="the user")
        p.add_argument("--json", action="store_true", help="print one JSON object")
        p.set_defaults(users_func=func)
        return p

    create = key_command("create", cmd_key_create, "make a key (shown once) and webhook secret")
    create.add_argument("--label", default="", help="what the key is for, e.g. 'Moodle'")
    key_command("list", cmd_key_list, "list a user's keys (never the keys themselves)")
    key_command("revoke", cmd_key_revoke, "revoke a key at once").add_argument("key_id")
