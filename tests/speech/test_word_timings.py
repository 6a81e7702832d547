"""Word timings inside a sentence come from piper's own phoneme alignments: each word starts
where the audio's energy says it does, which spreading the words evenly would miss; captions
of a long sentence start each line when its first word is heard; espeak-ng's words are an
estimate inside the measured span."""

from __future__ import annotations

import numpy as np
import pytest

from app.speech.captions import LINE_CHARS, Cue, sentence_cues
from app.speech.engine import Speech, WordTiming, estimated_words
from app.speech.registry import get_engine

# Very unequal words, the short ones after pauses: the pauses give the audio onsets to check
# against, and the long first word makes an even spread start the others far too early.
UNEQUAL = "Antidisestablishmentarianism, yes, a, b, c, and photosynthesis."
# A number (two spoken words), words espeak runs together ("of the") and a hyphenated word.
MIXED = "Show of the curve in the graph of 42 x-axis values."
TOLERANCE_S = 0.3


@pytest.fixture(scope="module")
def spoken() -> dict[str, Speech]:
    engine = get_engine("piper")
    return {
        text: engine.synthesize(text, voice="joe", speed=1.0, language="en")
        for text in (UNEQUAL, MIXED)
    }


def onsets(speech: Speech, quiet_s: float = 0.08) -> list[float]:
    """Times where sound starts after at least `quiet_s` of silence (10 ms frames)."""
    frame = speech.sample_rate // 100
    count = len(speech.samples) // frame
    chunks = speech.samples[: count * frame].reshape(count, frame)
    rms = np.sqrt(np.mean(np.square(chunks), axis=1))
    loud = rms > 0.03 * rms.max()
    quiet = int(quiet_s * 100)
    return [
        i / 100 for i in np.flatnonzero(loud) if i == 0 or not loud[max(0, i - quiet) : i].any()
    ]


def after_pauses(starts: list[float]) -> list[float]:
    """The starts of the words heard after a pause: the first, and each after a comma."""
    words = UNEQUAL.split()
    return [start for i, start in enumerate(starts) if i == 0 or words[i - 1].endswith(",")]


def misplaced(starts: list[float], speech: Speech) -> list[tuple[float, float]]:
    """(word start, onset) pairs more than TOLERANCE_S apart: the n-th word after a pause
    against the n-th onset of the audio (one onset per pause)."""
    heard = onsets(speech)
    expected = after_pauses(starts)
    assert len(heard) == len(expected), (heard, expected)
    return [(s, o) for s, o in zip(expected, heard, strict=True) if abs(s - o) > TOLERANCE_S]


def test_word_starts_are_piper_timings_that_match_the_audio_onsets(spoken):
    speech = spoken[UNEQUAL]
    assert speech.timing_source == "engine"
    assert [w.text for w in speech.words] == UNEQUAL.split()
    starts = [w.start for w in speech.words]
    assert misplaced(starts, speech) == []
    gaps = [abs(s - o) for s, o in zip(after_pauses(starts), onsets(speech), strict=True)]
    print(f"word start vs audio onset: max {max(gaps):.3f} s, mean {np.mean(gaps):.3f} s")


def test_an_even_spread_of_the_words_fails_the_same_check(spoken):
    """The check above can fail: spreading the words over the sentence's span, evenly or by
    their letters, puts the words after the long one far from where they are heard."""
    speech = spoken[UNEQUAL]
    first, last = speech.speech_start_s, speech.speech_end_s
    words = UNEQUAL.split()
    evenly = [first + (last - first) * i / len(words) for i in range(len(words))]
    assert len(misplaced(evenly, speech)) >= 2
    print("even spread misses", misplaced(evenly, speech))
    by_letters = [w.start for w in estimated_words(speech.samples, speech.sample_rate, UNEQUAL)]
    assert misplaced(by_letters, speech)
    print("spread by letters misses", misplaced(by_letters, speech))


def test_numbers_and_run_together_words_keep_the_sentences_words_in_order(spoken):
    speech = spoken[MIXED]
    words = speech.words
    assert [w.text for w in words] == MIXED.split()
    starts = [w.start for w in words]
    assert starts == sorted(starts) and all(w.end > w.start for w in words)
    by_text = {w.text: w for w in words}
    # "42" is spoken as two words ("forty two"): longer than the one-syllable words.
    assert by_text["42"].end - by_text["42"].start > 2 * (by_text["of"].end - by_text["of"].start)
    assert words[-1].end <= speech.duration_s


def test_a_long_sentence_is_captioned_line_by_line_from_its_word_timings():
    words = "The area of a circle is pi r squared, so for a radius of two it is twelve point six."
    timed = [WordTiming(w, 0.5 + 0.4 * i, 0.8 + 0.4 * i) for i, w in enumerate(words.split())]
    speech = Speech(np.zeros(24000 * 8, dtype=np.float32), 24000, timed)
    cues = sentence_cues(words, 10.0, speech)
    assert len(cues) >= 2 and all(len(c.text) <= LINE_CHARS for c in cues)
    assert " ".join(c.text for c in cues) == words
    assert cues[0].text.endswith("squared,")  # a clause stays on its line
    for cue in cues:  # each line is shown from when its first word is heard
        first = next(w for w in timed if w.text == cue.text.split()[0])
        assert cue.start == pytest.approx(10.0 + first.start)
    assert cues[-1].end == pytest.approx(10.0 + timed[-1].end)
    # A short sentence, or one without timings for its words, is one cue.
    short = Speech(speech.samples, 24000, timed[:3])
    assert len(sentence_cues("The area of", 0.0, short)) == 1
    assert len(sentence_cues(words, 0.0, Speech(speech.samples, 24000, []))) == 1
    estimate = Speech(speech.samples, 24000, timed, timing_source="estimate")
    assert sentence_cues(words, 0.0, estimate) == [Cue(0.5, timed[-1].end, words)]


def test_espeak_word_timings_are_an_estimate_inside_the_measured_span():
    speech = get_engine("espeak").synthesize(UNEQUAL, voice="", speed=1.0, language="en")
    assert speech.timing_source == "estimate"
    assert [w.text for w in speech.words] == UNEQUAL.split()
    assert speech.words[0].start < 0.3 and speech.words[-1].end <= speech.duration_s
