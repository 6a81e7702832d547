# category: fs
# attack: rewrite config.media_dir / video_dir / images_dir / output_file / log_dir so Manim writes its files onto the host canary paths
# expect: any
# policy: reject
from manim import *

DIRS = HOSTILE_DIRS
TARGETS = HOSTILE_TARGETS


class ConfigMediaDir(Scene):
    def construct(self):
        for d, t in zip(DIRS, TARGETS):
            try:
                config.media_dir = d
                config.video_dir = d
                config.images_dir = d
                config.log_dir = d
                config.output_file = t
                config.save_last_frame = True
                config.write_to_movie = True
            except Exception as exc:
                print("config", d, repr(exc))
        try:
            from pathlib import Path

            writer = self.renderer.file_writer
            writer.movie_file_path = Path(TARGETS[0])
            writer.image_file_path = Path(TARGETS[1])
            writer.partial_movie_directory = Path(DIRS[2])
        except Exception as exc:
            print("file_writer", repr(exc))
        self.play(FadeIn(Square()), run_time=0.3)
        self.wait(0.2)
