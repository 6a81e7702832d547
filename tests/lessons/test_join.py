"""Joining scene videos: stream copy when formats match, chapters, captions, re-encode."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import av
import pytest

from app.lessons.join import SceneClip, join_scenes, shift_cues
from tests.lessons.clips import make_clip, write_vtt


def ffprobe(path: Path, *entries: str) -> dict:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", *entries, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(done.stdout)


def packets(path: Path) -> list[tuple[bytes, bool]]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [(bytes(p), p.is_keyframe) for p in container.demux(stream) if p.size]


@pytest.fixture
def three(tmp_path: Path) -> list[Path]:
    return [
        make_clip(tmp_path / f"s{i}.mp4", seconds=s, shade=40 + 60 * i)
        for i, s in enumerate([2.0, 3.0, 1.4])
    ]


def test_three_scenes_join_to_their_summed_length_with_three_chapters(three, tmp_path):
    titles = ["Graph y = 2x + 1", "Its gradient", "Scene 3"]
    result = join_scenes(
        [SceneClip(p, t) for p, t in zip(three, titles, strict=True)], tmp_path / "l.mp4"
    )
    probed = ffprobe(result.video, "-show_chapters", "-show_format")
    scene_lengths = [float(ffprobe(p, "-show_format")["format"]["duration"]) for p in three]
    assert float(probed["format"]["duration"]) == pytest.approx(sum(scene_lengths), abs=0.2)
    chapters = probed["chapters"]
    assert [c["tags"]["title"] for c in chapters] == titles
    starts = [float(c["start_time"]) for c in chapters]
    ends = [float(c["end_time"]) for c in chapters]
    assert starts == pytest.approx([0.0, 2.0, 5.0], abs=0.05)
    assert ends == pytest.approx([2.0, 5.0, 6.4], abs=0.05)
    assert [c.to_json() for c in result.chapters] == [
        {"title": t, "start": s, "end": e}
        for t, s, e in zip(titles, [0, 2, 5], [2, 5, 6.4], strict=True)
    ]
    assert not result.reencoded and result.note == "" and result.captions is None


def test_matching_scenes_are_copied_packet_for_packet_not_re_encoded(three, tmp_path):
    result = join_scenes([SceneClip(p, str(i)) for i, p in enumerate(three)], tmp_path / "l.mp4")
    joined = packets(result.video)
    assert joined == [pkt for path in three for pkt in packets(path)]
    with av.open(str(three[0])) as first, av.open(str(result.video)) as out:
        a, b = first.streams.video[0].codec_context, out.streams.video[0].codec_context
        assert (b.name, b.width, b.height, b.pix_fmt, b.profile) == (
            a.name,
            a.width,
            a.height,
            a.pix_fmt,
            a.profile,
        )
        assert bytes(b.extradata) == bytes(a.extradata)  # the same encoder settings (SPS/PPS)
    # Every frame decodes: 30 + 45 + 21.
    frames = ffprobe(
        result.video,
        "-count_frames",
        "-select_streams",
        "v",
        "-show_entries",
        "stream=nb_read_frames",
    )
    assert int(frames["streams"][0]["nb_read_frames"]) == 96


def test_scenes_of_different_formats_are_re_encoded_to_the_first_and_say_so(three, tmp_path):
    odd = make_clip(tmp_path / "odd.mp4", seconds=1.0, fps=30, size=(640, 360))
    result = join_scenes(
        [SceneClip(three[0], "a"), SceneClip(odd, "b"), SceneClip(three[2], "c")],
        tmp_path / "l.mp4",
    )
    assert result.reencoded and "re-encoded" in result.note
    probed = ffprobe(result.video, "-show_streams", "-show_format", "-show_chapters")
    video = next(s for s in probed["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"], video["r_frame_rate"]) == (854, 480, "15/1")
    # The 30 fps second stays one second long.
    assert float(probed["format"]["duration"]) == pytest.approx(2.0 + 1.0 + 1.4, abs=0.2)
    assert len(probed["chapters"]) == 3


def test_captions_are_joined_with_each_scene_shifted_to_its_chapter(three, tmp_path):
    first = write_vtt(tmp_path / "a.vtt", [(0.2, 1.5, "A line is drawn.")])
    third = write_vtt(tmp_path / "c.vtt", [(0.0, 0.8, "Done."), (0.8, 1.3, "Bye.")])
    clips = [
        SceneClip(three[0], "a", captions=first),
        SceneClip(three[1], "b", captions=tmp_path / "missing.vtt"),  # not narrated
        SceneClip(three[2], "c", captions=third),
    ]
    result = join_scenes(clips, tmp_path / "l.mp4")
    assert result.captions == tmp_path / "l.vtt"
    text = result.captions.read_text()
    assert text.startswith("WEBVTT\n")
    assert "00:00:00.200 --> 00:00:01.500\nA line is drawn." in text
    assert "00:00:05.000 --> 00:00:05.800\nDone." in text
    assert "00:00:05.800 --> 00:00:06.300\nBye." in text


def test_no_captions_anywhere_means_no_caption_file(three, tmp_path):
    result = join_scenes([SceneClip(p, "x") for p in three], tmp_path / "l.mp4")
    assert result.captions is None and not (tmp_path / "l.vtt").exists()


def test_shift_cues_keeps_cue_settings_and_skips_notes():
    vtt = "WEBVTT\n\nNOTE made by piper\n\nc1\n00:01.000 --> 00:02.500 align:start\nHi\n"
    assert shift_cues(vtt, 10.0) == ["00:00:11.000 --> 00:00:12.500 align:start\nHi"]


def test_narrated_scenes_keep_their_audio_in_step_with_the_pictures(tmp_path):
    clips = [
        make_clip(tmp_path / f"n{i}.mp4", seconds=s, tone_hz=440.0 + 110 * i)
        for i, s in enumerate([1.0, 2.0])
    ]
    result = join_scenes([SceneClip(p, str(i)) for i, p in enumerate(clips)], tmp_path / "l.mp4")
    assert not result.reencoded
    streams = ffprobe(result.video, "-show_streams")["streams"]
    audio = next(s for s in streams if s["codec_type"] == "audio")
    video = next(s for s in streams if s["codec_type"] == "video")
    assert audio["codec_name"] == "aac"
    assert float(audio["duration"]) == pytest.approx(3.0, abs=0.1)
    assert float(audio["duration"]) == pytest.approx(float(video["duration"]), abs=0.1)
