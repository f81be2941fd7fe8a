"""A tiny Streamlit app for the load generator's tests: a text box, a slider and a button, echoed back."""

import streamlit as st

name = st.text_input("Name", "world", key="name")
times = st.slider("Times", 1, 5, 2, key="times")
if st.button("Shout", key="shout"):
    st.session_state.shouts = st.session_state.get("shouts", 0) + 1
st.markdown(f"hello {name} × {times}, shouts {st.session_state.get('shouts', 0)}")
if name == "boom":
    raise ValueError("boom")
