"""The pixels page: PixelCNN's masked kernels and one pixel's receptive field; a digit drawn one pixel per
click, a row, or to the end, with each pixel's probability; beside it the one-shot rival's samples, and
both models measured on held-out glyphs and timed on this device."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch

from ..data.glyphs import DIGITS, ink_pieces
from ..decoding.pixels import Drawing, blank_drawing, pixel_timing, raster_sample, sample_images
from ..device import describe
from ..models.checkpoint import Checkpoint
from ..models.masks import pixel_kernel_mask, raster_mask
from ..models.pixelcnn import receptive_depth, receptive_field
from ..training.image_evaluation import JUDGE, classify
from ..viz.masks import mask_figure
from ..viz.pixels import (
    KERNEL_COLORS,
    drawing_figure,
    field_states,
    image_grid_figure,
    kernel_states,
    pixel_states_figure,
)
from .figures import show_plotly
from .models import builtin_model
from .page import PageContext

PIXELCNN, ONE_SHOT = "toy_pixelcnn", "pixels_one_shot"
RASTER_SIDE = 4  # the raster-order mask is drawn for a 4×4 image (16 × 16 cells): readable, same rule
SAMPLES_PER_DIGIT = 3  # the rival section's grid: 3 rows of the 10 digits per model
KERNEL_TITLE_KEYS = {"A": "pix_kernel_a", "B": "pix_kernel_b"}
MODE_KEYS = {"sample": "pix_mode_sample", "greedy": "pix_mode_greedy"}
STEP_KEYS = {"pixel": "pix_next_pixel", "row": "pix_next_row", "end": "pix_to_end"}


def models(ctx: PageContext) -> tuple[Checkpoint, Checkpoint, Checkpoint]:
    device = str(ctx.device)
    return builtin_model(PIXELCNN, device), builtin_model(ONE_SHOT, device), builtin_model(JUDGE, device)


# ---- the masks ---------------------------------------------------------------------------------------------


@st.fragment  # a pixel picked redraws this section alone
def masks_section(ctx: PageContext, pixelcnn: Checkpoint) -> None:
    config = pixelcnn.model.config
    kernel_labels = [ctx.t("pix_predicted"), ctx.t("pix_read"), ctx.t("pix_not_read")]
    left, middle, right = st.columns([1, 0.8, 1.6])
    kernels = ((left, "A", config.first_kernel, 0), (middle, "B", 3, 1))  # B hides no pixel from itself
    for column, kind, size, first_state in kernels:
        with column:
            figure = pixel_states_figure(
                kernel_states(pixel_kernel_mask(size, kind).numpy(), kind) - first_state,
                kernel_labels[first_state:],
                ctx.t(KERNEL_TITLE_KEYS[kind], k=size),
                colors=KERNEL_COLORS[first_state:],
                presentation=ctx.presentation,
                cell=None if kind == "A" else (40 if ctx.presentation else 30),  # the small kernel, smaller
                legend_below=True,
            )
            show_plotly(figure, "pixels", f"kernel_{kind}", key=f"pix_kernel_{kind.lower()}")
    with right:
        labels = [f"{r},{c}" for r in range(RASTER_SIDE) for c in range(RASTER_SIDE)]
        figure = mask_figure(
            raster_mask(RASTER_SIDE, RASTER_SIDE).numpy(),
            labels,
            labels,
            ctx.t("pix_raster_title", side=RASTER_SIDE),
            presentation=ctx.presentation,
            x_title=ctx.t("pix_raster_key"),
            y_title=ctx.t("pix_raster_query"),
            allowed_label=ctx.t("pix_raster_allowed"),
            blocked_label=ctx.t("pix_raster_blocked"),
        )
        show_plotly(figure, "pixels", "raster_mask", key="pix_raster")
    st.caption(ctx.t("pix_kernels_caption"))

    st.subheader(ctx.t("pix_field_header"))
    size = config.size
    a, b = st.columns(2)
    row = a.slider(ctx.t("pix_row"), 0, size - 1, size // 2, key="pix_field_row")
    col = b.slider(ctx.t("pix_col"), 0, size - 1, size // 2, key="pix_field_col")
    field = receptive_field(config, row, col).numpy()
    states = field_states(field, row, col)
    figure = pixel_states_figure(
        states,
        [ctx.t("pix_this_pixel"), ctx.t("pix_reaches"), ctx.t("pix_blind_spot"), ctx.t("pix_later")],
        ctx.t("pix_field_title", row=row, col=col),
        presentation=ctx.presentation,
        cell=30 if ctx.presentation else 22,
    )
    show_plotly(figure, "pixels", "receptive_field", str(row), str(col), key="pix_field")
    depth = receptive_depth(config)
    rows, cols = np.indices(states.shape)
    in_window = (rows >= row - depth) & (abs(cols - col) <= depth)  # as far as the stack could reach
    unseen = states == 2
    st.markdown(
        ctx.t(
            "pix_field_counts",
            earlier=row * size + col,
            reaches=int((states == 1).sum()),
            blind=int((unseen & in_window).sum()),
            far=int((unseen & ~in_window).sum()),
            depth=depth,
            layers=config.n_layers + 1,
        )
    )


# ---- drawing one pixel at a time ---------------------------------------------------------------------------


def _drawing_state(digit: int, mode: str, size: int) -> dict:
    """This session's drawing, started afresh when the digit or the mode changes."""
    state = st.session_state.get("pix_drawing")
    if state is None or state["digit"] != digit or state["mode"] != mode:
        state = {"digit": digit, "mode": mode, "seed": 0, "drawing": blank_drawing(1, size)}
        st.session_state.pix_drawing = state
    return state


def _advance(model, how: str) -> None:
    """Draw the next pixel, the rest of the current row, or everything left (a button's callback)."""
    state = st.session_state.pix_drawing
    drawing: Drawing = state["drawing"]
    size = model.config.size
    left_in_row = size - drawing.drawn % size
    count = {"pixel": 1, "row": left_in_row, "end": None}[how]
    generator = torch.Generator().manual_seed(state["seed"] * 100_003 + drawing.drawn)  # same clicks, same image
    device = next(model.parameters()).device
    start = Drawing(drawing.images.to(device), drawing.probabilities.to(device), drawing.drawn, 0)
    labels = torch.tensor([state["digit"]], device=device)
    new = raster_sample(model, labels, start, count, state["mode"] == "greedy", generator)
    state["drawing"] = Drawing(new.images.cpu(), new.probabilities.cpu(), new.drawn, new.passes)


def _restart(size: int, new_seed: bool) -> None:
    state = st.session_state.pix_drawing
    state["seed"] += new_seed
    state["drawing"] = blank_drawing(1, size)


@st.fragment  # the drawing's buttons redraw this section alone
def drawing_section(ctx: PageContext, pixelcnn: Checkpoint, classifier: Checkpoint) -> None:
    model, size = pixelcnn.model, pixelcnn.model.config.size
    left, right = st.columns([1.3, 1])
    digit = left.segmented_control(
        ctx.t("pix_digit"), DIGITS, default=3, required=True, key="pix_digit", format_func=str
    )
    mode = right.segmented_control(
        ctx.t("pix_mode"),
        list(MODE_KEYS),
        default="sample",
        required=True,
        format_func=lambda m: ctx.t(MODE_KEYS[m]),
        key="pix_mode",
    )
    state = _drawing_state(digit, mode, size)
    drawing: Drawing = state["drawing"]
    finished = drawing.drawn == size * size
    buttons = st.columns(5)
    for column, (how, key) in zip(buttons, STEP_KEYS.items(), strict=False):
        column.button(
            ctx.t(key), on_click=_advance, args=(model, how), disabled=finished, key=f"pix_step_{how}", width="stretch"
        )
    buttons[3].button(ctx.t("pix_restart"), on_click=_restart, args=(size, False), key="pix_restart", width="stretch")
    buttons[4].button(
        ctx.t("pix_new_drawing"),
        icon=":material/casino:",
        on_click=_restart,
        args=(size, True),
        disabled=mode == "greedy",
        key="pix_new",
        width="stretch",
    )
    figure = drawing_figure(
        drawing.images[0].numpy(),
        drawing.probabilities[0].numpy(),
        drawing.drawn,
        ctx.t("pix_drawing_title", digit=digit, drawn=drawing.drawn, total=size * size),
        presentation=ctx.presentation,
        image_title=ctx.t("pix_image_so_far"),
        probability_title=ctx.t("pix_p_when_drawn"),
        next_label=ctx.t("pix_next_label"),
    )
    show_plotly(figure, "pixels", "drawing", str(digit), key="pix_drawing_figure")
    if drawing.drawn:
        row, col = divmod(drawing.drawn - 1, size)
        p = float(drawing.probabilities[0, row, col])
        ink = bool(drawing.images[0, row, col])
        st.markdown(
            ctx.t(
                "pix_last_pixel",
                row=row,
                col=col,
                p=p,
                drawn=ctx.t("pix_ink" if ink else "pix_paper"),
                passes=drawing.drawn,
            )
        )
    else:
        st.markdown(ctx.t("pix_blank"))
    if finished:
        named = int(classify(classifier.model, drawing.images.to(ctx.device))[0])
        pieces = ink_pieces(drawing.images[0].numpy())
        st.markdown(
            ctx.t(
                "pix_finished",
                named=named,
                verdict=ctx.t("pix_named_right" if named == digit else "pix_named_wrong", digit=digit),
                pieces=pieces,
            )
        )


# ---- the rival ---------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=8)
def _samples(seed: int, device: str) -> dict:
    """Both models' samples of every digit (SAMPLES_PER_DIGIT each) and what the classifier says of them;
    shared read-only by every session that asks for the same seed."""
    labels = torch.tensor(DIGITS, device=device).repeat(SAMPLES_PER_DIGIT)
    judge = builtin_model(JUDGE, device).model
    out = {}
    for name in (PIXELCNN, ONE_SHOT):
        images = sample_images(builtin_model(name, device).model, labels, seed=seed).images
        out[name] = {
            "images": images.cpu().numpy(),
            "recognised": int((classify(judge, images) == labels).sum()),
            "one_piece": sum(ink_pieces(image) == 1 for image in images.cpu().numpy()),
        }
    rival = builtin_model(ONE_SHOT, device).model
    blank = torch.zeros(len(DIGITS), rival.config.size, rival.config.size, dtype=torch.long, device=device)
    out["marginals"] = torch.sigmoid(rival(blank, torch.tensor(DIGITS, device=device)).logits).cpu().numpy()
    out["n"] = len(labels)
    return out


def _new_samples() -> None:
    st.session_state.pix_seed = st.session_state.get("pix_seed", 0) + 1


@st.fragment  # new samples redraw this section alone
def rival_section(ctx: PageContext) -> None:
    st.button(ctx.t("pix_new_samples"), icon=":material/casino:", on_click=_new_samples, key="pix_new_samples")
    seed = st.session_state.get("pix_seed", 0)
    with st.spinner(ctx.t("pix_sampling")):
        samples = _samples(seed, str(ctx.device))
    digit_labels = [str(d) for d in DIGITS]
    # side by side on a laptop; one under the other on a projector, where the pixels must be large
    places = [st.container(), st.container()] if ctx.presentation else st.columns(2)
    titles = {PIXELCNN: "pix_pixelcnn_samples", ONE_SHOT: "pix_one_shot_samples"}
    for column, name in zip(places, (PIXELCNN, ONE_SHOT), strict=True):
        with column:
            figure = image_grid_figure(
                samples[name]["images"],
                len(DIGITS),
                ctx.t(titles[name]),
                column_labels=digit_labels,
                presentation=ctx.presentation,
            )
            show_plotly(figure, "pixels", name, "samples", str(seed), key=f"pix_{name}_grid")
            st.markdown(
                ctx.t(
                    "pix_live_counts",
                    recognised=samples[name]["recognised"],
                    pieces=samples[name]["one_piece"],
                    n=samples["n"],
                )
            )
    figure = image_grid_figure(
        samples["marginals"],
        len(DIGITS),
        ctx.t("pix_marginals_title"),
        column_labels=digit_labels,
        presentation=ctx.presentation,
        probabilities=True,
    )
    show_plotly(figure, "pixels", "one_shot_probabilities", key="pix_marginals")
    st.markdown(ctx.t("pix_multimodality"))


@st.cache_resource(show_spinner=False, max_entries=4)
def _timings(device: str) -> dict:
    """Time per image on this device, measured once per server and device (shared read-only)."""
    return pixel_timing(builtin_model(PIXELCNN, device).model, builtin_model(ONE_SHOT, device).model, device)


def measured_section(ctx: PageContext, pixelcnn: Checkpoint, one_shot: Checkpoint, classifier: Checkpoint) -> None:
    with st.spinner(ctx.t("pix_timing_spinner")):
        timings = _timings(str(ctx.device))
    rows = []
    for name, ckpt, key in ((PIXELCNN, pixelcnn, "pix_pixelcnn"), (ONE_SHOT, one_shot, "pix_one_shot")):
        m = ckpt.metrics
        rows.append(
            {
                ctx.t("pix_model"): ctx.t(key),
                ctx.t("pix_bits"): f"{m['bits_per_pixel']:.3f}",
                ctx.t("pix_recognised"): f"{m['recognised']:.1%}",
                ctx.t("pix_recognised_greedy"): f"{m['recognised_greedy']:.1%}",
                ctx.t("pix_one_piece"): f"{m['one_piece']:.1%}",
                ctx.t("pix_passes"): m["forward_passes_per_image"],
                ctx.t("pix_ms"): f"{timings['pixelcnn' if name == PIXELCNN else 'one_shot'].median_ms:.1f}",
            }
        )
    st.table(pd.DataFrame(rows), hide_index=True)
    m = pixelcnn.metrics
    timing = timings["pixelcnn"]
    st.caption(
        ctx.t(
            "pix_measured_method",
            samples=m["samples"],
            test=m["test_images"],
            accuracy=classifier.metrics["accuracy"],
            real=m["one_piece_test"],
            repeats=timing.repeats,
            warmup=timing.warmup,
            device=describe(ctx.device),
        )
    )
