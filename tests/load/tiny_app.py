"""A tiny Streamlit app for the load generator's tests: a text box, a slider and a button, echoed back, and a
fragment with a button of its own."""

import streamlit as st


@st.fragment
def counter():
    """A fragment: its button reruns it alone, as a browser asks."""
    if st.button("Count", key="count"):
        st.session_state.counted = st.session_state.get("counted", 0) + 1
    st.markdown(f"counted {st.session_state.get('counted', 0)}")


name = st.text_input("Name", "world", key="name")
times = st.slider("Times", 1, 5, 2, key="times")
if st.button("Shout", key="shout"):
    st.session_state.shouts = st.session_state.get("shouts", 0) + 1
counter()
st.markdown(f"hello {name} × {times}, shouts {st.session_state.get('shouts', 0)}")
if name == "boom":
    raise ValueError("boom")
