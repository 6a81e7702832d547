"""Narration costs, measured in one run (medians of N, default 3):

- `speech`: per engine, load time and the real-time factor (seconds of synthesis per second
  of audio, warm) over a few template-like sentences;
- `render`: a narrated preview against a silent one of the same scene (warm sandbox, no
  render cache, interleaved): the extra seconds and the ratio. The narrated run pays the
  measuring pass, the speech (warm engine) and the mix;
- `alignment`: on the narrated videos, the largest gap between a caption cue's start and the
  nearest energy onset of the decoded audio, and between the audio and video lengths;
- `words`: inside one sentence of very unequal words with pauses, each word heard after a
  pause: piper's word start against the audio's onset, and what spreading the words evenly
  over the sentence would give instead.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core import warm  # noqa: E402
from app.pipeline.job import run_job  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.speech.captions import parse_cues  # noqa: E402
from app.speech.mix import audio_duration, video_duration  # noqa: E402
from app.speech.options import NarrationOptions  # noqa: E402
from app.speech.registry import get_engine  # noqa: E402

SENTENCES = [
    "Here is the graph of y equals x squared minus four x plus three.",
    "The curve crosses the x axis at one and at three.",
    "Six rectangles under the curve add up to about six point eight seven five.",
    "Bubble sort compares neighbours and swaps them when they are out of order.",
]
SCENE = (ROOT / "tests" / "scenes" / "narrated_scene.py").read_text()


def speech_figures(engine_name: str, language: str) -> dict[str, float]:
    started = time.monotonic()
    engine = get_engine(engine_name)
    load_s = time.monotonic() - started
    voice = "joe" if engine_name == "piper" else ""
    engine.synthesize("Warm up.", voice=voice, speed=1.0, language=language)
    factors, audio = [], 0.0
    for sentence in SENTENCES:
        started = time.monotonic()
        speech = engine.synthesize(sentence, voice=voice, speed=1.0, language=language)
        factors.append((time.monotonic() - started) / speech.duration_s)
        audio += speech.duration_s
    return {
        "load_s": round(load_s, 3),
        "real_time_factor_median": round(statistics.median(factors), 3),
        "audio_s": round(audio, 2),
    }


def onsets(path: Path) -> list[float]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        samples = np.concatenate([f.to_ndarray().mean(axis=0) for f in container.decode(stream)])
        rate = stream.rate
    return sample_onsets(samples, rate, quiet_frames=15)


def sample_onsets(samples: np.ndarray, rate: int, quiet_frames: int) -> list[float]:
    """Where sound starts after `quiet_frames` silent 10 ms frames."""
    frame = rate // 100
    count = len(samples) // frame
    rms = np.sqrt(np.mean(np.square(samples[: count * frame].reshape(count, frame)), axis=1))
    loud = rms > 0.03 * rms.max()
    return [
        i / 100
        for i in np.flatnonzero(loud)
        if i == 0 or not loud[max(0, i - quiet_frames) : i].any()
    ]


UNEQUAL = "Antidisestablishmentarianism, yes, a, b, c, and photosynthesis."


def word_figures() -> dict[str, object]:
    speech = get_engine("piper").synthesize(UNEQUAL, voice="joe", speed=1.0, language="en")
    words = UNEQUAL.split()
    paused = [i for i in range(len(words)) if i == 0 or words[i - 1].endswith(",")]
    heard = sample_onsets(speech.samples, speech.sample_rate, quiet_frames=8)
    first, last = speech.speech_start_s, speech.speech_end_s
    engine = [speech.words[i].start for i in paused]
    evenly = [first + (last - first) * i / len(words) for i in paused]
    if len(heard) != len(paused):
        return {"error": f"{len(heard)} onsets for {len(paused)} words after pauses"}
    return {
        "sentence": UNEQUAL,
        "timing_source": speech.timing_source,
        "engine_vs_onset_max_s": round(
            max(abs(a - b) for a, b in zip(engine, heard, strict=True)), 3
        ),
        "even_spread_vs_onset_max_s": round(
            max(abs(a - b) for a, b in zip(evenly, heard, strict=True)), 3
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=3)
    args = parser.parse_args()
    result: dict[str, object] = {
        "speech": {
            "piper": speech_figures("piper", "en"),
            "espeak": speech_figures("espeak", "en"),
        },
        "words": word_figures(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp).chmod(0o755)  # the per-job render user must reach its work directory
        settings = Settings(data_dir=Path(tmp) / "data", render_cache=False)
        warm.prewarm(settings)
        silent, narrated, cue_gaps, length_gaps = [], [], [], []
        for run in range(args.n):
            for narrate in (False, True):
                code = SCENE + f"\n# run {run}\n"
                out = Path(tmp) / f"{run}-{narrate}.mp4"
                started = time.monotonic()
                job = run_job(
                    code=code,
                    out=out,
                    settings=settings,
                    narration=NarrationOptions() if narrate else None,
                )
                elapsed = time.monotonic() - started
                assert job.ok, job.error
                (narrated if narrate else silent).append(elapsed)
                if narrate:
                    heard = onsets(out)
                    for cue in parse_cues(out.with_suffix(".captions.vtt").read_text()):
                        cue_gaps.append(min(abs(t - cue.start) for t in heard))
                    length_gaps.append(abs(audio_duration(out) - video_duration(out)))
        warm.POOL.close()
    result["render"] = {
        "silent_preview_s_median": round(statistics.median(silent), 3),
        "narrated_preview_s_median": round(statistics.median(narrated), 3),
        "extra_s_median": round(statistics.median(narrated) - statistics.median(silent), 3),
        "ratio": round(statistics.median(narrated) / statistics.median(silent), 3),
        "runs": args.n,
    }
    result["alignment"] = {
        "cue_start_vs_audio_onset_max_s": round(max(cue_gaps), 3),
        "cue_start_vs_audio_onset_median_s": round(statistics.median(cue_gaps), 3),
        "audio_vs_video_length_max_s": round(max(length_gaps), 3),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
