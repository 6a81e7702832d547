"""Any OpenAI-compatible `/v1/audio/speech` endpoint (OpenAI, a local server), through the
`openai` client: the text is sent as the request's `input`, WAV comes back."""

from __future__ import annotations

from app.settings import get_settings
from app.speech.engine import Speech, SpeechError, estimated_words
from app.speech.wav import decode_wav


def endpoint_identity() -> str:
    """The endpoint and model: what decides this engine's voice (for the cache key)."""
    settings = get_settings()
    return f"openai-compatible {settings.speech_base_url} {settings.speech_model}"


class OpenAIEngine:
    name = "openai"

    def __init__(self) -> None:
        import openai  # deferred: only a worker that narrates this way pays for the import

        settings = get_settings()
        if not settings.speech_base_url:
            raise SpeechError(
                "No speech service is configured on this server; choose another voice.",
                detail="CHALK_SPEECH_BASE_URL is not set",
            )
        key = settings.speech_api_key.get_secret_value() if settings.speech_api_key else "none"
        self._client = openai.OpenAI(
            base_url=settings.speech_base_url,
            api_key=key,
            timeout=settings.speech_timeout_s,
            max_retries=1,
        )
        self._model = settings.speech_model
        self._errors = (openai.OpenAIError,)
        self.version = endpoint_identity()

    def voices(self) -> list[str]:
        return ["alloy", "echo", "fable", "onyx", "nova", "shimmer"]

    def synthesize(self, text: str, *, voice: str, speed: float, language: str) -> Speech:
        try:
            reply = self._client.audio.speech.create(
                model=self._model,
                voice=voice,
                input=text,
                response_format="wav",
                speed=speed,
            )
            audio = reply.read()
        except self._errors as exc:
            raise SpeechError(
                "The speech service did not answer; try again or choose the offline voice.",
                detail=repr(exc),
            ) from None
        samples, rate = decode_wav(audio)
        return Speech(samples, rate, estimated_words(samples, rate, text), "estimate")
