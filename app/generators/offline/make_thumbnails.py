"""Render each template's default at preview and save its last frame as the catalogue thumbnail.

    python -m app.generators.offline.make_thumbnails [TEMPLATE_ID ...]

Renders go through the normal sandboxed render path into a throwaway data directory; each
thumbnail is scaled to 320×180 and stored as a small palette PNG in thumbnails/<id>.png.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PIL import Image

from app.core.render import render_code
from app.generators.offline import render_template
from app.generators.offline.catalogue import THUMBNAILS, registry
from app.settings import Settings

SIZE = (320, 180)
COLOURS = 96  # palette size: keeps each PNG well under 40 KB


def make_thumbnail(template_id: str, work: Path, settings: Settings) -> tuple[Path, float]:
    """Render the default, save the thumbnail; returns its path and the video's length."""
    code = render_template(template_id).code
    result = render_code(
        code, quality="preview", out=work / f"{template_id}.mp4", settings=settings
    )
    target = THUMBNAILS / f"{template_id}.png"
    with Image.open(result.thumbnail) as frame:
        small = frame.convert("RGB").resize(SIZE, Image.Resampling.LANCZOS)
    small.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    return target, result.duration_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("templates", nargs="*", help="template ids (default: all)")
    args = parser.parse_args(argv)
    catalogue = registry()
    unknown = [t for t in args.templates if t not in catalogue]
    if unknown:
        parser.error(f"unknown template(s): {', '.join(unknown)}")
    THUMBNAILS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = Settings(data_dir=work / "data")
        for template_id in args.templates or list(catalogue):
            target, seconds = make_thumbnail(template_id, work, settings)
            size = target.stat().st_size // 1024
            print(f"{template_id}: {size} KB thumbnail, {seconds:.1f} s video", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
