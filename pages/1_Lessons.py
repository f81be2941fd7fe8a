"""Lessons: guided walkthroughs that ask the class to predict what the model will do before revealing it."""

from seqviz.ui import lessons as sections
from seqviz.ui.code import code_section
from seqviz.ui.page import device_fallback, setup_page

ctx = setup_page("page_lessons", by_width=True)  # a step's figure
lesson, index = sections.position(ctx)
deck = sections.opening(ctx, lesson)

with device_fallback(ctx):  # a GPU out of memory reruns the page on the CPU
    sections.step_view(ctx, lesson, index, deck)

code_section(ctx)  # the functions behind this page, folded until opened
