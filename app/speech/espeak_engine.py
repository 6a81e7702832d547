"""The small fallback: espeak-ng (Debian package), offline, in about a hundred languages.

The text goes to espeak-ng on stdin (never on a command line, never through a shell); the
voice is a language code espeak-ng knows (`espeak-ng --voices`)."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

from app.speech.engine import Speech, SpeechError, estimated_words
from app.speech.wav import decode_wav

WORDS_PER_MINUTE = 165
TIMEOUT_S = 60


@lru_cache(maxsize=1)
def espeak_binary() -> str:
    path = shutil.which("espeak-ng")
    if path is None:
        raise SpeechError(
            "The espeak-ng voice is not installed on this server; please tell your administrator.",
            detail="espeak-ng not on PATH (Debian package espeak-ng)",
        )
    return path


@lru_cache(maxsize=1)
def espeak_version() -> str:
    try:
        run = subprocess.run(
            [espeak_binary(), "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except SpeechError:
        return "espeak-ng missing"
    return " ".join(run.stdout.split()[:5])


@lru_cache(maxsize=1)
def espeak_voices() -> list[str]:
    run = subprocess.run(
        [espeak_binary(), "--voices"], capture_output=True, text=True, timeout=10, check=False
    )
    return [line.split()[1] for line in run.stdout.splitlines()[1:] if len(line.split()) > 1]


class EspeakEngine:
    name = "espeak"

    def __init__(self) -> None:
        espeak_binary()
        self.version = espeak_version()

    def voices(self) -> list[str]:
        return espeak_voices()

    def synthesize(self, text: str, *, voice: str, speed: float, language: str) -> Speech:
        chosen = voice or language
        known = espeak_voices()
        if chosen not in known and not any(name.split("-")[0] == chosen for name in known):
            raise SpeechError(
                f"The espeak-ng voice does not speak {chosen!r}; pick a language it knows."
            )
        command = [
            espeak_binary(),
            "--stdin",
            "--stdout",
            "-v",
            chosen,
            "-s",
            str(int(WORDS_PER_MINUTE * speed)),
        ]
        try:
            run = subprocess.run(
                command, input=text.encode(), capture_output=True, timeout=TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            raise SpeechError("The espeak-ng voice took too long to speak a sentence.") from None
        if run.returncode != 0:
            raise SpeechError(
                "The espeak-ng voice could not speak a sentence.",
                detail=run.stderr.decode(errors="replace")[-2000:],
            )
        samples, rate = decode_wav(run.stdout)
        # espeak-ng's command line gives no word timings: the sentence's span is measured and
        # the words inside it are an estimate (see estimated_words).
        return Speech(samples, rate, estimated_words(samples, rate, text), "estimate")
