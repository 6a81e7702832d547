"""Narrate a render, measured rather than guessed, in two sandbox runs:

1. measure: the scene's construct() runs without drawing and reports its narrate() sentences;
2. the worker speaks them (outside the sandbox, text only) and knows each one's length;
3. render: the scene waits so every step lasts at least as long as its sentence, and reports
   when each sentence's step started; `wait_for_word("...")` inside a step waits until that
   word of the sentence is heard (a timed mark, from the engine's word timings);
4. each speech is put at that moment on one track, muxed as AAC, and the captions are written
   from the engine's own word timings (a long sentence is several cues, each shown from when
   its first word is heard).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from app.core.render import Measurement, RenderResult
from app.speech.burn import burn_captions
from app.speech.captions import Cue, sentence_cues, to_vtt
from app.speech.engine import Speech
from app.speech.mix import build_track, mux_narration, video_duration
from app.speech.options import NarrationOptions
from app.speech.registry import get_engine
from app.speech.text import clean_script

log = logging.getLogger(__name__)

MeasureFn = Callable[[list[float]], Measurement]
# Each sentence's spoken length, and its words with when each starts in its speech.
WordStarts = list[list[tuple[str, float]]]
RenderFn = Callable[[list[float], WordStarts], RenderResult]

_SPOKEN_CACHE_SIZE = 256
_spoken: OrderedDict[tuple[str, str, float, str, str], Speech] = OrderedDict()
_spoken_lock = threading.Lock()


def speak(text: str, options: NarrationOptions) -> Speech:
    """`text` spoken with `options` (resolved); recent sentences are kept in memory, so the
    re-renders of one job (layout or contrast fixes) do not speak them again."""
    key = (options.engine, options.voice, options.speed, options.language, text)
    with _spoken_lock:
        if key in _spoken:
            _spoken.move_to_end(key)
            return _spoken[key]
    engine = get_engine(options.engine)
    speech = engine.synthesize(
        text, voice=options.voice, speed=options.speed, language=options.language
    )
    with _spoken_lock:
        _spoken[key] = speech
        while len(_spoken) > _SPOKEN_CACHE_SIZE:
            _spoken.popitem(last=False)
    return speech


def _calls(messages: list[dict[str, object]]) -> list[dict[str, object]]:
    """The narrate() calls among the sandbox's narration messages (not the marks)."""
    return [m for m in messages if m.get("event", "narration") == "narration"]


def sentences_of(messages: list[dict[str, object]]) -> list[str]:
    """The narrate() texts in call order, cleaned and capped (the sandbox is untrusted)."""
    by_index: dict[int, object] = {}
    for message in _calls(messages):
        index = message.get("index")
        if isinstance(index, int) and 0 <= index < 1000 and index not in by_index:
            by_index[index] = message.get("text")
    ordered = [by_index.get(i, "") for i in range(max(by_index, default=-1) + 1)]
    return clean_script(ordered)


def starts_of(messages: list[dict[str, object]], count: int, duration: float) -> list[float | None]:
    """When each sentence's step started in the drawn video (None: not reached or invalid)."""
    starts: list[float | None] = [None] * count
    for message in _calls(messages):
        index, at = message.get("index"), message.get("at")
        if (
            isinstance(index, int)
            and 0 <= index < count
            and isinstance(at, (int, float))
            and not isinstance(at, bool)
            and 0 <= at <= duration
        ):
            starts[index] = float(at)
    return starts


def narrate_render(
    options: NarrationOptions, *, measure: MeasureFn, render: RenderFn
) -> RenderResult:
    """Measure, speak, render with the speech's lengths, then mix the audio and write the
    captions beside the video (`<video>.captions.vtt`)."""
    sentences = sentences_of(measure([]).narration)
    started = time.monotonic()
    speeches = [speak(text, options) if text else None for text in sentences]
    speech_s = time.monotonic() - started
    durations = [speech.duration_s if speech else 0.0 for speech in speeches]
    words = [[(w.text, w.start) for w in speech.words] if speech else [] for speech in speeches]
    rendered = render(durations, words)
    duration = video_duration(rendered.video)
    starts = starts_of(rendered.narration, len(sentences), duration)
    placed: list[tuple[float, Speech]] = []
    cues: list[Cue] = []
    for text, speech, at in zip(sentences, speeches, starts, strict=True):
        if speech is None or at is None:
            continue
        placed.append((at, speech))
        cues.extend(
            Cue(cue.start, min(duration, cue.end), cue.text)
            for cue in sentence_cues(text, at, speech)
        )
    mux_narration(rendered.video, build_track(placed, duration))
    captions = captions_path(rendered.video)
    captions.write_text(to_vtt(cues), encoding="utf-8")
    if options.burn_captions:
        burn_captions(rendered.video, cues)
    rendered.size_bytes = rendered.video.stat().st_size
    rendered.captions, rendered.audio = captions, True
    log.info(
        "narrated %d sentences (%.1f s of speech in %.2f s) over %.1f s of video",
        len(placed),
        sum(durations),
        speech_s,
        duration,
    )
    return rendered


def captions_path(video: Path) -> Path:
    """Where a video's captions are: beside it, `<name>.captions.vtt`."""
    return video.with_suffix(".captions.vtt")
