"""`chalk`: the command line (contract in DESIGN.md), one module per command group.

`--json` prints exactly one JSON object on stdout; logs go to stderr. Exit codes: 0 success,
1 a failed or rejected job, 2 a usage error. Command modules import the heavy parts (Manim's
pipeline, the queue, Alembic, boto3) inside the commands that need them, so light commands
start fast.
"""

from __future__ import annotations

import argparse
import logging
import sys

from app.cli import api, deploy, jobs, lessons, ops, render, users
from app.cli.common import EXIT_FAILED, EXIT_USAGE, UsageError, print_json
from app.errors import INTERNAL_MESSAGE, ChalkError
from app.logs import configure_logging
from app.settings import ProductionSettingError, get_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chalk", description="Chalk: prompt-to-animation.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in (render, ops, deploy, jobs, users, lessons, api):
        group.add_parsers(sub)
    return parser


SCHEMA_COMMANDS = frozenset({"submit", "status", "cancel", "versions", "users", "backup", "lesson"})
"""Commands that read or write the database: the schema is brought to head before they run.

(`db upgrade` migrates by itself, `restore` to the backup's revision, `health` reports the
revision as it is, and `worker` migrates after its sandbox canaries.)"""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    configure_logging(verbose=args.verbose)
    try:
        if args.command in SCHEMA_COMMANDS:
            # Lazy: Alembic costs about a second of start-up that other commands never need.
            from app.db.migrate import ensure_schema

            ensure_schema(get_settings())
        return int(args.func(args))
    except UsageError as exc:
        print(f"chalk {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ProductionSettingError as exc:  # production settings without a key or address
        print(f"chalk {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception:
        logging.getLogger("chalk").exception("internal error")
        if getattr(args, "json", False):
            print_json(
                {"status": "failed", "error": ChalkError("internal", INTERNAL_MESSAGE).to_json()}
            )
        return EXIT_FAILED
