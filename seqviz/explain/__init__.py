"""Explanations of the built-in models scored against the toy language's truth: which source word each
target word translates (data/alignment.py), read off cross-attention heads, saliency and rollout."""
