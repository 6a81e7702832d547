"""`chalk deploy` and `chalk rollback`: blue-green releases on Compose (app/ops/deploy.py)."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_FAILED, EXIT_OK, print_json

STATE_FILE = "ops/deploy/state.json"


def default_image(project_dir: Path) -> str:
    """chalk:<the checkout's short commit>, or chalk:<UTC time> outside a git checkout."""
    result = subprocess.run(
        ["git", "-C", str(project_dir), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    tag = result.stdout.strip() if result.returncode == 0 else time.strftime("%Y%m%d%H%M%S")
    return f"chalk:{tag}"


def cmd_deploy(args: argparse.Namespace) -> int:
    from app.ops.deploy import ComposePlatform, DeployError, deploy, rollback

    project = Path(args.project_dir).resolve()
    platform = ComposePlatform(project_dir=project)
    state = project / STATE_FILE
    try:
        if args.command == "rollback":
            report = rollback(platform, state)
        else:
            image = args.image or default_image(project)
            report = deploy(platform, state, image, build=not args.no_build)
    except DeployError as exc:
        if args.json:
            print_json({"status": "failed", "error": str(exc)})
        else:
            print(f"chalk {args.command}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print_json({"status": "succeeded", **report.to_json()})
    else:
        for step in report.steps:
            print(f"  {step['step']:<16} {step['seconds']} s")
        print(f"{report.image} serves ({report.colour}); before it: {report.previous_image}")
    return EXIT_OK


def add_parsers(sub: Any) -> None:
    deploy = sub.add_parser(
        "deploy",
        help="build, migrate, start the idle colour, wait for health, switch traffic, drain",
    )
    deploy.add_argument("--image", help="image tag to build and run (default chalk:<commit>)")
    deploy.add_argument("--no-build", action="store_true", help="the image exists already")
    rollback = sub.add_parser("rollback", help="serve the previous release again, the same way")
    for parser in (deploy, rollback):
        parser.add_argument("--project-dir", default=".", help="the Compose project (default .)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.set_defaults(func=cmd_deploy)
