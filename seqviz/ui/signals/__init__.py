"""The sections of the signals page, one module per part (forecasting a time series, CTC on speech-like
frames). Each section is a fragment: a control moved in one redraws that section alone."""

from .forecasting import forecasting_section
from .speech import speech_section

__all__ = ["forecasting_section", "speech_section"]
