# category: esc
# attack: same host-file read as esc10 without forging anything: symlink /job/out to a host dir and monkeypatch Path.mkdir/Path.replace/Image.save (same interpreter as the runner) so the runner itself reports a genuine "done"
# expect: error
# policy: reject
import os
import pathlib

from PIL import Image

from manim import *

PLANT_DIR = HOSTILE_PLANT_DIR


def under_out(path):
    return str(path).startswith("/job/out")


original_mkdir = pathlib.Path.mkdir
original_replace = pathlib.Path.replace
original_save = Image.Image.save


def mkdir(self, *args, **kwargs):
    if under_out(self):
        return None
    return original_mkdir(self, *args, **kwargs)


def replace(self, target):
    if under_out(target):
        return target
    return original_replace(self, target)


def save(self, fp, *args, **kwargs):
    if under_out(fp):
        return None
    return original_save(self, fp, *args, **kwargs)


class SymlinkOutMonkeypatch(Scene):
    def construct(self):
        if not os.path.islink("/job/out"):
            os.symlink(PLANT_DIR, "/job/out")
        pathlib.Path.mkdir = mkdir
        pathlib.Path.replace = replace
        Image.Image.save = save
        self.play(FadeIn(Square()), run_time=0.3)
