"""The sections of the autoencoders page, one module per model family (ELECTRA, BART, the VAE). Each
section is a fragment: a control moved in one redraws that section alone."""

from .bart import bart_section
from .electra import electra_section, electra_versus_section
from .vae import vae_section

__all__ = ["bart_section", "electra_section", "electra_versus_section", "vae_section"]
