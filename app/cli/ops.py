"""`chalk selftest`, `health`, `backup`, `restore` and `db upgrade`: running an install."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_FAILED, EXIT_OK, UsageError, print_json
from app.settings import get_settings


def cmd_selftest(args: argparse.Namespace) -> int:
    from app.core.selftest import run_selftest

    report = run_selftest()
    if args.json:
        print_json(report.to_json())
    else:
        print(f"sandbox mode: {report.mode}; active layers: {', '.join(report.layers)}")
        for canary in report.canaries:
            print(f"  [{'ok' if canary.passed else 'FAIL'}] {canary.name}: {canary.detail}")
        print("selftest passed" if report.ok else "selftest FAILED")
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from sqlalchemy import make_url

    from app.db.migrate import current_revision, upgrade

    settings = get_settings()
    upgrade(settings)
    revision = current_revision(settings)
    database = make_url(settings.database).render_as_string(hide_password=True)
    if args.json:
        print_json({"status": "succeeded", "revision": revision, "database": database})
    else:
        print(revision)
        print(f"database {database} is at revision {revision}", file=sys.stderr)
    return EXIT_OK


def cmd_health(args: argparse.Namespace) -> int:
    from app.ops.health import run_health

    report = run_health(get_settings(), deep=args.deep)
    if args.json:
        print_json(report.to_json())
    else:
        print(report.status)
        for name, check in report.checks.items():
            print(f"  {name:<9} {'ok  ' if check.ok else 'FAIL'} {check.detail}")
    return EXIT_OK if report.status == "ok" else EXIT_FAILED


def _backup_path(value: str, *, must_exist: bool) -> Path:
    path = Path(value)
    if not path.name.endswith(".tar.gz"):
        raise UsageError("The backup file must end in .tar.gz.")
    if must_exist and not path.is_file():
        raise UsageError(f"There is no backup at {path}.")
    return path


def cmd_backup(args: argparse.Namespace) -> int:
    from app.ops.backup import BackupError, backup

    if args.schedule:
        if args.out is not None:
            raise UsageError("Give either OUT.tar.gz or --schedule (it names its own files).")
        return _backup_schedule(args)
    if args.out is None:
        raise UsageError("Give the backup file (OUT.tar.gz), or --schedule.")
    if args.metrics_port is not None:
        raise UsageError("--metrics-port goes with --schedule.")
    out = _backup_path(args.out, must_exist=False)
    try:
        summary = backup(get_settings(), out)
    except BackupError as exc:
        return _backup_failed(args, str(exc))
    if args.json:
        print_json({"status": "succeeded", "error": None, **summary.to_json()})
    else:
        print(summary.path)
        print(
            f"backed up {sum(summary.tables.values())} rows and {summary.media_files} media files",
            file=sys.stderr,
        )
    return EXIT_OK


def _backup_schedule(args: argparse.Namespace) -> int:
    from app.ops.backup_schedule import run_schedule
    from app.ops.metrics import MetricsPortInUse, serve_backup_metrics

    settings = get_settings()
    if args.metrics_port is not None:
        if not 0 < args.metrics_port < 65536:
            raise UsageError("--metrics-port must be between 1 and 65535.")
        try:
            serve_backup_metrics(settings, port=args.metrics_port, addr=args.metrics_addr)
        except MetricsPortInUse as exc:
            raise UsageError(f"{exc}; choose another --metrics-port.") from None
    print(
        f"backing up every {settings.backup_interval_h:g} h into {settings.backup_root}",
        file=sys.stderr,
    )
    run_schedule(settings)
    return EXIT_OK  # pragma: no cover - the loop ends only when the process is stopped


def cmd_restore(args: argparse.Namespace) -> int:
    from app.ops.backup import BackupError, restore

    archive = _backup_path(args.archive, must_exist=True)
    try:
        summary = restore(get_settings(), archive, replace=args.replace)
    except BackupError as exc:
        return _backup_failed(args, str(exc))
    if args.json:
        print_json({"status": "succeeded", "error": None, **summary.to_json()})
    else:
        print(
            f"restored {sum(summary.tables.values())} rows and {summary.media_files} media files"
            f" from {summary.path}"
        )
    return EXIT_OK


def _backup_failed(args: argparse.Namespace, message: str) -> int:
    if args.json:
        print_json({"status": "failed", "error": {"kind": "backup", "message": message}})
    else:
        print(f"chalk {args.command}: {message}", file=sys.stderr)
    return EXIT_FAILED


def add_parsers(sub: Any) -> None:
    selftest = sub.add_parser("selftest", help="run sandbox canaries and report active layers")
    selftest.add_argument("--json", action="store_true")
    selftest.set_defaults(func=cmd_selftest)

    health = sub.add_parser(
        "health",
        help="check database, queue, storage, sandbox and disk (exit 0 only when all are ok)",
    )
    health.add_argument("--json", action="store_true", help="print one JSON object")
    health.add_argument(
        "--deep", action="store_true", help="run the sandbox selftest canaries too (slower)"
    )
    health.set_defaults(func=cmd_health)

    backup = sub.add_parser(
        "backup", help="back up the database and local media to a .tar.gz (safe while running)"
    )
    backup.add_argument("out", metavar="OUT.tar.gz", nargs="?")
    backup.add_argument("--json", action="store_true", help="print one JSON object")
    backup.add_argument(
        "--schedule",
        action="store_true",
        help="run until stopped: a verified backup every CHALK_BACKUP_INTERVAL_H hours into "
        "CHALK_BACKUP_DIR (copied to S3 when media is there), old ones thinned out",
    )
    backup.add_argument(
        "--metrics-port",
        type=int,
        help="with --schedule: serve Prometheus metrics (the last success time) on this port",
    )
    backup.add_argument(
        "--metrics-addr",
        help="address for --metrics-port (default CHALK_METRICS_ADDR, else 127.0.0.1)",
    )
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore", help="restore a backup into an empty database (stop the app and workers first)"
    )
    restore.add_argument("archive", metavar="IN.tar.gz")
    restore.add_argument(
        "--replace", action="store_true", help="delete the rows already in the database first"
    )
    restore.add_argument("--json", action="store_true", help="print one JSON object")
    restore.set_defaults(func=cmd_restore)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_upgrade = db_sub.add_parser("upgrade", help="migrate the database to the newest schema")
    db_upgrade.add_argument("--json", action="store_true", help="print one JSON object")
    db_upgrade.set_defaults(func=cmd_db_upgrade)
