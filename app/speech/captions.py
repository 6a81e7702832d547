"""Captions from the real speech timings: WebVTT for the players, SRT for downloads."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.speech.engine import Speech, WordTiming

LINE_CHARS = 42
"""A caption line's length (the usual broadcast limit); a longer sentence becomes several
cues, each shown from when its first word is heard."""


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def sentence_cues(text: str, at: float, speech: Speech, line_chars: int = LINE_CHARS) -> list[Cue]:
    """The cues of one sentence spoken from `at` (s) in the video: one per caption line, each
    from its first word's start to its last word's end, from the speech's word timings (the
    engine's own for piper). Without the engine's timings for its words (an estimate would
    put a line's start off by tenths of a second), one cue for the measured sentence."""
    words = speech.words
    timed = speech.timing_source == "engine" and [w.text for w in words] == text.split()
    if len(text) <= line_chars or not timed:
        return [Cue(at + speech.speech_start_s, at + speech.speech_end_s, text)]
    return [
        Cue(at + line[0].start, at + line[-1].end, " ".join(w.text for w in line))
        for line in _lines(words, line_chars)
    ]


def _lines(words: Sequence[WordTiming], line_chars: int) -> list[list[WordTiming]]:
    """Words in lines of at most `line_chars`, breaking after punctuation when a line is
    past half full (a clause stays together)."""
    lines: list[list[WordTiming]] = [[]]
    for word in words:
        line = lines[-1]
        length = sum(len(w.text) + 1 for w in line) + len(word.text)
        if line and length > line_chars:
            lines.append([word])
            continue
        line.append(word)
        if word.text[-1] in ",;:.!?" and 2 * length > line_chars:
            lines.append([])
    return [line for line in lines if line]


def _stamp(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _cue_text(text: str) -> str:
    # A cue's text must not close the cue ("-->", a blank line) or open a tag.
    return text.replace("-->", "→").replace("<", "‹").replace(">", "›").replace("&", "and")


def to_vtt(cues: list[Cue]) -> str:
    lines = ["WEBVTT", ""]
    for cue in cues:
        lines += [f"{_stamp(cue.start, '.')} --> {_stamp(cue.end, '.')}", _cue_text(cue.text), ""]
    return "\n".join(lines)


def to_srt(cues: list[Cue]) -> str:
    lines: list[str] = []
    for number, cue in enumerate(cues, 1):
        lines += [
            str(number),
            f"{_stamp(cue.start, ',')} --> {_stamp(cue.end, ',')}",
            _cue_text(cue.text),
            "",
        ]
    return "\n".join(lines)


_TIMING = re.compile(r"(\d+):(\d\d):(\d\d)[.,](\d{3}) --> (\d+):(\d\d):(\d\d)[.,](\d{3})")


def parse_cues(text: str) -> list[Cue]:
    """The cues of a WebVTT or SRT file (what this module writes)."""
    cues: list[Cue] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = _TIMING.fullmatch(line.strip())
        if not match:
            continue
        h1, m1, s1, ms1, h2, m2, s2, ms2 = (int(g) for g in match.groups())
        body: list[str] = []
        for following in lines[index + 1 :]:
            if not following.strip():
                break
            body.append(following)
        cues.append(
            Cue(
                h1 * 3600 + m1 * 60 + s1 + ms1 / 1000,
                h2 * 3600 + m2 * 60 + s2 + ms2 / 1000,
                "\n".join(body),
            )
        )
    return cues


def vtt_to_srt(vtt: str) -> str:
    """SRT for a download, from the stored WebVTT."""
    return to_srt(parse_cues(vtt))


def captions_key(video_key: str) -> str:
    """The media-store key of a narrated video's captions: beside it, same name."""
    return video_key.removesuffix(".mp4") + ".captions.vtt"
