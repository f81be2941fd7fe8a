"""Our own catalogue text shaped for Markdown: the home page's paradigm map, and tokens made safe to show."""

from __future__ import annotations

from ..i18n import texts


def paradigm_columns(lang: str) -> list[str]:
    """The map's column heads: one name per paradigm."""
    return texts(lang, "paradigm_columns")


def paradigm_table_markdown(lang: str) -> str:
    """The paradigm map as a Markdown table: one row per aspect, one column per paradigm."""
    columns, rows = ["", *paradigm_columns(lang)], texts(lang, "paradigm_rows")
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| **" + row[0] + "** | " + " | ".join(row[1:]) + " |" for row in rows]
    return "\n".join(lines)


def paradigm_cards_markdown(lang: str) -> str:
    """The paradigm map for a phone's width: one short block per paradigm, its aspects as a list."""
    aspects = texts(lang, "paradigm_rows")
    blocks = []
    for i, name in enumerate(paradigm_columns(lang), start=1):
        blocks.append(f"#### {name}\n" + "\n".join(f"- **{row[0]}**: {row[i]}" for row in aspects))
    return "\n\n".join(blocks)


def md_token(token: str) -> str:
    """A token safe inside Markdown: special tokens like <eos> shown as ‹eos›, never as HTML or a link."""
    return token.replace("<", "‹").replace(">", "›").replace("[", "⟦").replace("]", "⟧")


def md_highlighted(words, marked) -> str:
    """The words as safe Markdown, the marked ones bold on a blue background (what the model just wrote)."""
    return " ".join(
        f"**:blue-background[{md_token(w)}]**" if mark else md_token(w) for w, mark in zip(words, marked, strict=True)
    )
