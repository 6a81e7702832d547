"""`chalk render`, `fix`, `refine`, `generate` and `templates`: code and videos, no queue."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from app.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    UsageError,
    out_path,
    print_json,
    progress_printer,
    read_code,
    report,
    settings_from,
)
from app.errors import ChalkError
from app.generators import GENERATORS, NO_LLM
from app.settings import ASPECTS, QUALITIES, Settings, get_settings
from app.speech.engine import ENGINE_NAMES
from app.speech.options import NarrationOptionError, NarrationOptions

if TYPE_CHECKING:
    from app.cache import RenderCache


def _render_cache(settings: Settings, args: argparse.Namespace) -> RenderCache | None:
    """The render cache for `chalk render`/`chalk fix`, unless --no-cache.

    run_job looks renders up in it and stores new ones; a store that fails only costs a
    later re-render.
    """
    if args.no_cache:
        return None
    # Deferred here and in the render commands: the pipeline and the media store take
    # seconds to import, and light commands (status, templates, users) should start fast.
    from app.cache import RenderCache
    from app.storage import get_storage

    return RenderCache(get_storage(settings), settings)


def cmd_render(args: argparse.Namespace) -> int:
    from app.pipeline.job import run_job  # deferred for start-up time (see _render_cache)

    if bool(args.code) == bool(args.prompt):
        raise UsageError("Give either a PROMPT or --code FILE.py, not both.")
    narration = narration_from(args)
    code = read_code(args.code) if args.code else None
    out = out_path(args)
    settings = settings_from(args)
    if args.prompt and _offline(args.generator, settings):
        found = _asks(args.prompt)
        if found is not None:
            return _render_lesson(found, args, narration)
    cache = _render_cache(settings, args)
    result = run_job(
        code=code,
        prompt=args.prompt,
        generator=args.generator,
        quality=args.quality,
        aspect=args.aspect,
        scene=args.scene,
        out=out,
        on_progress=progress_printer(not args.json),
        settings=settings,
        cache=cache,
        narration=narration,
    )
    return report(result, args)


def _offline(generator: str, settings: Settings) -> bool:
    from app.generators.select import llm_configured  # deferred for start-up time

    return generator == "offline" or (generator == "auto" and not llm_configured(settings))


def _asks(prompt: str) -> list[Any] | None:
    from app.generators.offline.asks import asks  # deferred: the template catalogue

    return asks(prompt)


def _render_lesson(found: list[Any], args: argparse.Namespace, narration: Any) -> int:
    """A prompt that asks for two or three things in turn, rendered as the lesson it is: a
    scene per ask, joined with a chapter each (as `chalk lesson` does with those prompts)."""
    from app.cli.lessons import render_scenes

    if not args.json:
        print(f"a lesson of {len(found)} scenes, one per ask:", file=sys.stderr)
        for ask in found:
            print(f"  {ask.template_id}: {ask.text}", file=sys.stderr)
    return render_scenes(
        [ask.text for ask in found],
        argparse.Namespace(**{**vars(args), "generator": "offline"}),
        title=args.prompt,
        narration=narration.to_json() if narration is not None else None,
        extra={"lesson": True, "generator": "lesson", "template": None, "params": None},
    )


def cmd_fix(args: argparse.Namespace) -> int:
    """Rewrite old Manim (ManimGL, pre-0.18 Community) for Manim Community, then render it;
    with --layout, fix the measured layout instead (no render)."""
    code = read_code(args.code)
    if args.layout:
        return _fix_layout(code, args)
    if args.no_render:
        from app.core.fixer import fix_code  # deferred for start-up time (libcst)

        fixed = fix_code(code)
        if args.json:
            print_json(
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
    from app.pipeline.job import run_job  # deferred for start-up time (see _render_cache)

    out = out_path(args)
    settings = get_settings()
    cache = _render_cache(settings, args)
    result = run_job(
        code=code,
        fix=True,
        quality=args.quality,
        aspect=args.aspect,
        scene=args.scene,
        out=out,
        on_progress=progress_printer(not args.json),
        settings=settings,
        cache=cache,
    )
    if not args.json:
        for fix in result.fixes:
            print(f"fixed {fix}", file=sys.stderr)
    return report(result, args)


def cmd_refine(args: argparse.Namespace) -> int:
    """Change template-made code as an instruction says, offline (the code's header names its
    template and values); with --render, render the new version too.

    Exit 0 when the code changed (and rendered); 1 when the instruction was refused (the
    sentence says why and what the template can change) or the new version failed to render,
    as for any rejected job; 2 for a usage error (no instruction, no file)."""
    # Deferred: the template catalogue, only for the commands that use it.
    from app.generators.offline.refine import EDITED, NOT_A_TEMPLATE, refine
    from app.generators.select import llm_configured

    if not args.instruction.strip():
        raise UsageError('Say what to change, for example "make it faster".')
    code = read_code(args.code)
    out = out_path(args) if args.render else None
    settings = get_settings()
    refinement = refine(code, args.instruction, aspect=args.aspect)
    data: dict[str, Any] = refinement.to_json()
    if args.generator == "llm" and not llm_configured(settings):
        data = _refused(data, NO_LLM)
    elif args.generator == "llm" or (
        args.generator == "auto"
        and not refinement.changed
        and refinement.message in (NOT_A_TEMPLATE, EDITED)
        and llm_configured(settings)
    ):
        try:
            data = _refine_with_llm(code, args, settings)
        except ChalkError as exc:
            if args.json:
                print_json({**data, "status": "failed", "error": exc.to_json(), "changes": []})
            else:
                print(f"failed: {exc.message}", file=sys.stderr)
            return EXIT_FAILED
    if data["status"] != "changed":
        if args.json:
            print_json(data)
        else:
            print(f"refused: {data['message']}", file=sys.stderr)
        return EXIT_FAILED
    if not args.render:
        if args.json:
            print_json(data)
        else:
            sys.stdout.write(data["code"])
            for change in data["changes"]:
                print(f"changed {change}", file=sys.stderr)
        return EXIT_OK
    from app.pipeline.job import run_job  # deferred for start-up time (see _render_cache)

    result = run_job(
        code=data["code"],
        quality=args.quality,
        aspect=data["aspect"] or args.aspect or "16:9",
        out=out,
        on_progress=progress_printer(not args.json),
        settings=settings,
        cache=_render_cache(settings, args),
    )
    if args.json:
        rendered = result.to_json()
        print_json({**rendered, **data, "render_status": rendered["status"]})
        return EXIT_OK if result.ok else EXIT_FAILED
    for change in data["changes"]:
        print(f"changed {change}", file=sys.stderr)
    return report(result, args)


def _refused(data: dict[str, Any], message: str) -> dict[str, Any]:
    error = {"kind": "validation", "message": message}
    return {**data, "status": "refused", "error": error, "message": message, "changes": []}


def _refine_with_llm(code: str, args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """The AI model's change (code no template made as it is, or --generator llm), with the
    diff the teacher reads before rendering it."""
    from app.generators.llm import LLMClient, refine_code  # deferred: openai takes 1-2 s
    from app.generators.offline.refine import code_diff

    aspect = args.aspect or "16:9"
    changed = refine_code(code, args.instruction, aspect=aspect, settings=settings)
    return {
        "status": "changed",
        "error": None,
        "code": changed,
        "changes": [f"the AI model's change for “{args.instruction.strip()}”"],
        "template": None,
        "params": {},
        "message": "The AI model changed the code; read the diff before rendering it.",
        "aspect": None,
        "options": [],
        "generator": LLMClient(settings).generator_id,
        "diff": code_diff(code, changed),
    }


LAYOUT_NOT_CLEARED = (
    "The layout fix could not clear every layout warning, so the code was left as it was."
)


def _fix_layout(code: str, args: argparse.Namespace) -> int:
    """`chalk fix --layout`: measure (no frames drawn), fix the layout, measure again.

    Succeeds when the code given or its fix has no layout warning; a fix that does not clear
    them is dropped (the code comes back as given, exit 1)."""
    from app.core.layout import check_layout  # deferred for start-up time (the sandbox)
    from app.core.layout_fix import fix_layout_measured, layout_issues
    from app.core.render import measure_code
    from app.pipeline.result import status_for

    settings = settings_from(args)

    def measure(candidate: str) -> list[Any]:
        measured = measure_code(
            candidate,
            quality=args.quality,
            aspect=args.aspect,
            scene=args.scene,
            settings=settings,
        )
        return check_layout(measured.layout)

    try:
        before = measure(code)
    except ChalkError as exc:
        data: dict[str, Any] = {"status": status_for(exc), "error": exc.to_json(), "code": code}
        if args.json:
            print_json({**data, "fixes": [], "warnings_before": [], "warnings_after": []})
        else:
            print(f"{data['status']}: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    fixed = fix_layout_measured(code, measure, before=before)
    cleared = not layout_issues(before) or fixed.changed
    error = None if cleared else {"kind": "render", "message": LAYOUT_NOT_CLEARED}
    if args.json:
        print_json(
            {
                "status": "succeeded" if cleared else "failed",
                "error": error,
                "code": fixed.code,
                "fixes": [fix.to_json() for fix in fixed.fixes],
                "warnings_before": fixed.warnings_before,
                "warnings_after": fixed.warnings_after,
            }
        )
    else:
        sys.stdout.write(fixed.code)
        for fix in fixed.fixes:
            print(f"fixed {fix}", file=sys.stderr)
        for warning in fixed.warnings_after:
            print(f"warning: {warning}", file=sys.stderr)
        if not cleared:
            print(LAYOUT_NOT_CLEARED, file=sys.stderr)
    return EXIT_OK if cleared else EXIT_FAILED


def cmd_generate(args: argparse.Namespace) -> int:
    from app.pipeline.generate import generate_code  # deferred for start-up time

    try:
        generation = generate_code(
            args.prompt, generator=args.generator, aspect=args.aspect, settings=settings_from(args)
        )
    except ChalkError as exc:
        if args.json:
            print_json(
                {
                    "status": "rejected",
                    "error": exc.to_json(),
                    "code": None,
                    "generator": None,
                    "template": None,
                    "params": {},
                    "unused": [],
                }
            )
        else:
            print(f"rejected: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print_json(
            {
                "status": "succeeded",
                "error": None,
                "code": generation.code,
                "generator": generation.generator,
                "template": generation.template,
                "params": generation.params,
                "notes": generation.notes,
                "unused": generation.unused,
            }
        )
    else:
        print(generation.code)
    return EXIT_OK


def cmd_templates(args: argparse.Namespace) -> int:
    from app.generators.offline import list_templates

    templates = list_templates()
    if args.json:
        print_json({"templates": [t.to_json() for t in templates]})
    else:
        for t in templates:
            params = ", ".join(f"{name}={value!r}" for name, value in t.params.items())
            print(f"{t.id:24} {t.subject:8} {t.title}")
            print(f'{"":33} e.g. "{t.example_prompt}"')
            print(f"{'':33} parameters: {params or 'none'}")
    return EXIT_OK


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
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="render even if the same code was rendered before, and do not store it",
    )


def narration_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--narrate",
        action="store_true",
        help="speak the scene's narrate() sentences, in step with it, with captions",
    )
    p.add_argument("--voice", default="", help="the voice (default: the engine's own)")
    p.add_argument("--language", default="en", help='language code, e.g. "en", "fr"')
    p.add_argument("--speed", type=float, default=1.0, help="speech speed (0.5 to 2.0)")
    p.add_argument(
        "--speech-engine",
        choices=ENGINE_NAMES,
        default="",
        help="piper (offline neural, English), espeak (many languages) or openai (endpoint)",
    )
    p.add_argument(
        "--burn-captions", action="store_true", help="draw the captions into the picture too"
    )


def narration_from(args: argparse.Namespace) -> NarrationOptions | None:
    """The narration a command asked for (None: silent); a bad option is a usage error."""
    if not args.narrate:
        if args.voice or args.burn_captions or args.speech_engine:
            raise UsageError("--voice, --speech-engine and --burn-captions need --narrate.")
        return None
    try:
        return NarrationOptions(
            enabled=True,
            engine=args.speech_engine,
            voice=args.voice,
            language=args.language,
            speed=args.speed,
            burn_captions=args.burn_captions,
        )
    except NarrationOptionError as exc:
        raise UsageError(str(exc)) from None


def add_parsers(sub: Any) -> None:
    render = sub.add_parser("render", help="render a prompt or a code file to MP4")
    render.add_argument("prompt", nargs="?", help="what the animation should show")
    render.add_argument("--code", metavar="FILE.py", help="render this Manim file instead")
    render_options(render)
    job_options(render)
    narration_options(render)
    render.set_defaults(func=cmd_render)

    fix = sub.add_parser(
        "fix", help="rewrite old Manim code (ManimGL, pre-0.18) for Manim Community, then render"
    )
    fix.add_argument("--code", metavar="FILE.py", required=True, help="the Manim file to fix")
    render_options(fix)
    fix.add_argument("--no-render", action="store_true", help="print the fixed code only")
    fix.add_argument(
        "--layout",
        action="store_true",
        help="fix what the layout check measures (off the frame, overlapping or tiny text) "
        "and print the code; nothing is rendered",
    )
    fix.add_argument("--json", action="store_true", help="print one JSON object")
    fix.set_defaults(func=cmd_fix)

    refine = sub.add_parser(
        "refine",
        help="change template-made code as an instruction says (offline), e.g. "
        '"make it faster" or "use 40 flips"',
    )
    refine.add_argument("instruction", help="what to change")
    refine.add_argument("--code", metavar="FILE.py", required=True, help="the code to change")
    refine.add_argument(
        "--render", action="store_true", help="render the new version (like chalk render)"
    )
    refine.add_argument("--quality", choices=QUALITIES, default="preview")
    refine.add_argument(
        "--aspect",
        choices=ASPECTS,
        default=None,
        help="the video's aspect now (an instruction may change it; default 16:9)",
    )
    refine.add_argument("--out", metavar="FILE.mp4", help="where to write the video")
    refine.add_argument("--no-cache", action="store_true", help="render even if cached")
    refine.add_argument(
        "--generator",
        choices=GENERATORS,
        default="auto",
        help="auto: offline for template code as the template made it, the AI model (when "
        "one is set up) for other code; llm: always the AI model",
    )
    refine.add_argument("--json", action="store_true", help="print one JSON object")
    refine.set_defaults(func=cmd_refine)

    generate = sub.add_parser("generate", help="write the Manim code for a prompt (no render)")
    generate.add_argument("prompt")
    generate.add_argument("--aspect", choices=ASPECTS, default="16:9")
    job_options(generate)
    generate.set_defaults(func=cmd_generate)

    templates = sub.add_parser("templates", help="list the offline templates")
    templates.add_argument("--json", action="store_true")
    templates.set_defaults(func=cmd_templates)
