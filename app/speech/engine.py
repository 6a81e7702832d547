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
    # "engine": every word's timing comes from the engine itself (piper's phoneme
    # alignments); "estimate": the sentence's span is measured on the audio, but the words
    # inside it are only spread by their length (engines that give no timings: espeak-ng's
    # command line, an OpenAI-compatible endpoint); "none": no timings at all.
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


def estimated_words(samples: np.ndarray, sample_rate: int, text: str) -> list[WordTiming]:
    """Word timings for an engine that gives none. AN ESTIMATE: only the sentence's span is
    measured (the audio's energy, first to last loud 10 ms frame); the words inside it are
    spread in proportion to their letters, so a word's start can be off by a few tenths of a
    second. Captions keep the measured span; marks inside the sentence are approximate."""
    start, end = energy_span(samples, sample_rate)
    words = text.split()
    if end <= start or not words:
        return []
    weights = np.array([len(word) + 1 for word in words], dtype=float)  # +1: the gap after
    edges = start + (end - start) * np.concatenate([[0.0], np.cumsum(weights) / weights.sum()])
    timed = [
        WordTiming(w, float(a), float(b))
        for w, a, b in zip(words, edges[:-1], edges[1:], strict=True)
    ]
    timed[-1] = WordTiming(words[-1], timed[-1].start, end)
    return timed


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
