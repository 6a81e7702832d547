"""The preloaded LaTeX format (app/core/tex_format.py): built once, read-only, rebuilt when what
it depends on changes, and left out cleanly where it cannot be built; in every sandbox mode a
formula typeset with it comes out exactly as with plain `latex`, and only Manim's default
preamble uses it.

(That a job cannot write it is the hostile corpus's tex05_poison_format, whose every run also
checks the shared format's bytes from outside.)
"""

from __future__ import annotations

import inspect
import logging
import re
import shutil
import stat
import subprocess
import tempfile
import textwrap
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops

from app.core import sandbox, sandbox_entry, tex_format, warm
from app.core.render import RenderResult, render_code
from app.settings import Settings


def drawing_digest(svg: bytes) -> str:
    """What an SVG from dvisvgm draws, whatever it names its glyphs: dvisvgm numbers and orders
    glyphs by the order it meets fonts, which differs with the format, between sandbox modes
    and from one machine to another, while the picture is the same. Each `<use>` is replaced
    by the path it draws. Standard library only: the scenes below run it inside the sandbox."""
    import hashlib
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    svg_ns, xlink = "{http://www.w3.org/2000/svg}", "{http://www.w3.org/1999/xlink}href"
    glyphs = {p.get("id"): p.get("d") for p in root.iter(svg_ns + "path") if p.get("id")}
    drawn: list[tuple[str | None, ...]] = [
        (root.get("width"), root.get("height"), root.get("viewBox"))
    ]
    for page in root.iter(svg_ns + "g"):
        for item in page:
            tag = item.tag.removeprefix(svg_ns)
            if tag == "use":
                glyph = glyphs[(item.get(xlink) or "").lstrip("#")]
                drawn.append((tag, item.get("x"), item.get("y"), glyph))
            else:
                drawn.append((tag, *sorted(f"{k}={v}" for k, v in item.attrib.items())))
    return hashlib.sha256(repr(drawn).encode()).hexdigest()


def show_drawing(svg_file: str | Path, name: str | None = None) -> None:
    """Print what `svg_file` draws as a `chalk-svg` line, under `name` (the file's by default).
    Run by the scenes below inside the sandbox; to stderr, as a warm job's stdout is
    block-buffered and its last block is never written."""
    import pathlib
    import sys

    svg = pathlib.Path(svg_file)
    print("chalk-svg", name or svg.name, drawing_digest(svg.read_bytes()), file=sys.stderr)


def scene_program(body: str) -> str:
    """A scene's program: `body` (its class) after Manim's import, drawing_digest and
    show_drawing, so that the scene prints what every formula's SVG draws."""
    helpers = "\n\n".join(inspect.getsource(f) for f in (drawing_digest, show_drawing))
    imports = "from __future__ import annotations\n\nimport os\nimport pathlib\nimport sys\n"
    return f"{imports}\nfrom manim import *\n\n{helpers}\n\n{textwrap.dedent(body)}"


SVG_SCENE = scene_program(r"""
    class Formulas(Scene):
        def construct(self):
            formula = MathTex(r"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}")
            words = Tex(r"Area $= \pi r^2$, with $\sum_{k=1}^{n} k$").next_to(formula, DOWN)
            for mob in (formula, words):
                show_drawing(mob.file_name)
            self.play(Write(formula), FadeIn(words), run_time=1)
""")
# Numbers typeset digit by digit: once a warm sandbox kept those glyphs, jobs start with them.
NUMBERS_SCENE = scene_program(r"""
    class Numbers(Scene):
        def construct(self):
            number = DecimalNumber(-3.5)
            line = NumberLine(x_range=[0, 2, 1], include_numbers=True).next_to(number, DOWN)
            for svg in sorted(pathlib.Path(config.get_dir("tex_dir")).glob("*.svg")):
                show_drawing(svg)
            self.play(FadeIn(number), Create(line), run_time=1)
""")

SVG_LINE = re.compile(r"^chalk-svg (\S+) ([0-9a-f]{64})$", re.M)

# Preambles of its own beside a default-preamble formula: one that LaTeX fails without (a
# command and a package of its own), one that only changes the look (sans-serif text).
OWN_PREAMBLE_SCENE = scene_program(r"""
    class OwnPreamble(Scene):
        def construct(self):
            own = TexTemplate()
            own.add_to_preamble(r"\usepackage{xcolor}\newcommand{\chalkvec}[1]{\vec{#1}}")
            sans = TexTemplate()
            sans.add_to_preamble(r"\renewcommand{\familydefault}{\sfdefault}")
            needs_own = MathTex(r"\chalkvec{v} = \textcolor{red}{2}", tex_template=own)
            in_sans = Tex("Chalk", tex_template=sans).next_to(needs_own, DOWN)
            in_serif = Tex("Chalk").next_to(in_sans, DOWN)
            for name, mob in (("sans", in_sans), ("serif", in_serif)):
                show_drawing(mob.file_name, name)
            self.play(Write(needs_own), FadeIn(in_sans), FadeIn(in_serif), run_time=1)
""")

# A formula LaTeX refuses (caught, as a scene may), then one it typesets.
REFUSED_SCENE = scene_program(r"""
    class Refused(Scene):
        def construct(self):
            try:
                MathTex(r"x = \chalknosuchcommand")
            except ValueError as exc:
                print("chalk-refused", exc)
            self.play(Write(MathTex("x^2")), run_time=1)
""")

# Formulas whose files need no PostScript (plain, coloured, split into parts) beside one that
# draws with it (\rotatebox: graphicx writes a `ps:` rotation for dvips).
POSTSCRIPT_SCENE = scene_program(r"""
    class Drawn(Scene):
        def construct(self):
            own = TexTemplate()
            own.add_to_preamble(r"\usepackage{graphicx}\usepackage{xcolor}")
            parts = {
                "plain": MathTex(r"\int_0^1 x^2\,dx = \tfrac{1}{3}"),
                "parts": MathTex("a^2", "+", "b^2").set_color_by_tex("b^2", RED),
                "colour": Tex(r"\textcolor{red}{red} and $x$", tex_template=own),
                "rotated": Tex(r"\rotatebox{90}{upward}", tex_template=own),
            }
            for name, mob in parts.items():
                show_drawing(mob.file_name, name)
            rotated = parts["rotated"]
            print("chalk-rotated", rotated.height > 2 * rotated.width, file=sys.stderr)
            hidden = not os.listdir("/usr/share/ghostscript")  # where dvisvgm looks by default
            print("chalk-ghostscript-hidden", hidden, file=sys.stderr)
            self.play(FadeIn(VGroup(*parts.values()).arrange(DOWN)), run_time=0.5)
""")


@pytest.fixture(autouse=True)
def _fresh_tex_format() -> Iterator[None]:
    """What a test here does to the process's memory of the format does not leak out."""
    tex_format.forget()
    yield
    tex_format.forget()


def record_done(monkeypatch: pytest.MonkeyPatch, field: str) -> list[dict[str, Any]]:
    """For every sandbox run from now on: `field` of the job's `done` message."""
    seen: list[dict[str, Any]] = []
    real_run = sandbox.run

    def recording_run(work: Path, **kwargs: Any) -> sandbox.Outcome:
        outcome = real_run(work, **kwargs)
        done = [m for m in outcome.messages if m.get("event") == "done"]
        seen.append(dict(done[-1].get(field) or {}) if done else {})
        return outcome

    monkeypatch.setattr(sandbox, "run", recording_run)
    return seen


@pytest.fixture
def tex_counts(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """For every sandbox run: the formulas the entry typeset with the format and without."""
    return record_done(monkeypatch, "tex")


@pytest.fixture
def svg_counts(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """For every sandbox run: the formulas dvisvgm converted without Ghostscript and with it."""
    return record_done(monkeypatch, "svg")


@pytest.fixture
def process_data_dir() -> Iterator[Path]:
    """A data dir for process mode: the job's uid reaches it by host paths, so it must be
    searchable by other users (pytest's tmp_path is not)."""
    folder = Path(tempfile.mkdtemp(prefix="chalk-texfmt-process-", dir="/var/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def svgs(result: RenderResult) -> dict[str, str]:
    return dict(SVG_LINE.findall(result.log_tail))


def same_pixels(a: Path, b: Path) -> bool:
    with Image.open(a) as first, Image.open(b) as second:
        return ImageChops.difference(first.convert("RGB"), second.convert("RGB")).getbbox() is None


# --------------------------------------------------------------------------- building it


def test_the_format_is_built_once_read_only_and_nothing_else_is_left(tmp_path: Path) -> None:
    built = tex_format.ensure(tmp_path / "data")
    assert built is not None
    assert built.folder.parent == tmp_path / "data" / tex_format.FOLDER
    assert stat.S_IMODE(built.file.stat().st_mode) == 0o444
    assert stat.S_IMODE(built.folder.stat().st_mode) == 0o755
    assert list(built.folder.iterdir()) == [built.file]  # no log, no sources
    assert list(built.folder.parent.iterdir()) == [built.folder]  # no scratch folder
    before = built.file.stat()
    tex_format.forget()  # as a new process would: the one on disk is used as it is
    again = tex_format.ensure(tmp_path / "data")
    assert again == built
    assert (again.file.stat().st_ino, again.file.stat().st_mtime_ns) == (
        before.st_ino,
        before.st_mtime_ns,
    )
    other = tex_format.ensure(tmp_path / "other")  # another data dir: linked, not dumped
    assert other is not None and other.folder.name == built.folder.name
    assert other.file.stat().st_ino == built.file.stat().st_ino


def test_only_glyphs_with_manims_names_and_a_bounded_size_are_kept_and_the_first_stay(
    tmp_path: Path,
) -> None:
    built = tex_format.ensure(tmp_path / "data")
    assert built is not None and not built.glyphs.exists()
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1v1z"/></svg>'
    sent = {
        "0123456789abcdef.svg": svg,
        "../../escaped00000.svg": svg,
        "0123456789abcdef.svg/../x.svg": svg,
        "fedcba9876543210.svg": "x" * (tex_format.MAX_GLYPH_BYTES + 1),
        "aaaaaaaaaaaaaaaa.svg": 7,
    }
    assert tex_format.keep_glyphs(built, sent) == 1
    assert [g.name for g in built.glyphs.iterdir()] == ["0123456789abcdef.svg"]
    assert (built.glyphs / "0123456789abcdef.svg").read_text() == svg
    assert stat.S_IMODE(built.glyphs.stat().st_mode) == 0o755
    assert stat.S_IMODE((built.glyphs / "0123456789abcdef.svg").stat().st_mode) == 0o444
    assert sorted(p.name for p in built.folder.iterdir()) == [built.file.name, "glyphs"]
    assert not list((tmp_path / "data").rglob("escaped*"))
    # A second sandbox's glyphs do not replace the first's; nothing of them is left behind.
    assert tex_format.keep_glyphs(built, {"1111111111111111.svg": svg}) == 0
    assert [g.name for g in built.glyphs.iterdir()] == ["0123456789abcdef.svg"]
    assert sorted(p.name for p in built.folder.iterdir()) == [built.file.name, "glyphs"]
    assert tex_format.keep_glyphs(built, "not a dict") == 0
    # Another data dir of this process links the format and its glyphs, read-only as well.
    other = tex_format.ensure(tmp_path / "other")
    assert other is not None
    linked = other.glyphs / "0123456789abcdef.svg"
    assert linked.stat().st_ino == (built.glyphs / "0123456789abcdef.svg").stat().st_ino
    assert stat.S_IMODE(linked.stat().st_mode) == 0o444


def test_the_format_stands_for_manims_default_preamble() -> None:
    from manim.utils.tex import TexTemplate

    body = TexTemplate().body
    assert tex_format.default_preamble() == body[: body.index(r"\begin{document}")]


def test_threads_read_the_preamble_at_once() -> None:
    """The selftest's canaries start their sandboxes from several threads at once; loading
    Manim's tex module raced (KeyError) before it took a lock."""
    barrier = threading.Barrier(8)

    def read() -> str:
        barrier.wait()
        return tex_format.default_preamble()

    for _ in range(5):
        with ThreadPoolExecutor(max_workers=8) as pool:
            preambles = list(pool.map(lambda _: read(), range(8)))
        assert len(set(preambles)) == 1


def test_a_changed_key_builds_a_new_format_beside_the_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tex_format.ensure(tmp_path)
    assert first is not None
    preamble = tex_format.default_preamble()
    monkeypatch.setattr(tex_format, "default_preamble", lambda: preamble + "\\usepackage{xcolor}\n")
    tex_format.forget()
    second = tex_format.ensure(tmp_path)
    assert second is not None and second.folder != first.folder
    assert second.preamble.endswith("\\usepackage{xcolor}\n")
    assert first.file.is_file() and second.file.is_file()
    assert second.file.read_bytes() != first.file.read_bytes()


def test_a_failed_build_is_said_once_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(tex_format, "ETEX", "chalk-no-such-etex")
    with caplog.at_level(logging.WARNING, logger="app.core.tex_format"):
        assert tex_format.ensure(tmp_path) is None
        assert tex_format.ensure(tmp_path) is None
    said = [r for r in caplog.records if "no preloaded LaTeX format" in r.getMessage()]
    assert len(said) == 1
    assert list((tmp_path / tex_format.FOLDER).iterdir()) == []


def test_formulas_typeset_with_the_format_give_the_same_svg(tmp_path: Path) -> None:
    """The claim the whole feature rests on, checked on the host with Manim's own templates."""
    from manim.utils.tex import TexTemplate

    built = tex_format.ensure(tmp_path / "data")
    assert built is not None
    template = TexTemplate()
    sources = {
        "mathtex": template.get_texcode_for_expression_in_env(
            r"\int_0^1 x^2\,dx = \frac{1}{3}", "align*"
        ),
        "tex": template.get_texcode_for_expression_in_env(r"Area $= \pi r^2$", "center"),
    }
    for name, source in sources.items():
        outputs = []
        for way, extra in (("plain", []), ("format", [f"-fmt={built.file}"])):
            folder = tmp_path / f"{name}-{way}"
            folder.mkdir()
            (folder / "f.tex").write_text(source)
            latex = ["latex", *extra, "-interaction=batchmode", "-halt-on-error", "f.tex"]
            subprocess.run(latex, cwd=folder, check=True, capture_output=True)
            dvisvgm = ["dvisvgm", "--page=1", "--no-fonts", "--verbosity=0", "f.dvi"]
            subprocess.run(dvisvgm, cwd=folder, check=True, capture_output=True)
            outputs.append(drawing_digest((folder / "f.svg").read_bytes()))
        assert outputs[0] == outputs[1], name


# --------------------------------------------------------------------------- in the sandbox


@pytest.fixture(scope="module")
def plain_reference(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], RenderResult]]:
    """SVG_SCENE rendered cold with no format at all (plain `latex`, as before the format), under
    bubblewrap or in process mode. dvisvgm orders an SVG's glyphs differently in the two (with
    or without the format), so each mode is compared with its own."""
    made: dict[str, RenderResult] = {}
    folders: list[Path] = []

    def reference(sandbox_mode: str) -> RenderResult:
        if sandbox_mode not in made:
            folder = Path(tempfile.mkdtemp(prefix="chalk-plain-latex-", dir="/var/tmp"))
            folder.chmod(0o755)  # process mode: the job's uid reaches it by host paths
            folders.append(folder)
            settings = Settings(data_dir=folder, warm_pool=False, sandbox_mode=sandbox_mode)
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(tex_format, "ensure", lambda data_dir: None)
                made[sandbox_mode] = render_code(
                    SVG_SCENE, check_policy=False, out=folder / "plain.mp4", settings=settings
                )
        return made[sandbox_mode]

    yield reference
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.render
@pytest.mark.parametrize("mode", ["cold", "warm", "process"])
def test_formulas_use_the_format_and_render_as_plain_latex_in_every_mode(
    mode: str,
    settings: Settings,
    request: pytest.FixtureRequest,
    plain_reference: Callable[[str], RenderResult],
    tex_counts: list[dict[str, Any]],
    tmp_path: Path,
) -> None:
    if mode == "warm":
        settings = request.getfixturevalue("warm_settings")
    elif mode == "process":
        data_dir = request.getfixturevalue("process_data_dir")
        settings = settings.model_copy(update={"data_dir": data_dir, "sandbox_mode": "process"})
    else:
        settings = settings.model_copy(update={"warm_pool": False})
    result = render_code(SVG_SCENE, check_policy=False, out=tmp_path / "v.mp4", settings=settings)
    assert ("warm-fork" in result.sandbox_layers) == (mode == "warm")
    assert ("bwrap" in result.sandbox_layers) == (mode != "process")
    assert tex_counts == [{"format": 2, "plain": 0}]
    plain = plain_reference("process" if mode == "process" else "bwrap")
    assert len(svgs(result)) == 2
    assert svgs(result) == svgs(plain)
    assert same_pixels(result.thumbnail, plain.thumbnail)
    assert result.frames == plain.frames


@pytest.mark.render
def test_the_first_warm_sandbox_keeps_its_glyphs_and_later_sandboxes_start_with_them(
    settings: Settings, tex_counts: list[dict[str, Any]], tmp_path: Path
) -> None:
    """The first warm sandbox with a format typesets the digits before it serves a job, and
    they are kept read-only beside the format: the next one with it reads them instead of
    running LaTeX 14 times (about 0.9 s of CPU), and its jobs, and cold jobs under bubblewrap,
    start with them, drawn exactly as a job that typesets them itself draws them."""
    preloaded = tex_format.ensure(settings.data_dir)  # forgotten before each test: a new one
    assert preloaded is not None and not preloaded.glyphs.exists()
    cold_settings = settings.model_copy(update={"warm_pool": False})
    typesets = render_code(  # before any warm sandbox: this cold job typesets its own
        NUMBERS_SCENE, check_policy=False, out=tmp_path / "t.mp4", settings=cold_settings
    )
    first = warm.Zygote(settings.work_root, preloaded)
    first.close()
    assert first.typeset_glyphs == len(sandbox_entry.GLYPHS)
    kept = sorted(preloaded.glyphs.iterdir())
    assert len(kept) == first.typeset_glyphs
    assert {stat.S_IMODE(glyph.stat().st_mode) for glyph in kept} == {0o444}
    second = warm.Zygote(settings.work_root, preloaded)
    second.close()
    assert second.typeset_glyphs == 0
    assert sorted(preloaded.glyphs.iterdir()) == kept

    assert warm.prewarm(settings) == 1  # a third, as a worker starts it, for the job below
    warm_job = render_code(
        NUMBERS_SCENE, check_policy=False, out=tmp_path / "w.mp4", settings=settings
    )
    cold_job = render_code(
        NUMBERS_SCENE, check_policy=False, out=tmp_path / "c.mp4", settings=cold_settings
    )
    assert "warm-fork" in warm_job.sandbox_layers and "warm-fork" not in cold_job.sandbox_layers
    # "-", "3", ".", "5" and "0", "1", "2": typeset by the first job only.
    assert tex_counts == [{"format": 7, "plain": 0}] + [{"format": 0, "plain": 0}] * 2
    assert len(svgs(typesets)) == 7
    assert svgs(typesets).items() <= svgs(warm_job).items()
    assert svgs(typesets).items() <= svgs(cold_job).items()
    assert same_pixels(typesets.thumbnail, warm_job.thumbnail)
    assert same_pixels(typesets.thumbnail, cold_job.thumbnail)


@pytest.mark.render
def test_a_scene_with_its_own_preamble_gets_plain_latex(
    settings: Settings, tex_counts: list[dict[str, Any]], tmp_path: Path
) -> None:
    """The format skips a .tex file's preamble: with it, a preamble of the scene's own would be
    lost (LaTeX fails, or the text silently looks different). Only the default-preamble formula
    may use it."""
    result = render_code(
        OWN_PREAMBLE_SCENE, check_policy=False, out=tmp_path / "v.mp4", settings=settings
    )
    assert tex_counts == [{"format": 1, "plain": 2}]
    looks = dict(re.findall(r"^chalk-svg (sans|serif) ([0-9a-f]{64})$", result.log_tail, re.M))
    assert looks.keys() == {"sans", "serif"} and looks["sans"] != looks["serif"]


@pytest.mark.render
def test_a_formula_refused_after_the_format_loaded_is_reported_as_manim_does_in_one_run(
    settings: Settings, tex_counts: list[dict[str, Any]], tmp_path: Path
) -> None:
    """The format is this very preamble, so a formula that fails with it fails plain too: its
    error is read from the format run's log and raised in Manim's words, with no second run."""
    result = render_code(
        REFUSED_SCENE, check_policy=False, out=tmp_path / "v.mp4", settings=settings
    )
    assert tex_counts == [{"format": 1, "plain": 0}]
    # Manim's own report of the log's error (Rich folds it around the logger's columns).
    reported = r"LaTeX compilation error:.{0,200}?Undefined\s+control\s+sequence"
    assert re.search(reported, result.log_tail, re.S), result.log_tail
    refused = re.search(r"^chalk-refused (.*)$", result.log_tail, re.M)
    assert refused, result.log_tail
    assert re.fullmatch(
        r"latex error converting to dvi\. See log output above or the log file: \S+\.log",
        refused.group(1),
    ), refused.group(1)


@pytest.mark.render
def test_formulas_render_where_no_format_can_be_built(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tex_counts: list[dict[str, Any]],
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(tex_format, "ETEX", "chalk-no-such-etex")
    result = render_code(SVG_SCENE, check_policy=False, out=tmp_path / "v.mp4", settings=settings)
    assert tex_counts == [{"format": 0, "plain": 2}]
    assert len(svgs(result)) == 2


@pytest.mark.render
def test_a_format_that_does_not_load_falls_back_to_plain_latex(
    settings: Settings,
    plain_reference: Callable[[str], RenderResult],
    tex_counts: list[dict[str, Any]],
    tmp_path: Path,
) -> None:
    """Whatever is wrong with the format on disk, formulas still come out right."""
    built = tex_format.ensure(settings.data_dir)
    assert built is not None
    built.file.unlink()  # not written in place: other data dirs may hold the same file
    built.file.write_bytes(b"not a format" * 1000)
    result = render_code(SVG_SCENE, check_policy=False, out=tmp_path / "v.mp4", settings=settings)
    assert tex_counts == [{"format": 0, "plain": 2}]
    assert svgs(result) == svgs(plain_reference("bwrap"))


@pytest.mark.render
def test_formulas_without_postscript_skip_ghostscript_and_are_drawn_as_with_it(
    settings: Settings,
    request: pytest.FixtureRequest,
    svg_counts: list[dict[str, Any]],
    tmp_path: Path,
) -> None:
    """Under bubblewrap (cold and warm) dvisvgm converts the formulas that draw no PostScript
    without starting Ghostscript, and the rotated one with it; every drawing is the one process
    mode makes, where Ghostscript is where it always was and runs for every formula."""
    process = settings.model_copy(
        update={"data_dir": request.getfixturevalue("process_data_dir"), "sandbox_mode": "process"}
    )
    warm = request.getfixturevalue("warm_settings")
    cold = settings.model_copy(update={"warm_pool": False})
    drawn = {}
    for name, mode in (("process", process), ("warm", warm), ("cold", cold)):
        result = render_code(
            POSTSCRIPT_SCENE, check_policy=False, out=tmp_path / f"{name}.mp4", settings=mode
        )
        assert ("bwrap" in result.sandbox_layers) == (name != "process")
        assert "chalk-rotated True" in result.log_tail, result.log_tail  # turned upright
        hidden = f"chalk-ghostscript-hidden {name != 'process'}"
        assert hidden in result.log_tail, result.log_tail
        drawn[name] = svgs(result)
    assert sorted(drawn["process"]) == ["colour", "parts", "plain", "rotated"]
    assert drawn["warm"] == drawn["process"] == drawn["cold"]
    moved = {"without_ghostscript": 3, "with_ghostscript": 1}
    assert svg_counts == [{"without_ghostscript": 0, "with_ghostscript": 0}, moved, moved]
