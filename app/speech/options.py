"""What a teacher chooses about narration (stored on the job, part of the render cache key)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from app.speech.engine import ENGINE_NAMES

SPEEDS = (0.75, 1.0, 1.25)
MIN_SPEED, MAX_SPEED = 0.5, 2.0
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")
_VOICE = re.compile(r"[A-Za-z0-9_+.\-]{1,40}")
DEFAULT_VOICES = {"piper": "joe", "espeak": "", "openai": "alloy"}


class NarrationOptionError(ValueError):
    """A narration option a teacher (or a CLI user) gave is not one Chalk can speak."""


@dataclass(frozen=True)
class NarrationOptions:
    enabled: bool = True
    engine: str = ""  # "" = the server's speech_engine setting
    voice: str = ""  # "" = the engine's default voice
    language: str = "en"
    speed: float = 1.0
    burn_captions: bool = False

    def __post_init__(self) -> None:
        if self.engine and self.engine not in ENGINE_NAMES:
            raise NarrationOptionError(f"Choose a speech engine among {', '.join(ENGINE_NAMES)}.")
        if self.voice and not _VOICE.fullmatch(self.voice):
            raise NarrationOptionError("A voice name has only letters, digits, - _ + and dots.")
        if not _LANGUAGE.fullmatch(self.language):
            raise NarrationOptionError('Give the language as a code such as "en" or "fr".')
        if not MIN_SPEED <= float(self.speed) <= MAX_SPEED:
            raise NarrationOptionError(f"Choose a speed between {MIN_SPEED} and {MAX_SPEED}.")

    def resolved(self, default_engine: str) -> NarrationOptions:
        """Engine and voice filled in: piper only speaks English, so other languages get
        espeak unless an engine was named."""
        engine = self.engine or default_engine
        if engine == "piper" and not self.language.startswith("en") and not self.engine:
            engine = "espeak"
        voice = self.voice or DEFAULT_VOICES[engine]
        return NarrationOptions(
            True, engine, voice, self.language, float(self.speed), self.burn_captions
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> NarrationOptions | None:
        """Options from a job's stored JSON (None: not narrated)."""
        if not isinstance(data, dict) or not data.get("enabled"):
            return None
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


# What the Create page offers (the CLI takes any engine, voice and language code).
VOICE_CHOICES = {
    "joe": ("piper", "joe", "Joe — natural voice, English (offline)"),
    "espeak": ("espeak", "", "eSpeak — robotic voice, many languages (offline)"),
}
LANGUAGE_CHOICES = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
}


def from_choices(
    *, narrate: bool, voice: str, language: str, speed: float, burn_captions: bool
) -> NarrationOptions | None:
    """The options a teacher picked on the Create page (None: narration off). A language the
    natural voice does not speak goes to eSpeak (NarrationOptions.resolved)."""
    if not narrate:
        return None
    engine, voice_name, _ = VOICE_CHOICES.get(voice, VOICE_CHOICES["joe"])
    if engine == "piper" and language != "en":
        engine, voice_name = "", ""  # resolved to espeak for this language
    return NarrationOptions(
        enabled=True,
        engine=engine,
        voice=voice_name,
        language=language if language in LANGUAGE_CHOICES else "en",
        speed=speed,
        burn_captions=burn_captions,
    )
