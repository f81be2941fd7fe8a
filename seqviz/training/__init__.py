"""Training: the loop (loop), the batches of each objective (batches), the built-in models' recipes
(recipes) and running one (builtin), held-out evaluation against the toy language's checker (evaluation),
fine-tuning a pre-trained encoder (finetune), character models trained live on user text (charlm), and the
command (cli, run as `python -m seqviz.train`). Loading a shipped checkpoint needs none of this: see
models.checkpoint."""
