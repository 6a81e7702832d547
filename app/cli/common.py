"""What every `chalk` command shares: exit codes, usage errors, JSON output, reading input."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.settings import Settings, get_settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad command-line input (exit code 2)."""


def print_json(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, indent=None, default=str) + "\n")


def read_code(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"The file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"The file {path} could not be read as text: {exc}.") from None


def progress_printer(enabled: bool) -> Any:
    if not enabled:
        return None
    last = {"pct": -10}

    def show(fraction: float) -> None:
        pct = int(fraction * 100)
        if pct >= last["pct"] + 10 or pct == 100:
            last["pct"] = pct
            print(f"rendering… {pct}%", file=sys.stderr)

    return show


def settings_from(args: argparse.Namespace) -> Settings:
    settings = get_settings()
    attempts = getattr(args, "max_attempts", None)
    if attempts is not None:
        if not 1 <= attempts <= 10:
            raise UsageError("--max-attempts must be between 1 and 10.")
        settings = settings.model_copy(update={"max_attempts": attempts})
    return settings


def out_path(args: argparse.Namespace) -> Path | None:
    out = Path(args.out).resolve() if args.out else None
    if out is not None and out.suffix.lower() != ".mp4":
        raise UsageError("--out must name an .mp4 file.")
    return out


def report(result: Any, args: argparse.Namespace) -> int:
    if result.ok and getattr(args, "out", None) and getattr(result, "description", None):
        # The text alternative travels with the video: FILE.txt and FILE.vtt beside FILE.mp4.
        video = Path(result.video)
        video.with_suffix(".txt").write_text(result.description.as_text(video.stem), "utf-8")
        video.with_suffix(".vtt").write_text(result.description.as_webvtt(), "utf-8")
    if args.json:
        print_json(result.to_json())
    elif result.ok:
        print(result.video)
        for warning in result.layout_warnings:
            print(f"warning: {warning}", file=sys.stderr)
    else:
        assert result.error is not None
        print(f"{result.status}: {result.error.message}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_FAILED
