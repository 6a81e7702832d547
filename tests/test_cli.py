"""The `chalk` CLI contract: one JSON object on stdout, exit codes 0/1/2."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.generators.offline import render_template
from app.generators.offline.catalogue import TEMPLATE_MODULES
from tests.conftest import SCENES
from tests.helpers import with_tex_format

CONTRACT_KEYS = {
    "status",
    "error",
    "video",
    "thumbnail",
    "code",
    "generator",
    "template",
    "params",
    "attempts",
    "cache_hit",
    "timings",
    "layout_warnings",
    "unused",
    "description",
    "description_timeline",
}


def chalk(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHALK_DATA_DIR": str(with_tex_format(data_dir))}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def one_json(stdout: str) -> dict:
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) == 1, stdout
    return json.loads(lines[0])


@pytest.mark.render
def test_render_code_json_success(tmp_path):
    out = tmp_path / "lesson.mp4"
    proc = chalk(
        "render",
        "--code",
        str(SCENES / "axes_scene.py"),
        "--quality",
        "standard",
        "--aspect",
        "1:1",
        "--out",
        str(out),
        "--json",
        data_dir=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    data = one_json(proc.stdout)
    assert data.keys() >= CONTRACT_KEYS
    assert data["status"] == "succeeded" and data["error"] is None
    assert data["video"] == str(out) and out.exists()
    assert Path(data["thumbnail"]).exists()
    assert data["video_info"]["width"] == data["video_info"]["height"] == 720
    assert data["timings"]["render_s"] > 0
    assert data["timings"]["total_s"] >= data["timings"]["render_s"]
    assert data["code"] == (SCENES / "axes_scene.py").read_text()
    assert data["attempts"] == 1 and data["layout_warnings"] == []
    # Not a template: described from what the sandbox saw, with the formula as shown.
    assert data["description_timeline"] == [
        {"t": 0.0, "text": "Appears: axes."},
        {"t": 0.5, "text": "Appears: “x²” and a curve."},
    ]
    assert data["description"].startswith("A 2-second animation.")
    # The text alternative travels with the video.
    assert "0:00  Appears: axes." in out.with_suffix(".txt").read_text()
    assert out.with_suffix(".vtt").read_text().startswith("WEBVTT")


@pytest.mark.render
def test_render_without_json_prints_the_video_path(tmp_path):
    out = tmp_path / "v.mp4"
    proc = chalk(
        "render", "--code", str(SCENES / "text_scene.py"), "--out", str(out), data_dir=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)


def test_rejected_code_exits_1_with_validation_error(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from manim import *\nimport os\nclass S(Scene):\n    def construct(self):\n"
        "        self.wait()\n"
    )
    proc = chalk("render", "--code", str(bad), "--json", data_dir=tmp_path)
    assert proc.returncode == 1
    data = one_json(proc.stdout)
    assert data["status"] == "rejected"
    assert data["error"]["kind"] == "validation"
    assert data["error"]["message"].startswith("Line 2:")
    assert data.keys() >= CONTRACT_KEYS


@pytest.mark.parametrize(
    "args",
    [
        ["render"],
        ["render", "--code", "/nonexistent/scene.py"],
        ["render", "a prompt", "--code", "x.py"],
        ["render", "--code", "x.py", "--quality", "ultra"],
        ["render", "--code", "x.py", "--aspect", "4:3"],
        ["nosuchcommand"],
    ],
)
def test_usage_errors_exit_2(args, tmp_path):
    (tmp_path / "x.py").write_text("")
    proc = chalk(*[a.replace("x.py", str(tmp_path / "x.py")) for a in args], data_dir=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""


def test_out_must_be_mp4(tmp_path):
    proc = chalk(
        "render",
        "--code",
        str(SCENES / "text_scene.py"),
        "--out",
        str(tmp_path / "v.gif"),
        data_dir=tmp_path,
    )
    assert proc.returncode == 2
    assert ".mp4" in proc.stderr


@pytest.mark.render
def test_selftest_json_reports_layers_and_canaries(tmp_path):
    proc = chalk("selftest", "--json", data_dir=tmp_path)
    data = one_json(proc.stdout)
    assert proc.returncode == 0, data
    assert data["ok"] is True
    assert {"bwrap", "no-network", "per-job-uid", "rlimits"} <= set(data["layers"])
    names = {c["name"] for c in data["canaries"]}
    assert {
        "renders",
        "no-host-write",
        "no-network",
        "no-secrets",
        "no-survivors",
        "hard-limits",
    } == names


def test_templates_lists_the_catalogue(tmp_path):
    proc = chalk("templates", "--json", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    templates = one_json(proc.stdout)["templates"]
    assert [t["id"] for t in templates] == TEMPLATE_MODULES
    first = templates[0]
    assert {"id", "title", "subject", "example_prompt", "params", "thumbnail"} <= first.keys()
    assert all(Path(t["thumbnail"]).exists() for t in templates)
    text = chalk("templates", data_dir=tmp_path).stdout
    assert "riemann_sum" in text and "parameters: expression=" in text


def test_generate_offline_json_and_out_of_scope(tmp_path):
    proc = chalk(
        "generate", "bubble sort 5, 1, 4, 2", "--generator", "offline", "--json", data_dir=tmp_path
    )
    data = one_json(proc.stdout)
    assert proc.returncode == 0
    assert data["generator"] == "offline:sorting_algorithm"
    assert data["params"]["values"] == [5, 1, 4, 2]
    assert "class " in data["code"]
    assert data["unused"] == []
    proc = chalk(
        "generate",
        "Plot y = x^2 - 4x + 3 from -1 to 5 and show the axis of symmetry",
        "--generator",
        "offline",
        "--json",
        data_dir=tmp_path,
    )
    data = one_json(proc.stdout)
    assert (proc.returncode, data["template"]) == (0, "function_graph")
    assert data["unused"] == ["the axis of symmetry"]
    proc = chalk(
        "generate", "Explain the causes of the French Revolution", "--json", data_dir=tmp_path
    )
    data = one_json(proc.stdout)
    assert proc.returncode == 1
    assert data["error"]["kind"] == "no_template"
    assert data["unused"] == []
    assert len(data["error"]["suggestions"]) == 3


@pytest.mark.render
def test_render_prompt_with_templates(tmp_path):
    out = tmp_path / "demo.mp4"
    proc = chalk(
        "render",
        "show how the derivative is the slope of the tangent line and where the curve is concave",
        "--generator",
        "offline",
        "--out",
        str(out),
        "--json",
        data_dir=tmp_path,
    )
    data = one_json(proc.stdout)
    assert proc.returncode == 0, data
    assert data["generator"] == "offline:derivative_tangent"
    assert data["params"]["expression"] == "x**2"
    assert data["unused"] == ["concave"]  # the template draws no concavity
    assert out.exists() and 5 <= data["video_info"]["duration_s"] <= 20
    # A template's video is described by the template, from its parameters.
    assert data["description"] == " ".join(render_template("derivative_tangent").description)
    assert data["description_timeline"][0]["t"] == 0.0


def test_refine_json_changes_template_code_offline(tmp_path):
    source = tmp_path / "projectile.py"
    source.write_text(render_template("projectile_motion").code)
    proc = chalk("refine", "--code", str(source), "double the speed", "--json", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = one_json(proc.stdout)
    assert data["status"] == "changed" and data["error"] is None
    assert len(data["changes"]) == 1 and re.search(r"\b20\b.* → .*\b40\b", data["changes"][0])
    assert data["template"] == "projectile_motion"
    assert data["params"] == {"speed": 40.0, "angle_deg": 45.0}
    assert data["code"] == render_template("projectile_motion", {"speed": 40}).code
    # Without --json: the new code on stdout, the changes on stderr.
    proc = chalk("refine", "--code", str(source), "portrait", data_dir=tmp_path)
    assert proc.returncode == 0 and proc.stdout == source.read_text()
    assert "aspect: portrait (9:16)" in proc.stderr


def test_refine_refusal_exits_1_with_one_sentence(tmp_path):
    source = tmp_path / "projectile.py"
    source.write_text(render_template("projectile_motion").code)
    proc = chalk("refine", "--code", str(source), "make it red", "--json", data_dir=tmp_path)
    assert proc.returncode == 1
    data = one_json(proc.stdout)
    assert data["status"] == "refused" and data["changes"] == []
    assert data["error"]["message"].startswith("The Projectile motion template cannot show")
    assert data["code"] == source.read_text()
    plain = tmp_path / "plain.py"
    plain.write_text((SCENES / "text_scene.py").read_text())
    proc = chalk("refine", "--code", str(plain), "faster", "--json", data_dir=tmp_path)
    assert proc.returncode == 1
    assert one_json(proc.stdout)["error"]["message"].startswith("This code was not made by a")


@pytest.mark.render
def test_refine_render_json_has_the_render_fields(tmp_path):
    source = tmp_path / "pendulum.py"
    source.write_text(render_template("pendulum").code)
    out = tmp_path / "short.mp4"
    proc = chalk(
        "refine",
        "--code",
        str(source),
        "halve the length",
        "--render",
        "--out",
        str(out),
        "--json",
        data_dir=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    data = one_json(proc.stdout)
    assert data.keys() >= CONTRACT_KEYS | {"changes", "render_status"}
    assert data["status"] == "changed" and data["render_status"] == "succeeded"
    assert len(data["changes"]) == 1 and re.search(r"\b2\b.* → .*\b1\b", data["changes"][0])
    assert out.exists()
    assert data["template"] == "pendulum" and data["params"]["length"] == 1.0
