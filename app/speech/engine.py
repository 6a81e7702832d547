"""The speech interface every engine implements, and the per-process engine registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from app.errors import ChalkError


class SpeechError(ChalkError):
    """An engine could not speak a sentence (not installed, endpoint down, bad reply)."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__("render", message, detail=detail)


@dataclass(frozen=True)
class WordTiming:
    """When one word (or the phonemes between two pauses) is spoken, in seconds from the
    start of its sentence's audio."""

    text: str
    start: float
    end: float


@dataclass
class Speech:
    """One spoken sentence: mono float32 samples in [-1, 1] and the engine's timings."""

    samples: np.ndarray
    sample_rate: int
    words: list[WordTiming] = field(default_factory=list)
    # "engine": the timings come from the engine itself (piper's phoneme alignments);
    # "energy": measured on the audio (engines that give none).
    timing_source: str = "engine"

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate

    @property
    def speech_start_s(self) -> float:
        """When the first word is heard (engines pad the start with a little silence)."""
        return self.words[0].start if self.words else 0.0

    @property
    def speech_end_s(self) -> float:
        return self.words[-1].end if self.words else self.duration_s


class SpeechEngine(Protocol):
    """Turns one clean sentence into speech. `version` goes into the render cache key."""

    name: str
    version: str

    def synthesize(self, text: str, *, voice: str, speed: float, language: str) -> Speech: ...

    def voices(self) -> list[str]: ...


ENGINE_NAMES = ("piper", "espeak", "openai")
DEFAULT_ENGINE = "piper"


def energy_words(samples: np.ndarray, sample_rate: int, text: str) -> list[WordTiming]:
    """One timing for the whole sentence from the audio's energy (engines with no timings):
    from the first to the last 10 ms frame louder than 2% of the peak."""
    start, end = energy_span(samples, sample_rate)
    return [WordTiming(text, start, end)] if end > start else []


def energy_span(samples: np.ndarray, sample_rate: int) -> tuple[float, float]:
    """First and last instants (s) where the sound is above 2% of its peak, in 10 ms frames."""
    frame = max(1, sample_rate // 100)
    count = len(samples) // frame
    if count == 0:
        return 0.0, 0.0
    rms = np.sqrt(np.mean(np.square(samples[: count * frame].reshape(count, frame)), axis=1))
    loud = np.flatnonzero(rms > 0.02 * float(rms.max() or 1.0))
    if loud.size == 0:
        return 0.0, 0.0
    return loud[0] * frame / sample_rate, (loud[-1] + 1) * frame / sample_rate
