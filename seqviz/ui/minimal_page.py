"""Not a page of the app: the floor the benchmark's page guard measures against (seqviz/bench/page_cost.py). A
minimal Streamlit page with one text box and a plotly heatmap of the typed words, drawn the way seqviz draws
figures. A seqviz page's rerun is budgeted as a multiple of this page's rerun, measured in the same run, so
that the verdict does not depend on the machine's speed."""

import numpy as np
import streamlit as st

from seqviz.viz.attention import attention_heatmap

words = st.text_input("Sentence", "the small cat sees the dog", key="sentence").split() or ["(empty)"]
weights = np.tril(np.ones((len(words), len(words))))
weights /= weights.sum(-1, keepdims=True)  # (T, T) causal attention, uniform over what each word may see
st.plotly_chart(attention_heatmap(weights, words, words, "uniform causal attention"), key="heatmap")
