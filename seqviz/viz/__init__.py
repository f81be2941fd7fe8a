"""Pure figure builders: numpy arrays + token labels in, plotly/altair figures out (no streamlit)."""

from .attention import attention_heatmap, head_grid, mean_over_heads
from .masks import mask_figure, scores_pipeline_figure, softmax_masked
from .style import (
    FONT_FAMILY, MASK_ALLOWED_COLOR, MASK_BLOCKED_COLOR, MASKED_COLOR, SCORE_COLORSCALE,
    WEIGHT_COLORSCALE, altair_chart_config, display_label, font_sizes, make_figure, plotly_config,
    safe_filename, to_png_bytes, to_svg_bytes,
)

__all__ = [
    "FONT_FAMILY", "MASK_ALLOWED_COLOR", "MASK_BLOCKED_COLOR", "MASKED_COLOR", "SCORE_COLORSCALE",
    "WEIGHT_COLORSCALE", "altair_chart_config", "attention_heatmap", "display_label",
    "font_sizes", "head_grid", "make_figure", "mask_figure", "mean_over_heads", "plotly_config", "safe_filename",
    "scores_pipeline_figure", "softmax_masked", "to_png_bytes", "to_svg_bytes",
]
