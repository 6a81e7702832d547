"""The code editor (streamlit-code-editor), served without its one outside request.

The component's two themes begin their CSS with `@import url('https://fonts.googleapis.com/
...Source+Code+Pro...')`: every page with an editor would make the teacher's browser ask
Google for a font, which schools' privacy rules and offline classrooms both forbid. This
module serves a copy of the component's frontend with that import removed (the editor then
uses the browser's own monospace font) and points the library's editor at it.

Streamlit serves a component's files only from inside its folder (symlinks are resolved and
refused), so the copy is a real one: about 15 MB, made once per installed version.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

import code_editor as library
import streamlit.components.v1 as components

OUTSIDE_FONT = re.compile(rb"@import url\('https://fonts\.googleapis\.com/[^']*'\);")
"""The themes' font import, as the built bundle spells it."""


def local_frontend(cache_dir: Path) -> Path:
    """The component's frontend with no outside font import, under `cache_dir`."""
    target = cache_dir / f"code_editor-{metadata.version('streamlit-code-editor')}"
    if target.is_dir():
        return target
    source = Path(library.__file__).parent / "frontend" / "build"
    cache_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".code_editor-", dir=cache_dir))
    try:
        shutil.copytree(source, scratch, dirs_exist_ok=True)
        for path in scratch.rglob("*.js"):
            data = path.read_bytes()
            if b"fonts.googleapis.com" in data:
                path.write_bytes(OUTSIDE_FONT.sub(b"", data))
        scratch.rename(target)  # another process may have got there first: keep theirs
    except OSError:
        if not target.is_dir():
            raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def use_local_frontend(cache_dir: Path) -> None:
    """Make `code_editor.code_editor` draw the local copy (once per process is enough)."""
    if getattr(library, "_chalk_local", False):
        return
    library._component_func = components.declare_component(
        "code_editor", path=str(local_frontend(cache_dir))
    )
    library._chalk_local = True
