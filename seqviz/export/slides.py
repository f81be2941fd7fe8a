"""The slide pack's figures: the app's key figures rebuilt headlessly for one sentence, at 16:9, in English or
Chinese. Models and a sentence in, plotly figures out; writing the files is `__main__`'s job."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
import torch

from ..decoding.autoregressive import (
    StepRecord,
    beam_labels,
    beam_search,
    best_path,
    decode_step,
    sampling_processors,
    shown_candidates,
)
from ..decoding.diffusion import denoising_grid, diffuse, masked_start
from ..decoding.parallel import iteration_grid, mask_predict
from ..decoding.pixels import sample_images
from ..decoding.processors import text_suppressor
from ..decoding.seq2seq import word_attention_maps
from ..decoding.speed import METHOD_NAME_KEYS, decoding_speeds
from ..device import describe
from ..explain.alignment import example_maps
from ..models.masks import MASK_TITLE_KEYS, example_order, mask_gallery
from ..models.probe import self_attention
from ..training.recipes import RECIPES
from ..viz.attention import attention_heatmap, head_score_heatmap
from ..viz.beam import beam_tree
from ..viz.generation import distribution_before_after
from ..viz.masks import gallery_figures
from ..viz.parallel import mask_predict_figure, speed_chart
from ..viz.pixels import image_grid_figure
from .autoencoder_slides import bart_denoising, electra_detection, vae_posteriors
from .code_slides import the_mask_in_code
from .deck import (
    BEAM_STEPS,
    BEAM_WIDTH,
    FOOT_LEGEND,
    ITERATIONS,
    MASK_LEGEND,
    SECOND_SENTENCE,
    TOP_K,
    Deck,
    Slide,
    fitted,
    panel_heatmap,
    panels,
)
from .fusion_slides import retro_neighbours, t5_prefixes, unilm_masks, xlnet_streams
from .prompt_slides import phase_change
from .recurrent_slides import recall_over_distance, vanishing_gradient
from .signal_slides import forecast_errors, speech_posteriors


def mask_slide(deck: Deck, names: tuple[str, ...], columns: int, title: str, axes: str) -> go.Figure:
    gallery = mask_gallery(
        deck.words, deck.target, SECOND_SENTENCE, min(2, len(deck.words)), example_order(len(deck.words))
    )
    figures = gallery_figures(
        gallery,
        {name: deck.t(MASK_TITLE_KEYS[name]) for name in names},
        names,
        presentation=True,
        x_title="",
        y_title="",
        allowed_label=deck.t("allowed"),
        blocked_label=deck.t("blocked"),
    )
    grid = panels(list(figures.values()), columns, legend=MASK_LEGEND, h_gap=0.06)
    return fitted(grid, deck.t(title), deck.t(axes))


def masks_self(deck: Deck) -> go.Figure:
    names = ("bidirectional", "causal", "prefix_lm", "permutation")
    return mask_slide(deck, names, 4, "slide_masks_self_title", "slide_masks_self_axes")


def masks_seq2seq(deck: Deck) -> go.Figure:
    names = ("encoder_self", "decoder_self", "cross", "nar_decoder", "padding")
    return mask_slide(deck, names, 5, "slide_masks_seq2seq_title", "slide_masks_seq2seq_axes")


def attention_bidirectional_causal(deck: Deck) -> go.Figure:
    mlm, clm = deck.model("toy_mlm"), deck.model("toy_clm")
    mlm_ids = [mlm.vocab.cls_id, *mlm.vocab.encode(deck.words), mlm.vocab.sep_id]
    clm_ids = [clm.vocab.bos_id, *clm.vocab.encode(deck.words)]
    bidirectional = self_attention(mlm.model, mlm_ids)[-1].mean(0)  # (T+2, T+2)
    causal = self_attention(clm.model, clm_ids)[-1].mean(0)  # (T+1, T+1)
    future = np.triu(np.ones(causal.shape, bool), 1)
    common = {"presentation": True, "colorbar_title": deck.t("weight"), "show_values": False, **deck.axes()}
    mlm_labels, clm_labels = mlm.vocab.decode(mlm_ids), clm.vocab.decode(clm_ids)
    figures = [
        attention_heatmap(bidirectional, mlm_labels, mlm_labels, deck.t("slide_attention_mlm"), **common),
        attention_heatmap(
            causal,
            clm_labels,
            clm_labels,
            deck.t("slide_attention_clm"),
            masked=future,
            masked_label=deck.t("blocked"),
            **common,
        ),
    ]
    return fitted(panels(figures, 2, h_gap=0.14), deck.t("slide_attention_title"), deck.t("slide_attention_axes"))


def prompt_of(deck: Deck, vocab) -> tuple[list[int], str]:
    words = deck.words[: min(2, len(deck.words))]
    return [vocab.bos_id, *vocab.encode(words)], " ".join(words)


def next_word(deck: Deck, temperature: float = 1.0, top_k: int = TOP_K) -> tuple[StepRecord, go.Figure]:
    """toy_clm's next word after the deck's prompt: the distribution before and after temperature and top-k,
    and the word sampled from it (seeded)."""
    clm = deck.model("toy_clm")
    vocab = clm.vocab
    prompt, _ = prompt_of(deck, vocab)
    processors = [text_suppressor(vocab), *sampling_processors(temperature, top_k, 1.0)]
    record = decode_step(
        clm.model,
        torch.tensor(prompt, device=deck.device),
        processors,
        greedy=False,
        generator=torch.Generator().manual_seed(0),
    )
    top = shown_candidates(record.probs_before.cpu(), record.token_id, 8)
    fig = distribution_before_after(
        vocab.decode(top),
        record.probs_before[top].tolist(),
        record.probs_after[top].tolist(),
        chosen=vocab.token(record.token_id),
        presentation=True,
        before_label=deck.t("ar_before"),
        after_label=deck.t("ar_after"),
        x_title=deck.t("ae_probability"),
    )
    return record, fig


def ar_step(deck: Deck) -> go.Figure:
    _, shown = prompt_of(deck, deck.model("toy_clm").vocab)
    fig = next_word(deck)[1]
    return fitted(fig, deck.t("slide_step_title", prompt=shown, k=TOP_K), deck.t("slide_step_axes"))


def beam(deck: Deck) -> go.Figure:
    clm = deck.model("toy_clm")
    prompt, shown = prompt_of(deck, clm.vocab)
    result = beam_search(
        clm.model, torch.tensor(prompt, device=deck.device), BEAM_WIDTH, BEAM_STEPS, 1.0, clm.vocab.eos_id
    )
    fig = beam_tree(
        result.nodes,
        beam_labels(result, clm.vocab, prompt),
        presentation=True,
        kept_label=deck.t("ar_kept"),
        pruned_label=deck.t("ar_pruned"),
        finished_label=deck.t("ar_finished_node"),
        best_path=best_path(result),
        x_title=deck.t("ar_beam_steps"),
        pruned_text=False,
    )  # a printed tree has no hover
    return fitted(fig, deck.t("slide_beam_title", prompt=shown, width=BEAM_WIDTH), deck.t("slide_beam_axes"))


def cross_attention(deck: Deck) -> go.Figure:
    ckpt = deck.model("toy_transformer_mt")
    output = deck.translation
    cross = word_attention_maps(ckpt.model, ckpt.vocab, deck.words, output).cross[-1].mean(0)  # (T+1, S)
    fig = attention_heatmap(
        cross,
        [*output, "<eos>"],
        deck.words,
        presentation=True,
        x_title=deck.t("s2s_source"),
        y_title=deck.t("s2s_target"),
        colorbar_title=deck.t("weight"),
    )
    return fitted(fig, deck.t("slide_cross_title"), deck.t("slide_cross_axes"))


def alignment(deck: Deck) -> go.Figure:
    target = deck.target
    rows = [*target, "<eos>"]
    bahdanau, transformer = deck.model("toy_bahdanau_mt"), deck.model("toy_transformer_mt")
    additive = word_attention_maps(bahdanau.model, bahdanau.vocab, deck.words, target).cross[0][0]  # (T+1, S)
    cross = word_attention_maps(transformer.model, transformer.vocab, deck.words, target).cross[-1].mean(0)
    common = {
        "presentation": True,
        "colorbar_title": deck.t("weight"),
        "show_values": False,
        "x_title": deck.t("s2s_source"),
        "y_title": deck.t("s2s_target"),
    }
    figures = [
        attention_heatmap(additive, rows, deck.words, deck.t("s2s_bahdanau_title"), **common),
        attention_heatmap(cross, rows, deck.words, deck.t("s2s_transformer_title"), **common),
    ]
    return fitted(panels(figures, 2, h_gap=0.16), deck.t("slide_alignment_title"), deck.t("slide_alignment_axes"))


def mask_predict_iterations(deck: Deck) -> go.Figure:
    ckpt = deck.model("cmlm_distilled")
    vocab = ckpt.vocab
    src = torch.tensor(vocab.encode(deck.words), device=deck.device)
    result = mask_predict(ckpt.model, src[None], vocab.mask_id, ITERATIONS)
    ids, confidence, remasked = iteration_grid(result.iterations, vocab.pad_id)
    fig = mask_predict_figure(
        [vocab.decode(row) for row in ids],
        confidence,
        remasked,
        presentation=True,
        x_title=deck.t("par_position"),
        y_title=deck.t("par_iteration"),
        colorbar_title=deck.t("par_confidence"),
    )
    return fitted(fig, deck.t("slide_mask_predict_title"), deck.t("slide_mask_predict_axes"))


def diffusion_steps(deck: Deck) -> go.Figure:
    """The masked diffusion LM writing a sentence of the deck sentence's length from all [MASK], one word per
    step, the surest first (seeded)."""
    ckpt = deck.model("toy_diffusion")
    n = len(deck.words)
    start = masked_start([n], ckpt.vocab).to(deck.device)
    result = diffuse(ckpt.model, start, ckpt.vocab, n, "confidence", generator=torch.Generator().manual_seed(0))
    tokens, confidence, revealed = denoising_grid(result, ckpt.vocab)
    fig = mask_predict_figure(
        tokens,
        confidence,
        revealed,
        presentation=True,
        x_title=deck.t("dif_position"),
        y_title=deck.t("dif_step"),
        colorbar_title=deck.t("par_confidence"),
    )
    return fitted(fig, deck.t("slide_diffusion_title"), deck.t("slide_diffusion_axes"))


def pixels_vs_one_shot(deck: Deck) -> go.Figure:
    """Three seeded samples of every digit from PixelCNN (pixel by pixel) and from the one-shot rival."""
    labels = torch.arange(10, device=deck.device).repeat(3)
    grids = [
        image_grid_figure(
            sample_images(deck.model(name).model, labels, seed=0).images.cpu().numpy(),
            10,
            deck.t(title),
            column_labels=[str(d) for d in range(10)],
            presentation=True,
        )
        for name, title in (("toy_pixelcnn", "pix_pixelcnn"), ("pixels_one_shot", "pix_one_shot"))
    ]
    return fitted(panels(grids, 2, h_gap=0.06), deck.t("slide_pixels_title"), deck.t("slide_pixels_axes"))


def heads_against_truth(deck: Deck) -> go.Figure:
    """The translator's cross-attention heads scored against the grammar's links (the recorded held-out
    scores), then the deck sentence under the truth and under the best head."""
    ckpt = deck.model("toy_transformer_mt")
    scores = ckpt.metrics["cross_attention_alignment"]
    accuracy = np.array(scores["head_accuracy"])  # (layers, heads)
    layer, head = scores["best_head"]
    figures = [
        head_score_heatmap(
            accuracy,
            [f"L{i + 1}" for i in range(accuracy.shape[0])],
            [f"H{i + 1}" for i in range(accuracy.shape[1])],
            deck.t("slide_heads_scores", n=scores["pairs"]),
            presentation=True,
            x_title="",
            y_title="",
            colorbar_title=deck.t("ins_accuracy"),
        )
    ]
    if deck.is_grammatical:  # the truth is known for a grammatical sentence
        maps = example_maps(ckpt.model, ckpt.vocab, deck.words, deck.target, scores["best_head"])
        figures.append(panel_heatmap(deck, maps["truth"], deck.target, deck.words, deck.t("ins_panel_truth")))
        title = deck.t("ins_panel_head", layer=layer, head=head)
        figures.append(panel_heatmap(deck, maps["head"], deck.target, deck.words, title))
    axes = deck.t("slide_heads_axes") if len(figures) > 1 else deck.t("slide_heads_axes_only")
    return fitted(panels(figures, len(figures), h_gap=0.08), deck.t("slide_heads_title"), axes)


def speed(deck: Deck) -> go.Figure:
    size = {k: v for k, v in RECIPES["toy_transformer_mt"].model.items() if k not in ("max_len", "dropout")}
    vocab_size = len(deck.model("toy_transformer_mt").vocab)
    rows = decoding_speeds(
        size, vocab_size, deck.speed_lengths, deck.speed_batches, device=deck.device, repeats=deck.speed_repeats
    )
    names = {m: deck.t(key, t=ITERATIONS) for m, key in METHOD_NAME_KEYS.items()}
    figures = [
        speed_chart(
            deck.speed_lengths,
            {m: [r.median_ms for r in rows if r.method == m and r.batch == batch] for m in METHOD_NAME_KEYS},
            names,
            deck.t("par_speed_title", b=batch),
            presentation=True,
            x_title=deck.t("par_speed_x"),
            y_title=deck.t("par_speed_y"),
        )
        for batch in deck.speed_batches
    ]
    grid = panels(figures, len(figures), legend=FOOT_LEGEND, h_gap=0.1)
    grid.update_layout(margin={"b": 110})
    measured = deck.t("slide_speed_measured", device=describe(deck.device), repeats=deck.speed_repeats)
    return fitted(grid, deck.t("slide_speed_title"), f"{deck.t('slide_speed_axes')} · {measured}")


# (file stem, builder, "what to look at" key): the order of a lesson
SLIDES: tuple[tuple[str, Callable[[Deck], go.Figure], str], ...] = (
    ("01_masks_self_attention", masks_self, "slide_masks_self_look"),
    ("02_masks_encoder_decoder", masks_seq2seq, "slide_masks_seq2seq_look"),
    ("03_attention_bidirectional_vs_causal", attention_bidirectional_causal, "slide_attention_look"),
    ("04_autoregressive_step", ar_step, "slide_step_look"),
    ("05_beam_search_tree", beam, "slide_beam_look"),
    ("06_cross_attention", cross_attention, "slide_cross_look"),
    ("07_bahdanau_vs_transformer", alignment, "slide_alignment_look"),
    ("08_mask_predict_iterations", mask_predict_iterations, "slide_mask_predict_look"),
    ("09_speed_vs_length", speed, "slide_speed_look"),
    ("10_unilm_one_network_three_masks", unilm_masks, "slide_unilm_look"),
    ("11_xlnet_two_streams", xlnet_streams, "slide_xlnet_look"),
    ("12_t5_one_model_two_prefixes", t5_prefixes, "slide_t5_look"),
    ("13_retro_reads_its_datastore", retro_neighbours, "slide_retro_look"),
    ("14_masked_diffusion_steps", diffusion_steps, "slide_diffusion_look"),
    ("15_pixelcnn_vs_one_shot", pixels_vs_one_shot, "slide_pixels_look"),
    ("16_which_heads_align", heads_against_truth, "slide_heads_look"),
    ("17_recurrent_vanishing_gradient", vanishing_gradient, "slide_rnn_look"),
    ("18_electra_replaced_token_detection", electra_detection, "slide_electra_look"),
    ("19_bart_denoising", bart_denoising, "slide_bart_look"),
    ("20_vae_posterior_collapse", vae_posteriors, "slide_vae_look"),
    ("21_forecast_recursive_vs_direct", forecast_errors, "slide_forecast_look"),
    ("22_ctc_on_speech", speech_posteriors, "slide_ctc_speech_look"),
    ("23_recall_over_distance", recall_over_distance, "slide_recall_look"),
    ("24_induction_heads", phase_change, "slide_icl_look"),
    ("25_the_mask_in_code", the_mask_in_code, "slide_code_look"),
)


def build_slides(deck: Deck, only: Callable[[str], bool] = lambda name: True):
    """Yield each slide in lesson order (a generator, so a caller can write each as soon as it is ready)."""
    for name, build, look in SLIDES:
        if only(name):
            values = {"width": BEAM_WIDTH, "device": describe(deck.device), "repeats": deck.speed_repeats}
            yield Slide(name, build(deck), deck.t(look, **values))
