"""Read the PCM WAV that engines return (espeak-ng's streamed header has bogus sizes)."""

from __future__ import annotations

import struct

import numpy as np

from app.speech.engine import SpeechError

MAX_WAV_BYTES = 64 << 20


def decode_wav(data: bytes) -> tuple[np.ndarray, int]:
    """Mono float32 samples in [-1, 1] and the rate of a 16-bit PCM WAV; channels averaged.
    The data chunk is read to the end of the bytes, whatever size the header claims."""
    if len(data) > MAX_WAV_BYTES or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise SpeechError("The speech engine returned audio Chalk cannot read.")
    position, rate, channels, bits = 12, 0, 1, 16
    while position + 8 <= len(data):
        chunk, size = (
            data[position : position + 4],
            struct.unpack("<I", data[position + 4 : position + 8])[0],
        )
        body = position + 8
        if chunk == b"fmt ":
            _, channels, rate, _, _, bits = struct.unpack("<HHIIHH", data[body : body + 16])
        elif chunk == b"data":
            if bits != 16 or rate <= 0 or channels < 1:
                break
            pcm = data[body:]
            pcm = pcm[: len(pcm) - len(pcm) % (2 * channels)]
            samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
            return samples.reshape(-1, channels).mean(axis=1), rate
        position = body + size + (size & 1)
    raise SpeechError("The speech engine returned audio Chalk cannot read.")
