"""espeak-ng (offline, many languages) and an OpenAI-compatible /v1/audio/speech endpoint
(a loopback fake): the same interface as piper, text sent as data only."""

from __future__ import annotations

import io
import json
import threading
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from app.settings import get_settings
from app.speech.engine import SpeechError, energy_span
from app.speech.espeak_engine import EspeakEngine
from app.speech.openai_engine import OpenAIEngine
from app.speech.registry import get_engine
from app.speech.wav import decode_wav


def wav_bytes(seconds: float, rate: int = 24000, lead_s: float = 0.2) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    tone = (0.4 * np.sin(2 * np.pi * 220 * t) * (t >= lead_s) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(tone.tobytes())
    return buffer.getvalue()


def test_espeak_speaks_english_and_french_offline():
    engine = EspeakEngine()
    english = engine.synthesize("A circle of radius two.", voice="", speed=1.0, language="en")
    french = engine.synthesize("Un cercle de rayon deux.", voice="", speed=1.0, language="fr")
    faster = engine.synthesize("A circle of radius two.", voice="", speed=1.5, language="en")
    for speech in (english, french):
        assert speech.sample_rate == 22050 and speech.duration_s > 0.8
        # Only the sentence's span is measured; the words inside it are an estimate.
        assert speech.timing_source == "estimate" and len(speech.words) == 5
        assert 0 <= speech.speech_start_s < 0.3 < speech.speech_end_s <= speech.duration_s
    assert faster.duration_s < english.duration_s * 0.85
    assert "fr-fr" in engine.voices() and engine.version.startswith("eSpeak NG")


def test_espeak_gets_the_text_as_data_not_as_options():
    engine = EspeakEngine()
    # Looks like options and shell, is only spoken (stdin, no shell).
    speech = engine.synthesize("--version; -w /tmp/x $(id)", voice="", speed=1.0, language="en")
    assert speech.duration_s > 0.5
    with pytest.raises(SpeechError):
        engine.synthesize("hello", voice="xx-nope", speed=1.0, language="xx")


class FakeSpeechServer:
    """Answers POST /v1/audio/speech with a WAV, recording each request body."""

    def __init__(self, reply: bytes, status: int = 200) -> None:
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append({"path": self.path, **json.loads(body)})
                self.send_response(status)
                self.send_header("Content-Type", "audio/wav")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def speech_endpoint(monkeypatch):
    servers: list[FakeSpeechServer] = []

    def start(reply: bytes, status: int = 200) -> FakeSpeechServer:
        server = FakeSpeechServer(reply, status)
        servers.append(server)
        monkeypatch.setenv("CHALK_SPEECH_BASE_URL", server.url)
        monkeypatch.setenv("CHALK_SPEECH_MODEL", "tts-fake")
        get_settings.cache_clear()
        return server

    yield start
    for server in servers:
        server.close()
    get_settings.cache_clear()


def test_openai_compatible_endpoint_speaks_through_the_client(speech_endpoint):
    server = speech_endpoint(wav_bytes(1.5))
    engine = OpenAIEngine()
    speech = engine.synthesize("Area is pi r squared.", voice="nova", speed=1.25, language="en")
    assert server.requests == [
        {
            "path": "/v1/audio/speech",
            "model": "tts-fake",
            "voice": "nova",
            "input": "Area is pi r squared.",
            "response_format": "wav",
            "speed": 1.25,
        }
    ]
    assert speech.duration_s == pytest.approx(1.5, abs=0.01)
    assert speech.speech_start_s == pytest.approx(0.2, abs=0.02)  # measured on the audio
    assert "tts-fake" in engine.version


def test_openai_endpoint_failures_are_one_sentence(speech_endpoint):
    speech_endpoint(b"not audio")
    with pytest.raises(SpeechError, match="cannot read"):
        OpenAIEngine().synthesize("Hi.", voice="alloy", speed=1.0, language="en")
    speech_endpoint(b"{}", status=500)
    with pytest.raises(SpeechError, match="did not answer"):
        OpenAIEngine().synthesize("Hi.", voice="alloy", speed=1.0, language="en")


def test_openai_engine_needs_an_endpoint(monkeypatch):
    monkeypatch.delenv("CHALK_SPEECH_BASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(SpeechError, match="No speech service"):
            OpenAIEngine()
    finally:
        get_settings.cache_clear()


def test_engines_are_loaded_once_per_process():
    assert get_engine("espeak") is get_engine("espeak")
    with pytest.raises(ValueError):
        get_engine("festival")


def test_wav_reader_takes_espeaks_streamed_header_and_refuses_junk():
    samples, rate = decode_wav(wav_bytes(1.0))
    assert rate == 24000 and len(samples) == 24000
    assert energy_span(samples, rate)[0] == pytest.approx(0.2, abs=0.02)
    streamed = bytearray(wav_bytes(0.5))
    streamed[4:8] = streamed[40:44] = (0x7FFFFFFF).to_bytes(4, "little")  # as espeak-ng writes
    assert len(decode_wav(bytes(streamed))[0]) == 12000
    with pytest.raises(SpeechError):
        decode_wav(b"RIFF....WAVEjunk")


def test_piper_speaks_a_sentence_for_the_same_length_every_time():
    """The scene waits for a sentence measured once; a retry or re-render must match it."""
    engine = get_engine("piper")
    speeches = [
        engine.synthesize("Now it becomes a square.", voice="joe", speed=1.0, language="en")
        for _ in range(4)
    ]
    assert len({len(speech.samples) for speech in speeches}) == 1
    assert len({tuple(word.end for word in speech.words) for speech in speeches}) == 1
