"""Narration text is untrusted: cleaned and capped; captions as WebVTT and SRT; options."""

from __future__ import annotations

import pytest

from app.speech.captions import Cue, parse_cues, to_srt, to_vtt, vtt_to_srt
from app.speech.narration import sentences_of, starts_of
from app.speech.options import NarrationOptionError, NarrationOptions
from app.speech.text import (
    MAX_SENTENCE_CHARS,
    MAX_SENTENCES,
    MAX_TOTAL_CHARS,
    clean_script,
    clean_sentence,
    narrate_calls,
)


def test_markup_and_control_characters_never_reach_the_engine():
    text = (
        'Say <speak><prosody rate="x-fast">hi</prosody></speak>'
        "\x00\x1b[31m \\frac{1}{2} &amp; $x^2$"
    )
    cleaned = clean_sentence(text)
    assert "<" not in cleaned and ">" not in cleaned and "\x00" not in cleaned
    assert "\x1b" not in cleaned and "\\" not in cleaned and "$" not in cleaned
    assert cleaned.startswith("Say hi") and "&" in cleaned
    # piper would read a [[ ... ]] block as raw phonemes: only words reach it.
    assert clean_sentence("Read [[ ˈhɛloʊ ]] aloud") == "Read ˈhɛloʊ aloud"


def test_long_sentences_are_cut_at_a_word_and_non_text_is_dropped():
    cleaned = clean_sentence("word " * 1000)
    assert len(cleaned) <= MAX_SENTENCE_CHARS + 1 and cleaned.endswith("word…")
    assert clean_sentence(12345) == "" and clean_sentence(None) == ""


def test_script_caps_sentence_count_and_total_length():
    many = clean_script([f"Sentence {i}." for i in range(MAX_SENTENCES + 10)])
    assert len(many) == MAX_SENTENCES + 10  # order kept: one entry per narrate() call
    assert all(many[:MAX_SENTENCES]) and not any(many[MAX_SENTENCES:])
    long = clean_script(["x " * 140] * 40)
    assert sum(len(s) for s in long) <= MAX_TOTAL_CHARS


def test_sandbox_messages_are_validated():
    messages = [
        {"event": "narration", "index": 1, "text": "Second.", "at": 1.5},
        {"event": "narration", "index": 0, "text": "<b>First.</b>", "at": 0.0},
        {"event": "narration", "index": "2", "text": "bad index", "at": 2.0},
        {"event": "narration", "index": 10**6, "text": "huge", "at": 2.0},
    ]
    assert sentences_of(messages) == ["First.", "Second."]
    bad_times = [
        {"index": 0, "at": -1.0},
        {"index": 1, "at": 99.0},
        {"index": 1, "at": True},
    ]
    assert starts_of(bad_times, 2, duration=5.0) == [None, None]
    assert starts_of(messages, 2, duration=5.0) == [0.0, 1.5]


def test_narrate_calls_are_read_in_source_order():
    code = 'narrate("a")\nx = 1\nnarrate(f"r = {x}")\nnarrate()\n'
    assert narrate_calls(code) == ["'a'", "f'r = {x}'", ""]
    assert narrate_calls("def (") == []


def test_vtt_and_srt_round_trip_and_cue_text_cannot_break_the_file():
    cues = [Cue(0.07, 1.869, "Here is a circle."), Cue(62.5, 3725.25, "a --> b <c>\n\nd")]
    vtt = to_vtt(cues)
    assert vtt.startswith("WEBVTT\n\n00:00:00.070 --> 00:00:01.869\nHere is a circle.\n")
    assert "01:02:05.250" in vtt
    parsed = parse_cues(vtt)
    assert [(c.start, c.end) for c in parsed] == [(0.07, 1.869), (62.5, 3725.25)]
    assert "-->" not in parsed[1].text and "<" not in parsed[1].text
    srt = vtt_to_srt(vtt)
    assert srt.startswith("1\n00:00:00,070 --> 00:00:01,869\nHere is a circle.\n\n2\n")
    assert [(c.start, c.end) for c in parse_cues(srt)] == [(0.07, 1.869), (62.5, 3725.25)]
    assert to_srt([]) == ""


@pytest.mark.parametrize(
    "bad",
    [
        {"engine": "festival"},
        {"voice": "joe; rm -rf /"},
        {"language": "english please"},
        {"speed": 5.0},
    ],
)
def test_bad_options_are_refused(bad):
    with pytest.raises(NarrationOptionError):
        NarrationOptions(**bad)


def test_options_resolve_the_engine_and_round_trip_json():
    assert NarrationOptions().resolved("piper").voice == "joe"
    # piper speaks English only: French goes to espeak unless an engine was named.
    assert NarrationOptions(language="fr").resolved("piper").engine == "espeak"
    assert NarrationOptions(engine="openai").resolved("piper").voice == "alloy"
    options = NarrationOptions(voice="joe", speed=1.25, burn_captions=True)
    assert NarrationOptions.from_json(options.to_json()) == options
    assert NarrationOptions.from_json({"enabled": False}) is None
    assert NarrationOptions.from_json(None) is None
