"""Every page's main interaction, for the class scenario (classroom.py), the server's CPU per interaction page
by page (per_page.py) and the benchmark's guard (seqviz/bench/page_cost.py): what a student does
most on each page, with a new input each time (a sentence typed is one the server has not seen in this run; a
slider moves between two values)."""

from __future__ import annotations

from dataclasses import dataclass

from .protocol import Run, Session

ADJECTIVES = ("small", "big", "old", "black", "white")
NOUNS = ("cat", "dog", "horse", "boy", "girl", "mouse")
VERBS = ("sleeps", "runs", "sees the dog", "likes the cat", "sees the old horse")


def fresh_sentence(i: int) -> str:
    """The i-th of 150 different toy-English sentences (every adjective, noun and verb phrase in turn)."""
    adjective = ADJECTIVES[i % len(ADJECTIVES)]
    noun = NOUNS[i // len(ADJECTIVES) % len(NOUNS)]
    verb = VERBS[i // (len(ADJECTIVES) * len(NOUNS)) % len(VERBS)]
    return f"the {adjective} {noun} {verb}"


@dataclass(frozen=True)
class PageInteraction:
    page: str  # the URL path ("Masks"; "" for the home page)
    what: str  # in words, for the reports
    kind: str = "open"  # "open" (the page is only opened), "click", "type" or "slide"
    key: str = ""  # the widget's key
    values: tuple[float, ...] = ()  # a slider's two positions, in turn

    def value(self, i: int):
        """The i-th interaction's input: a new sentence, or the slider's next position."""
        return fresh_sentence(i) if self.kind == "type" else self.values[i % len(self.values)]

    async def on(self, session: Session, i: int) -> Run:
        """The i-th interaction, spoken in Streamlit's protocol."""
        if self.kind == "open":
            return await session.open(self.page)
        if self.kind == "click":
            return await session.click(self.key)
        if self.kind == "type":
            return await session.type(self.key, self.value(i))
        return await session.set_slider(self.key, self.value(i))


PAGES = (
    PageInteraction("", "open the home page"),
    PageInteraction("Lessons", "next step", "click", "les_forward"),
    PageInteraction("Masks", "type a sentence", "type", "sentence"),
    PageInteraction("Autoencoding", "type a sentence", "type", "ae_sentence"),
    PageInteraction("Autoencoders", "type a sentence for ELECTRA", "type", "aef_electra_sentence"),
    PageInteraction("Autoregressive", "next token", "click", "ar_next"),
    PageInteraction("Recurrent", "type a sentence", "type", "rnn_sentence"),
    PageInteraction("Seq2Seq", "type a sentence", "type", "s2s_sentence"),
    PageInteraction("Parallel", "move the iterations slider", "slide", "par_iterations", (9, 10)),
    PageInteraction("Fusions", "type a T5 text", "type", "fu_t5_text"),
    PageInteraction("Diffusion", "new sample", "click", "dif_new"),
    PageInteraction("Pixels", "next image", "click", "pix_new"),
    PageInteraction("Signals", "new series", "click", "sig_fc_draw"),
    PageInteraction("Positions", "move the positions slider", "slide", "pos_positions", (32, 48)),
    PageInteraction("Prompt", "new sequence", "click", "icl_new"),
    PageInteraction("Inside", "move the example slider", "slide", "ins_example", (2, 3)),
    PageInteraction("Explorer", "open the page"),
)
