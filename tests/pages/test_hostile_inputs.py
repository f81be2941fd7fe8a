"""Hostile-input sweep: every widget of every page, through AppTest. Text widgets get each of HOSTILE_TEXTS,
number inputs and sliders their extremes, select boxes and segmented controls every option, buttons a
click. No run may raise; the app answers with a message or ignores what it cannot use. The sidebar's own
choices (language, device), the same on every page, are swept on the home page; every page's Chinese run
is tests/pages/test_pages_apptest.py's."""

from __future__ import annotations

import pytest

from seqviz.data.series import FAMILIES
from seqviz.training.forecast_evaluation import METHOD_NAME_KEYS
from seqviz.ui.page import PAGES
from tests.pages.apptest_helpers import all_text, open_page

HOSTILE_TEXTS = {
    "empty": "",
    "whitespace": " \t\n  ",
    "5,000 characters": ("the cat sees the dog " * 250)[:5000],
    "Chinese": "猫在睡觉，狗在跑",
    "emoji": "the 🐱 sleeps 😴🔥",
    "right-to-left": "القط ينام \u202eevil\u202c",
    "HTML/script": "<script>alert('x')</script><b>bold</b><img src=x onerror=alert(1)>",
    "control bytes": "the\x00cat\x07sleeps\x1b[31m\r\x7f",
    "many [MASK]s": " ".join(["[MASK]"] * 60),
    "unknown words": "the zebra quantum flibbertigibbet",
    "format strings": "{0} {lang} {} %s %(x)s {{}} %d $(rm -rf /)",
}
SCRIPTS = [path for path, *_ in PAGES]
TEXT_KINDS = ("text_input", "text_area")
CHOICE_KINDS = ("selectbox", "radio", "segmented_control", "select_slider")


def _widgets(at, kind: str):
    try:
        return list(getattr(at, kind))
    except (AttributeError, KeyError):
        return []


def _find(at, kind: str, label: str):
    return next((w for w in _widgets(at, kind) if w.label == label), None)


def _check(at, where: str) -> None:
    assert not at.exception, f"{where}: {at.exception}"
    assert "Traceback" not in all_text(at), where


@pytest.fixture(autouse=True)
def _short_long_runs(monkeypatch):
    """The speed and KV-cache buttons measure for minutes, live training runs 10–60 s and the Inside page's
    drop maps are measured again on a hundred held-out pairs (15 s): small grids, one-second training and
    ten pairs exercise the same code paths. (Nothing cached is patched: the page's shared caches stay true.)"""
    from seqviz.ui import autoregressive, charlm, inside, parallel

    monkeypatch.setattr(parallel, "SPEED_LENGTHS", (4,))
    monkeypatch.setattr(parallel, "SPEED_BATCHES", (1,))
    monkeypatch.setattr(parallel, "RATIO_LENGTH", 4)
    measure = autoregressive.measure_kv_cache
    monkeypatch.setattr(autoregressive, "measure_kv_cache", lambda device: measure(device, (16, 32)))
    train = charlm._train_both
    monkeypatch.setattr(charlm, "_train_both", lambda ctx, text, seconds: train(ctx, text, 1))

    def drop_maps_on_fewer_pairs(name: str, device: str) -> dict:
        ckpt = inside.builtin_model(name, device)
        return inside.head_ablation_maps(ckpt.model, inside._measures(ckpt, name, held_out=10))

    monkeypatch.setattr(inside, "_recomputed_maps", drop_maps_on_fewer_pairs)


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_text_widget_survives_hostile_text(script):
    at = open_page(script)
    labels = [(kind, w.label) for kind in TEXT_KINDS for w in _widgets(at, kind)]
    for n, (kind, label) in enumerate(labels):
        if n:
            at = open_page(script)  # fresh: an earlier value may hide other sections
        for name, value in HOSTILE_TEXTS.items():
            widget = _find(at, kind, label)
            assert widget is not None, f"{script}: {label!r} disappeared after earlier input"
            widget.set_value(value).run()
            _check(at, f"{script}, {label!r} <- {name}")


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_number_slider_choice_and_button(script):
    at = open_page(script)
    for kind in ("number_input", "slider"):
        for label in [w.label for w in _widgets(at, kind)]:
            for end in ("min", "max"):
                widget = _find(at, kind, label)
                if widget is None:
                    continue
                value = getattr(widget, end)
                if isinstance(widget.value, (tuple, list)):
                    value = (value, value)
                widget.set_value(value).run()
                _check(at, f"{script}, {label!r} <- {end} {value}")
    for kind in CHOICE_KINDS:
        for label in [w.label for w in _widgets(at if script == "app.py" else at.main, kind)]:
            count = len(_find(at, kind, label).options)
            for index in range(count):
                widget = _find(at, kind, label)
                if widget is None or widget.disabled:  # a user cannot change a disabled widget either
                    break
                option = widget.options[index]
                if kind == "selectbox":
                    widget.select_index(index).run()
                else:
                    widget.set_value(_option_value(widget, option)).run()
                _check(at, f"{script}, {label!r} <- option {option!r}")
    at = open_page(script)
    for label in [w.label for w in _widgets(at, "button")]:
        widget = _find(at, "button", label)
        if widget is None or widget.disabled:  # a user cannot click a disabled button either
            continue
        widget.click().run()
        _check(at, f"{script}, button {label!r}")


KNOWN_VALUES = (
    "raw",
    "distilled",
    "builtin",
    "paste",
    "upload",
    "en",
    "zh",
    "parallel",
    "confident_first",
    "greedy",
    "sampling",
    "reverse",
    "sort",
    "ae_one_head",
    "ae_mean_heads",
    "ae_all_heads",
    "bidirectional",
    "causal",
    "seq2seq",
    "retrieved",
    "random",
    "none",
    "nothing",
    "infill",
    "confidence",
    "blocks",
    "sample",
    "toy_transformer_mt",
    "toy_mlm",
    "mask",  # the autoencoders page: BART's noises, the VAEs, the latent map's colours
    "delete",
    "shuffle",
    "toy_vae",
    "toy_vae_unannealed",
    "toy_ae",
    "subject_number",
    "length",
    "negation",
    "accuracy",
    "right_share",
    "trained",
    "initial",
    "toy_rnn_lm",
    "toy_lstm_lm",
    "toy_gru_lm",
    *FAMILIES,  # the signals page: the series' families and the forecasting methods
    *METHOD_NAME_KEYS,
)  # shown translated


def _option_value(widget, option: str):
    """The raw value behind a shown option (AppTest lists options as shown, after the page's format_func)."""
    candidates = [option, *KNOWN_VALUES]
    for convert in (int, float):
        try:
            candidates.append(convert(option))
        except ValueError:
            pass

    def shows_as(candidate) -> bool:
        try:
            return str(widget.format_func(candidate)) == option
        except (KeyError, ValueError, TypeError, IndexError):  # the page's format_func knows only its own values
            return False

    found = next((c for c in candidates if shows_as(c)), None)
    assert found is not None, f"no raw value for option {option!r} of {widget.label!r}: add it to KNOWN_VALUES"
    return found
