"""Animated decoding (`python -m seqviz.export --animate`, the pages' GIF buttons): one frame per decoding step,
each a slide-size figure that shows exactly the steps taken so far; the GIF has the stated frames, size and
durations."""

from __future__ import annotations

import os

import pytest
import torch
from PIL import Image

from seqviz.export import __main__ as export
from seqviz.export.animation import (
    ANIMATIONS,
    FRAME_MS,
    GENERATED_WORDS,
    LAST_FRAME_MS,
    NOT_YET,
    ar_generation_animation,
    beam_animation,
)
from seqviz.export.deck import BEAM_STEPS, ITERATIONS, SLIDE_HEIGHT, SLIDE_WIDTH, Deck
from seqviz.viz.static_export import static_export_available

SENTENCE = "the black cat sees the small dogs"


@pytest.fixture(scope="module")
def deck():
    return Deck("en", SENTENCE.split(), torch.device("cpu"))


def test_every_animation_has_slide_size_frames_one_per_step(deck):
    counts = {name: len(build(deck).frames) for name, build in ANIMATIONS.items()}
    assert counts["diffusion"] == len(deck.words)  # one word revealed per step
    assert 1 < counts["mask_predict"] <= ITERATIONS
    assert counts["beam"] == BEAM_STEPS + 1  # the prompt alone, a frame per step, then the best path
    assert 1 < counts["ar_generation"] <= GENERATED_WORDS  # it may stop early at <eos>
    for name, build in ANIMATIONS.items():
        for frame in build(deck).frames:
            assert (frame.layout.width, frame.layout.height) == (SLIDE_WIDTH, SLIDE_HEIGHT), name


def test_the_generation_frames_reveal_one_more_word_each(deck):
    frames = ar_generation_animation(deck).frames
    for k, frame in enumerate(frames):
        rows = list(frame.layout.yaxis.ticktext)  # the attention panel's rows: one per word written
        assert sum(label != NOT_YET for label in rows) == k + 1
    assert frames[0].layout.title.text != frames[-1].layout.title.text  # the sentence grows in the title


def test_the_beam_frames_show_only_the_steps_taken(deck):
    frames = beam_animation(deck).frames
    for step, frame in enumerate(frames[:-1]):
        shown = [x for trace in frame.data if trace.mode != "lines" for x in trace.x if x is not None]
        assert max(shown) == step
    assert max(x for trace in frames[-1].data for x in trace.x if x is not None) == BEAM_STEPS


def test_the_animate_command_writes_gifs_of_the_stated_frames_size_and_durations(tmp_path, capsys):
    if not static_export_available():
        message = "GIFs need kaleido and Chromium (apt-get install chromium)"
        if os.environ.get("SEQVIZ_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    short = "the cats sleep"
    assert export.main(["--animate", "diffusion", "beam", "--sentence", short, "--out", str(tmp_path)]) == 0
    said = capsys.readouterr().out
    for name in ("diffusion", "beam"):
        expected = len(ANIMATIONS[name](Deck("en", short.split(), torch.device("cpu"))).frames)
        assert f"{name}.gif: {expected} frames of {SLIDE_WIDTH} × {SLIDE_HEIGHT}" in said
        with Image.open(tmp_path / f"{name}.gif") as gif:
            assert gif.format == "GIF" and gif.size == (SLIDE_WIDTH, SLIDE_HEIGHT)
            assert gif.n_frames == expected and gif.info.get("loop") == 0
            durations = []
            for i in range(gif.n_frames):
                gif.seek(i)
                durations.append(gif.info["duration"])
        assert durations == [FRAME_MS] * (expected - 1) + [LAST_FRAME_MS]
    assert export.main(["--animate", "nope", "--out", str(tmp_path)]) == 2
