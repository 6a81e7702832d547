"""`chalk`: the command line (contract in DESIGN.md).

`--json` prints exactly one JSON object on stdout; logs go to stderr. Exit codes: 0 success,
1 a failed or rejected job, 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from app.errors import ChalkError
from app.settings import ASPECTS, QUALITIES, Settings, get_settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
GENERATORS = ("auto", "offline", "llm")


class UsageError(Exception):
    """Bad command-line input (exit code 2)."""


def _print_json(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, indent=None, default=str) + "\n")


def _read_code(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"The file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"The file {path} could not be read as text: {exc}.") from None


def _progress_printer(enabled: bool) -> Any:
    if not enabled:
        return None
    last = {"pct": -10}

    def show(fraction: float) -> None:
        pct = int(fraction * 100)
        if pct >= last["pct"] + 10 or pct == 100:
            last["pct"] = pct
            print(f"rendering… {pct}%", file=sys.stderr)

    return show


def _settings(args: argparse.Namespace) -> Settings:
    settings = get_settings()
    attempts = getattr(args, "max_attempts", None)
    if attempts is not None:
        if not 1 <= attempts <= 10:
            raise UsageError("--max-attempts must be between 1 and 10.")
        settings = settings.model_copy(update={"max_attempts": attempts})
    return settings


def _out_path(args: argparse.Namespace) -> Path | None:
    out = Path(args.out).resolve() if args.out else None
    if out is not None and out.suffix.lower() != ".mp4":
        raise UsageError("--out must name an .mp4 file.")
    return out


def _report(result: Any, args: argparse.Namespace) -> int:
    if args.json:
        _print_json(result.to_json())
    elif result.ok:
        print(result.video)
        for warning in result.layout_warnings:
            print(f"layout: {warning}", file=sys.stderr)
    else:
        assert result.error is not None
        print(f"{result.status}: {result.error.message}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_FAILED


def cmd_render(args: argparse.Namespace) -> int:
    from app.core.pipeline import run_job

    if bool(args.code) == bool(args.prompt):
        raise UsageError("Give either a PROMPT or --code FILE.py, not both.")
    code = _read_code(args.code) if args.code else None
    out = _out_path(args)
    result = run_job(
        code=code,
        prompt=args.prompt,
        generator=args.generator,
        quality=args.quality,
        aspect=args.aspect,
        scene=args.scene,
        out=out,
        on_progress=_progress_printer(not args.json),
        settings=_settings(args),
    )
    return _report(result, args)


def cmd_fix(args: argparse.Namespace) -> int:
    """Rewrite old Manim (ManimGL, pre-0.18 Community) for Manim Community, then render it."""
    code = _read_code(args.code)
    if args.no_render:
        from app.core.fixer import fix_code

        fixed = fix_code(code)
        if args.json:
            _print_json(
                {
                    "status": "succeeded",
                    "error": None,
                    "code": fixed.code,
                    "fixes": [fix.to_json() for fix in fixed.fixes],
                }
            )
        else:
            sys.stdout.write(fixed.code)
            for fix in fixed.fixes:
                print(f"fixed {fix}", file=sys.stderr)
        return EXIT_OK
    from app.core.pipeline import run_job

    out = _out_path(args)
    result = run_job(
        code=code,
        fix=True,
        quality=args.quality,
        aspect=args.aspect,
        scene=args.scene,
        out=out,
        on_progress=_progress_printer(not args.json),
        settings=get_settings(),
    )
    if not args.json:
        for fix in result.fixes:
            print(f"fixed {fix}", file=sys.stderr)
    return _report(result, args)


def cmd_generate(args: argparse.Namespace) -> int:
    from app.generators.select import generate

    try:
        generation = generate(
            args.prompt, generator=args.generator, aspect=args.aspect, settings=_settings(args)
        )
    except ChalkError as exc:
        if args.json:
            _print_json(
                {
                    "status": "rejected",
                    "error": exc.to_json(),
                    "code": None,
                    "generator": None,
                    "template": None,
                    "params": {},
                }
            )
        else:
            print(f"rejected: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        _print_json(
            {
                "status": "succeeded",
                "error": None,
                "code": generation.code,
                "generator": generation.generator,
                "template": generation.template,
                "params": generation.params,
                "notes": generation.notes,
            }
        )
    else:
        print(generation.code)
    return EXIT_OK


def cmd_templates(args: argparse.Namespace) -> int:
    from app.generators.offline import list_templates

    templates = list_templates()
    if args.json:
        _print_json({"templates": [t.to_json() for t in templates]})
    else:
        for t in templates:
            params = ", ".join(f"{name}={value!r}" for name, value in t.params.items())
            print(f"{t.id:24} {t.subject:8} {t.title}")
            print(f'{"":33} e.g. "{t.example_prompt}"')
            print(f"{'':33} parameters: {params or 'none'}")
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace) -> int:
    from app.core.selftest import run_selftest

    report = run_selftest()
    if args.json:
        _print_json(report.to_json())
    else:
        print(f"sandbox mode: {report.mode}; active layers: {', '.join(report.layers)}")
        for canary in report.canaries:
            print(f"  [{'ok' if canary.passed else 'FAIL'}] {canary.name}: {canary.detail}")
        print("selftest passed" if report.ok else "selftest FAILED")
    return EXIT_OK if report.ok else EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chalk", description="Chalk: prompt-to-animation.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    def job_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--generator",
            choices=GENERATORS,
            default="auto",
            help="auto uses the LLM when CHALK_LLM_MODEL is set up, else the templates",
        )
        p.add_argument(
            "--max-attempts",
            type=int,
            metavar="N",
            help="LLM generate/repair attempts (default CHALK_MAX_ATTEMPTS)",
        )
        p.add_argument("--json", action="store_true", help="print one JSON object")

    def render_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--scene", help="the Scene class to render when the file has several")
        p.add_argument("--quality", choices=QUALITIES, default="preview")
        p.add_argument("--aspect", choices=ASPECTS, default="16:9")
        p.add_argument("--out", metavar="FILE.mp4", help="where to write the video")

    render = sub.add_parser("render", help="render a prompt or a code file to MP4")
    render.add_argument("prompt", nargs="?", help="what the animation should show")
    render.add_argument("--code", metavar="FILE.py", help="render this Manim file instead")
    render_options(render)
    job_options(render)
    render.set_defaults(func=cmd_render)

    fix = sub.add_parser(
        "fix", help="rewrite old Manim code (ManimGL, pre-0.18) for Manim Community, then render"
    )
    fix.add_argument("--code", metavar="FILE.py", required=True, help="the Manim file to fix")
    render_options(fix)
    fix.add_argument("--no-render", action="store_true", help="print the fixed code only")
    fix.add_argument("--json", action="store_true", help="print one JSON object")
    fix.set_defaults(func=cmd_fix)

    generate = sub.add_parser("generate", help="write the Manim code for a prompt (no render)")
    generate.add_argument("prompt")
    generate.add_argument("--aspect", choices=ASPECTS, default="16:9")
    job_options(generate)
    generate.set_defaults(func=cmd_generate)

    templates = sub.add_parser("templates", help="list the offline templates")
    templates.add_argument("--json", action="store_true")
    templates.set_defaults(func=cmd_templates)

    selftest = sub.add_parser("selftest", help="run sandbox canaries and report active layers")
    selftest.add_argument("--json", action="store_true")
    selftest.set_defaults(func=cmd_selftest)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    from app.logs import configure_logging

    configure_logging(verbose=args.verbose)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"chalk {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception:
        logging.getLogger("chalk").exception("internal error")
        if getattr(args, "json", False):
            _print_json(
                {
                    "status": "failed",
                    "error": {
                        "kind": "internal",
                        "message": "Something went wrong inside Chalk; please try again.",
                    },
                }
            )
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
