"""`python -m seqviz.export --out DIR [--lang en|zh] [--sentence "..."]`: the slide pack.
`python -m seqviz.export --html DIR [--lang en|zh] [--sentence "..."] [--lessons masks ar ...]`: the lessons,
each as one HTML file that opens in any browser with no server and no internet.

Writes each key figure as NN_name.png (1920 × 1080) and NN_name.svg (1280 × 720, vector), plus index.md with
what to look at on each slide. With `--animate [NAME ...]` it writes animated GIFs of decoding step by step
instead (all of them, or the named ones: ar_generation, beam, mask_predict, diffusion), 1280 × 720, each frame
shown 0.9 s and the last 3 s. Rendering goes through kaleido, which drives a Chromium-family browser; without
one the command stops with a message saying what to install.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

from ..device import describe, pick_device
from ..i18n import LANGUAGES
from ..lessons import LESSONS
from ..lessons.html_file import SIZE_BUDGET, built_parts, file_name, lesson_html, lessons_index
from ..viz.static_export import export_session, static_export_available, to_png_bytes, to_svg_bytes
from .animation import ANIMATIONS, gif_bytes
from .deck import DEFAULT_SENTENCE, PNG_SCALE, SLIDE_HEIGHT, SLIDE_WIDTH, Deck, sentence_words
from .slides import SLIDES, build_slides

NO_BROWSER = (
    "seqviz.export needs the 'kaleido' package and a Chromium-family browser to draw the figures "
    "(pip install kaleido; Debian/Ubuntu: apt-get install chromium; or set BROWSER_PATH to a Chrome or "
    "Chromium executable)."
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m seqviz.export", description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, help="folder for the slide images (created if missing)")
    target.add_argument(
        "--html", type=Path, help="folder for the lesson files, one self-contained .html per lesson, and index.html"
    )
    parser.add_argument(
        "--lessons", nargs="+", metavar="ID", help=f"with --html: only these lessons ({', '.join(LESSONS)})"
    )
    parser.add_argument("--lang", choices=sorted(LANGUAGES), default="en", help="language of titles and labels")
    parser.add_argument(
        "--sentence", default=DEFAULT_SENTENCE, help=f"an English toy sentence (default: {DEFAULT_SENTENCE!r})"
    )
    parser.add_argument("--device", default="auto", help="auto, cpu or cuda (default: auto)")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="render only slides whose name contains one of these")
    parser.add_argument(
        "--speed-lengths",
        type=int,
        nargs="+",
        default=[8, 16, 32, 64],
        metavar="N",
        help="target lengths of the speed slide (default: 8 16 32 64)",
    )
    parser.add_argument(
        "--speed-repeats", type=int, default=3, help="timed runs per point, after a warm-up (default: 3)"
    )
    parser.add_argument(
        "--animate",
        nargs="*",
        metavar="NAME",
        help=f"write animated GIFs instead of slides: all, or the named ones ({', '.join(ANIMATIONS)})",
    )
    return parser.parse_args(argv)


def write_index(out: Path, deck: Deck, written: list[tuple[str, str]], sentence: str) -> None:
    lines = [
        f"# {deck.t('slide_index_title')}",
        "",
        deck.t(
            "slide_index_intro",
            sentence=sentence,
            date=time.strftime("%Y-%m-%d"),
            device=describe(deck.device),
            width=SLIDE_WIDTH,
            height=SLIDE_HEIGHT,
        ),
        "",
    ]
    for name, look in written:
        lines += [f"## {name}", "", f"![{name}]({name}.png) · [SVG]({name}.svg)", "", look, ""]
    (out / "index.md").write_text("\n".join(lines), encoding="utf-8")


def write_animations(args: argparse.Namespace, words: list[str], device) -> int:
    unknown = [name for name in args.animate if name not in ANIMATIONS]
    if unknown:
        print(f"seqviz.export: no animation {', '.join(unknown)}; names: {', '.join(ANIMATIONS)}", file=sys.stderr)
        return 2
    deck = Deck(args.lang, words, device)
    start = time.perf_counter()
    with torch.no_grad():
        for name in args.animate or ANIMATIONS:
            animation = ANIMATIONS[name](deck)
            (args.out / f"{name}.gif").write_bytes(gif_bytes(animation))
            width, height = animation.size
            print(
                f"  {name}.gif: {len(animation.frames)} frames of {width} × {height}, "
                f"{animation.frame_ms} ms each, the last {animation.last_frame_ms} ms"
            )
    print(f"animations in {args.out} ({time.perf_counter() - start:.0f} s, {describe(device)})")
    return 0


def write_lessons(args: argparse.Namespace, words: list[str], device) -> int:
    """One HTML file per lesson, and index.html linking them (for a USB stick); each file's size is printed."""
    chosen = args.lessons or list(LESSONS)
    unknown = [name for name in chosen if name not in LESSONS]
    if unknown:
        print(f"seqviz.export: no lesson {', '.join(unknown)}; lessons: {', '.join(LESSONS)}", file=sys.stderr)
        return 2
    args.html.mkdir(parents=True, exist_ok=True)
    deck = Deck(args.lang, words, device)
    t, made, sentence = deck.t, time.strftime("%Y-%m-%d"), " ".join(words)
    written, start = [], time.perf_counter()
    with torch.no_grad():  # not inference mode: a lesson's saliency needs gradients
        for lesson_id in chosen:
            lesson, began = LESSONS[lesson_id], time.perf_counter()
            page = lesson_html(lesson, built_parts(lesson, deck), t, args.lang, sentence, made, describe(device))
            name = file_name(lesson, args.lang)
            size = (args.html / name).write_bytes(page.encode("utf-8"))
            written.append((name, t(lesson.title), t(lesson.summary)))
            over = " — over the budget" if size > SIZE_BUDGET else ""
            print(f"  {name}: {size / 1e6:.2f} MB{over} ({time.perf_counter() - began:.1f} s)")
    (args.html / "index.html").write_text(lessons_index(written, t, args.lang), encoding="utf-8")
    took = time.perf_counter() - start
    print(f"{len(written)} lessons and index.html in {args.html} ({took:.0f} s, {describe(device)})")
    return 0


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        words = sentence_words(args.sentence)
        device = pick_device(args.device)
    except (ValueError, RuntimeError) as error:
        print(f"seqviz.export: {error}", file=sys.stderr)
        return 2
    if min(args.speed_lengths) < 1 or args.speed_repeats < 1:
        print("seqviz.export: speed lengths and repeats must be at least 1", file=sys.stderr)
        return 2
    if args.html is not None:
        return write_lessons(args, words, device)
    if not static_export_available():
        print(f"seqviz.export: {NO_BROWSER}", file=sys.stderr)
        return 3
    args.out.mkdir(parents=True, exist_ok=True)
    if args.animate is not None:
        return write_animations(args, words, device)
    deck = Deck(args.lang, words, device, tuple(sorted(set(args.speed_lengths))), speed_repeats=args.speed_repeats)
    only = (lambda name: any(part in name for part in args.only)) if args.only else (lambda name: True)
    written = []
    start = time.perf_counter()
    with torch.no_grad(), export_session():  # not inference mode: the saliency in a slide needs gradients
        for slide in build_slides(deck, only):
            (args.out / f"{slide.name}.png").write_bytes(to_png_bytes(slide.figure, scale=PNG_SCALE))
            (args.out / f"{slide.name}.svg").write_bytes(to_svg_bytes(slide.figure))
            written.append((slide.name, slide.look))
            print(f"  {slide.name}.png / .svg")
    if not written:
        print(
            f"seqviz.export: no slide matches {args.only}; names: {', '.join(n for n, _, _ in SLIDES)}", file=sys.stderr
        )
        return 2
    write_index(args.out, deck, written, " ".join(words))
    print(
        f"{len(written)} slides ({2 * len(written)} files) and index.md in {args.out} "
        f"({time.perf_counter() - start:.0f} s, {describe(device)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
