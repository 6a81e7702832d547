"""Failures end with the right kind and one sentence a teacher can act on; detail is kept."""

from __future__ import annotations

import os
import threading
import time

import pytest

from app.core import output
from app.core.render import render_code
from app.errors import ChalkError
from app.settings import Settings

HEADER = "from manim import *\n\nclass S(Scene):\n    def construct(self):\n"


def scene(*lines: str) -> str:
    return HEADER + "".join(f"        {line}\n" for line in lines)


def failure(code: str, settings: Settings, tmp_path, **kwargs) -> ChalkError:
    with pytest.raises(ChalkError) as err:
        render_code(code, out=tmp_path / "v.mp4", settings=settings, **kwargs)
    message = err.value.message
    assert message.endswith(".") and "\n" not in message and "Traceback" not in message
    assert not (tmp_path / "v.mp4").exists()
    return err.value


@pytest.mark.render
def test_runtime_error_names_the_line_and_keeps_the_traceback(warm_settings, tmp_path):
    err = failure(scene("c = Zqxwv()", "self.play(Create(c))"), warm_settings, tmp_path)
    assert err.kind == "render"
    assert err.line == 5
    assert err.message.startswith("Line 5 failed with NameError")
    assert "Zqxwv" in err.message
    assert 'File "/job/scene.py", line 5' in err.detail


# The common mistakes get their likely fix instead (app/core/code_hints.py); the sandbox
# finds the close name among the ~2000 that `from manim import *` brings.
@pytest.mark.render
@pytest.mark.parametrize(
    ("lines", "said"),
    [
        (
            ("c = Cirlce()", "self.play(Create(c))"),
            "Line 5: 'Cirlce' is not a name Manim or your code knows; perhaps you meant 'Circle'.",
        ),
        (
            ("c = Circle()", "c.move_too(UP)", "self.play(Create(c))"),
            "Line 6: 'move_too' is not a name Manim or your code knows; perhaps you meant "
            "'move_to'.",
        ),
        (
            ("x = 3", "y = x^2 + 0.5", "self.wait(y)"),
            "Line 6: use ** for powers in Python: write x**2, not x^2.",
        ),
        (
            ("x = 3", "y = 2(x + 1)", "self.wait(y)"),
            "Line 6: write 2*( … ) to multiply: Python needs the * before a bracket.",
        ),
    ],
)
def test_common_mistakes_get_their_fix(lines, said, warm_settings, tmp_path):
    err = failure(scene(*lines), warm_settings, tmp_path)
    assert err.message == said
    assert "Traceback" in err.detail  # the technical detail stays one click away


@pytest.mark.render
def test_latex_error_is_explained(warm_settings, tmp_path):
    err = failure(
        scene(r"f = MathTex(r'\frac{1}{2} \notacommand')", "self.play(Write(f))"),
        warm_settings,
        tmp_path,
    )
    assert err.kind == "render"
    assert err.message == "Line 5: LaTeX does not know \\notacommand; check its spelling."
    assert err.line == 5


@pytest.mark.render
def test_huge_wait_is_refused_quickly(warm_settings, tmp_path):
    started = time.monotonic()
    err = failure(scene("self.play(FadeIn(Square()))", "self.wait(10**9)"), warm_settings, tmp_path)
    assert time.monotonic() - started < 20
    assert "limit" in err.message and "wait" in err.message


@pytest.mark.render
def test_endless_loop_times_out(tmp_path):
    settings = Settings(
        data_dir=tmp_path / "data",
        quality_presets={"preview": {"width": 854, "height": 480, "fps": 15, "timeout_s": 4}},
    )
    started = time.monotonic()
    err = failure(scene("while True:", "    pass"), settings, tmp_path)
    assert err.kind == "timeout"
    assert time.monotonic() - started < 10
    assert "longer than 4 s" in err.message


@pytest.mark.render
def test_scene_without_animation_is_explained(warm_settings, tmp_path):
    err = failure(scene("self.add(Square())"), warm_settings, tmp_path)
    assert err.kind == "render"
    assert "did not play any animation" in err.message


@pytest.mark.render
def test_cancel_stops_a_running_render(settings, tmp_path):
    cancel = threading.Event()
    threading.Timer(1.5, cancel.set).start()
    started = time.monotonic()
    err = failure(scene("while True:", "    pass"), settings, tmp_path, cancel=cancel)
    assert err.kind == "cancelled"
    assert time.monotonic() - started < 8


def test_policy_refusal_happens_before_anything_runs(settings, tmp_path):
    err = failure(scene("import os", "self.wait()"), settings, tmp_path)
    assert err.kind == "validation"
    assert not settings.work_root.exists() or list(settings.work_root.iterdir()) == []


# --- output gate -------------------------------------------------------------------------


def test_gate_refuses_a_symlink_to_a_host_file(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "video.mp4").symlink_to("/etc/passwd")
    with pytest.raises(ChalkError) as err:
        output.copy_out(tmp_path, "out/video.mp4", tmp_path / "copy.mp4", 1 << 20)
    assert err.value.kind == "render"
    assert not (tmp_path / "copy.mp4").exists()


def test_gate_refuses_a_symlinked_output_directory(tmp_path):
    """A scene that swaps out/ for a link to a host folder must not get host files served."""
    host = tmp_path / "host"
    host.mkdir()
    (host / "video.mp4").write_bytes(b"host secret")
    work = tmp_path / "work"
    work.mkdir()
    (work / "out").symlink_to(host)
    with pytest.raises(ChalkError):
        output.copy_out(work, "out/video.mp4", tmp_path / "copy.mp4", 1 << 20)
    assert not (tmp_path / "copy.mp4").exists()


def test_gate_refuses_a_fifo_a_directory_and_a_hard_link(tmp_path):
    (tmp_path / "out").mkdir()
    os.mkfifo(tmp_path / "out" / "fifo.mp4")
    with pytest.raises(ChalkError) as err:
        output.copy_out(tmp_path, "out/fifo.mp4", tmp_path / "copy.mp4", 1 << 20)
    assert err.value.kind == "sandbox"
    (tmp_path / "out" / "dir.mp4").mkdir()
    with pytest.raises(ChalkError):
        output.copy_out(tmp_path, "out/dir.mp4", tmp_path / "copy2.mp4", 1 << 20)
    (tmp_path / "elsewhere").write_bytes(b"x")
    os.link(tmp_path / "elsewhere", tmp_path / "out" / "linked.mp4")
    with pytest.raises(ChalkError) as err:
        output.copy_out(tmp_path, "out/linked.mp4", tmp_path / "copy3.mp4", 1 << 20)
    assert err.value.kind == "sandbox"


def test_gate_refuses_oversized_and_non_video_files(tmp_path):
    big = tmp_path / "big.mp4"
    big.write_bytes(b"\0" * 4096)
    with pytest.raises(ChalkError) as err:
        output.copy_out(tmp_path, "big.mp4", tmp_path / "copy.mp4", 1024)
    assert "larger than" in err.value.message
    with pytest.raises(ChalkError) as err:
        output.probe_video(big)
    assert "not a playable video" in err.value.message
    fake_png = tmp_path / "t.png"
    fake_png.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(ChalkError):
        output.check_thumbnail(fake_png)
