"""The code that ran, on every page: a folded section listing the few functions behind what the page shows,
read from the running package (seqviz.export.code), and on the home page two paradigms' code side by side
with the lines that differ marked. Folded sections run nothing until they are opened: a class that never
opens them costs the server nothing."""

from __future__ import annotations

import html

import streamlit as st

from ..export.code import COMPARISONS, PAGE_CODE, compare, differing_lines, source_of
from .page import PAGES, PageContext

# the page's address ("" for the home page) from its title key, as Streamlit serves its file
ADDRESSES = {
    title: "" if path == "app.py" else path.split("/")[-1].split("_", 1)[1].removesuffix(".py")
    for path, title, *_ in PAGES
}
CODE_HEIGHT = 420  # px: a long function scrolls inside its box (on a phone too) instead of stretching the page


def code_section(ctx: PageContext) -> None:
    """The page's listings, each with its file, line and what to look at; the code stays as written."""
    address = ADDRESSES.get(ctx.page, "")
    listings = PAGE_CODE.get(address, ())
    if not listings:
        return
    box = st.expander(
        ctx.t("code_title"), icon=":material/code:", key=f"code_open_{address or 'home'}", on_change="rerun"
    )
    with box:
        if not box.open:
            return
        st.markdown(ctx.t("code_intro"))
        for listing in listings:
            source = source_of(listing.target)
            st.markdown(f"**`{listing.name}`** · `{source.path}`, {ctx.t('code_line', line=source.first_line)}")
            st.caption(ctx.t(listing.look))
            st.code(source.text, language="python", line_numbers=True, height=_height(source.lines))


def _height(lines: list[str]) -> int | str:
    return "content" if len(lines) <= 18 else CODE_HEIGHT


def marked_lines(lines: list[str | None], marked: set[int]) -> str:
    """One side of a comparison as HTML: every line escaped, the marked ones highlighted and flagged with a
    sign that does not rely on colour (▶), the gaps where the other side has a line left empty."""
    rows = []
    for i, line in enumerate(lines):
        text = html.escape(line) if line is not None else ""
        if i in marked and line is not None:
            rows.append(f'<span class="seqviz-diff-marked">▶ {text}</span>')
        else:
            rows.append(f"  {text}")
    return '<pre class="seqviz-diff">' + "\n".join(rows) + "</pre>"


@st.fragment  # a comparison chosen redraws this section alone
def comparison_section(ctx: PageContext) -> None:
    """Two paradigms' real code side by side, the lines that differ marked (difflib on the sources)."""
    box = st.expander(
        ctx.t("code_compare_title"), icon=":material/difference:", key="code_compare_open", on_change="rerun"
    )
    with box:
        if not box.open:
            return
        choice = st.segmented_control(
            ctx.t("code_compare_choose"),
            list(COMPARISONS),
            default="bert_gpt",
            required=True,
            format_func=lambda name: ctx.t(COMPARISONS[name].title),
            key="code_compare",
        )
        comparison = COMPARISONS[choice]
        rows = compare(comparison)
        left_marked, right_marked = differing_lines(rows)
        st.markdown(ctx.t(comparison.look, left=len(left_marked), right=len(right_marked), rows=len(rows)))
        left = [row.left for row in rows]
        right = [row.right for row in rows]
        marked = {i for i, row in enumerate(rows) if not row.same}
        st.html(_DIFF_CSS)
        for column, name, targets, side in zip(
            st.columns(2),
            (comparison.left_name, comparison.right_name),
            (comparison.left, comparison.right),
            (left, right),
            strict=True,
        ):
            with column:
                st.markdown(f"**{ctx.t(name)}** · " + ", ".join(f"`{t.partition(':')[2]}`" for t in targets))
                st.html(marked_lines(side, marked))
        st.caption(ctx.t("code_compare_method"))


_DIFF_CSS = """
<style>
pre.seqviz-diff { font-size: 0.8rem; line-height: 1.35; overflow: auto; max-height: 640px; padding: 0.5rem;
  background: #f8f9fb; border: 1px solid #d5dae1; border-radius: 0.4rem; }
pre.seqviz-diff .seqviz-diff-marked { background: #fde7c7; font-weight: 600; display: inline-block; min-width: 100%; }
</style>
"""
