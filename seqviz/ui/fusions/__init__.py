"""The fusions page, one module per fusion: unilm, xlnet, t5, retro; common holds what they share."""
