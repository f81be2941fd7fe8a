"""The Chinese edition is complete: on every page in zh mode, no English is left in the interface —
labels, text, messages, options, table headers, chart titles and axes — apart from model and token text
(the toy language's English and French words, model names, the special tokens) and the standard
technical names that Chinese teaching material writes in Latin letters too."""

from __future__ import annotations

import json
import re

from seqviz.data.induction import SYMBOLS
from seqviz.data.text_to_text import t5_vocab
from seqviz.data.toy_lexicon import EN_WORDS, FR_WORDS
from seqviz.training.recipes import RECIPES

# names and symbols written in Latin letters in Chinese teaching material as well
TECHNICAL = {
    "bert",
    "gpt",
    "rnn",
    "gru",
    "lstm",
    "transformer",
    "transformers",
    "ctc",
    "nat",
    "cmlm",
    "rope",
    "kv",
    "softmax",
    "argmax",
    "bahdanau",
    "vaswani",
    "llama",
    "hugging",
    "face",
    "png",
    "svg",
    "gif",
    "html",
    "javascript",
    "cpu",
    "gpu",
    "cuda",
    "mps",
    "ms",
    "mb",
    "top",
    "id",
    "ids",
    "pe",
    "sin",
    "cos",
    "exp",
    "tanh",
    "python",
    "qk",
    "bos",
    "eos",
    "pad",
    "unk",
    "cls",
    "sep",
    "mask",
    "blank",
    "et",
    "al",
    "utf",
    "utf-8",
    "txt",
    "zip",
    "safetensors",
    "torch",
    "pytorch",
    "thread",
    "threads",
    "mixed",
    "fairseq",
    "kaleido",
    "chromium",
    "streamlit",
    "dropout",
    "seqviz",
    "vs",
    "fp",
    "attention",
    "is",
    "all",
    "you",
    "need",  # paper titles are quoted as published
    "roberta",
    "electra",
    "bart",
    "glat",
    "xlnet",
    "unilm",
    "retro",
    "mdlm",
    "llada",
    "t5",
    "mask-predict",
    "seq2seq",
    "da-transformer",
    "wmt14",
    "top-k",
    "top-p",
    "gpt-2",
    "su",
    "kasai",
    "helcl",
    "gu",
    "ghazvininejad",
    "graves",
    "libovický",
    "devlin",
    "radford",
    "sutskever",
    "min",
    "t5-small",
    "t5-xxl",
    "leviathan",
    "sahoo",
    "nie",
    "pixelcnn",
    "aer",
    "rollout",
    "logit",
    "lens",  # the logit lens, a method's name
    "oord",
    "van",
    "den",
    "tpu",
    "chinchilla",
    "chen",  # speculative decoding's anchors
    "marian",
    "eager",
    "hub",
    "config",
    "json",
    "bert-base-uncased",
    "models",
    "my-bert",  # the explorer's names
    "vae",
    "kl",
    "nll",
    "pca",
    "auc",
    "flops",
    "gflops",
    "bowman",  # the autoencoders' anchors
    "burda",
    "mase",  # the forecasters' names
    "ar",
    "mlp",
    "pinball",
    "nats",  # the unit of a loss in natural log, ln (the prompt page's)
    "ln",
    "elhage",  # induction heads' anchors
    "olsson",
}
TOKENS = {w.lower() for w in (*EN_WORDS, *FR_WORDS, *t5_vocab().tokens, *SYMBOLS)} | {n.lower() for n in RECIPES}
TOKENS |= TECHNICAL  # the induction model's syllables (SYMBOLS) are token text too
LATIN = "A-Za-zÀ-ÖØ-öø-ÿœŒ"
WORD = re.compile(f"[{LATIN}][{LATIN}0-9_'’-]*[{LATIN}0-9]")


def english_left(text: str) -> list[str]:
    """Latin-letter words of two or more letters that are neither token text nor a technical name."""
    cleaned = re.sub(
        r"\d+(\.\d+)?e[-+]\d+|\[[A-Z]+\]|<[a-z/]+>|`[^`]*`|https?://\S+|:material/\w+:|:[a-z]+(-background)?\[",
        " ",
        text,
    )
    return [
        w
        for w in WORD.findall(cleaned)
        if w.lower().strip("'’") not in TOKENS and "_" not in w and not re.fullmatch(r"[A-Za-z]\d*", w)
    ]


def interface_text(at) -> list[str]:
    """Every piece of text the page shows, as the user sees it."""
    texts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "success", "error"):
        texts += [str(e.value) for e in getattr(at, kind)]
    for kind in (
        "button",
        "text_input",
        "text_area",
        "number_input",
        "slider",
        "select_slider",
        "selectbox",
        "radio",
        "checkbox",
        "toggle",
        "multiselect",
    ):
        for widget in getattr(at, kind):
            texts.append(widget.label)
            texts.append(getattr(widget.proto, "help", "") or "")
            texts.append(getattr(widget.proto, "placeholder", "") or "")
            if kind in ("selectbox", "multiselect") and not widget.proto.placeholder and widget.value in (None, []):
                texts.append(BROWSER_PLACEHOLDER)  # what the browser shows in an empty box without one of ours
            texts += [str(o) for o in getattr(widget, "options", [])]
    texts += [str(e.proto.label) for e in at.get("expander")]
    texts += [str(e.proto.label) for e in at.get("tab")]
    for frame in [*at.dataframe, *at.table]:
        texts += [str(c) for c in frame.value.columns]
    for chart in at.get("plotly_chart"):
        texts += chart_titles(json.loads(chart.proto.spec))
    return [t for t in texts if t]


def chart_titles(spec: dict) -> list[str]:
    layout = spec.get("layout", {})
    out = [str(layout.get("title", {}).get("text") or "")]
    for key, value in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            out.append(str((value.get("title") or {}).get("text") or ""))
    out += [str(a.get("text", "")) for a in layout.get("annotations", [])]
    for trace in spec.get("data", []):
        if trace.get("type") != "heatmap" and trace.get("showlegend") is not False:  # a legend entry
            out.append(str(trace.get("name") or ""))
        colorbar = trace.get("colorbar") or {}
        out.append(str((colorbar.get("title") or {}).get("text") or ""))
    return out


BROWSER_PLACEHOLDER = "Choose an option"  # Streamlit's frontend default for an empty select box


def assert_no_english_left(at, script: str) -> None:
    """The page's Chinese interface, as AppTest ran it, has no English left (test_pages_apptest.py runs every
    page in Chinese once and calls this on it)."""
    leftovers = {}
    for text in interface_text(at):
        found = english_left(text)
        if found:
            leftovers[text[:120]] = found
    assert not leftovers, (
        f"English in the zh interface of {script}: {json.dumps(leftovers, ensure_ascii=False, indent=1)}"
    )


def test_the_scanner_finds_english_and_spares_tokens():
    assert english_left("点击 Next token 查看") == ["Next", "token"]
    assert english_left("“the cat sleeps” → “le chat dort”，toy_mlm，[MASK]，Transformer 的注意力") == []


def test_every_interface_string_has_a_chinese_text_without_english():
    """Messages that appear only after an interaction (errors, results, training progress) are covered here:
    every string the interface can show has a zh text, and it holds no English."""
    from seqviz.i18n import CATALOGUES

    en, zh = CATALOGUES["en"], CATALOGUES["zh"]
    missing = [
        key
        for key in en.entries.keys() | zh.entries.keys()
        if key not in en.entries or key not in zh.entries or not all(t.strip() for t in en.shown(key) + zh.shown(key))
    ]
    assert not missing, f"without a zh or en text: {missing}"
    bilingual = {"language"}  # the language switch is labelled in both, so either reader finds it
    english = {
        key: found
        for key in zh.entries
        if key not in bilingual
        and (found := english_left(" ".join(re.sub(r"\{[^}]*\}", " ", text) for text in zh.shown(key))))
    }
    assert not english, f"English left in zh texts: {json.dumps(english, ensure_ascii=False, indent=1)}"
