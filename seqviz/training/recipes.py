"""Built-in models: one recipe per shipped checkpoint, and the model sizes they use.

A recipe (recipe.py) is everything `python -m seqviz.train --model NAME` needs to reproduce a checkpoint from scratch
with a fixed seed: the data (generated, never downloaded), the model size, the steps, and the held-out
evaluation whose numbers are stored beside the weights. Running a recipe (its data, its untrained model,
the training run, the measures) lives in builtin.py.
"""

from __future__ import annotations

from ..models.autoencoding import MaskedLM
from ..models.autoregressive import CausalLM
from ..models.bart import BART
from ..models.diffusion import MaskedDiffusionLM
from ..models.electra import ELECTRA
from ..models.nonautoregressive import CTCTransformer, NARTransformer
from ..models.pixelcnn import GlyphClassifier, OneShotPixels, PixelCNN
from ..models.recurrent import GRULM, LSTMLM, TanhRNNLM
from ..models.retro import RetroLM
from ..models.seq2seq import BahdanauSeq2Seq, RNNSeq2Seq, TransformerSeq2Seq
from ..models.unilm import N_SEGMENTS, UniLM
from ..models.vae import SentenceVAE
from ..models.xlnet import PermutationLM
from .recipe import Recipe
from .sequence_recipes import SEQUENCE_RECIPES
from .splits import GLYPH_DATA, TOY_DATA

TOY_LM_SIZE = dict(d_model=128, n_heads=4, n_layers=4, d_ff=512, max_len=48, dropout=0.1, positions="learned")
# ELECTRA's generator: a quarter of the discriminator's (toy_mlm's) width, heads as wide, as deep; λ = 50 (the
# paper's). At half the width it was as good a masked LM as toy_mlm (37.6% top-1): its samples kept the sentence
# grammatical so often that the discriminator learnt next to nothing (AUC 0.62, worse than random as a start for
# fine-tuning); at a quarter, AUC 0.66 and a better start than random. The paper's best generators are 1/4–1/2
ELECTRA_GENERATOR = dict(generator_d_model=32, generator_heads=1, generator_d_ff=128, detection_weight=50.0)
# equal pre-training compute: one ELECTRA step counts 1.053× toy_mlm's FLOPs (electra_evaluation's count), so
# 8000 / 1.053 steps; the measured ratio is stored in its metrics
ELECTRA_STEPS = 7600
# the draft of speculative decoding: ~1/4 of toy_clm's depth and half its width, same vocabulary and data
TOY_DRAFT_SIZE = dict(d_model=64, n_heads=2, n_layers=1, d_ff=256, max_len=48, dropout=0.1, positions="learned")
# the recurrent LMs: two layers each, as wide as gives toy_clm's ~0.82 M parameters (a tanh RNN layer has
# 2·D² recurrent weights, a GRU 6·D², an LSTM 8·D²)
RECURRENT_WIDTHS = {"toy_rnn_lm": 432, "toy_gru_lm": 256, "toy_lstm_lm": 224}
TOY_MT_TRANSFORMER = dict(d_model=128, n_heads=4, n_layers=3, d_ff=512, max_len=40, dropout=0.1, positions="learned")
TOY_MT_GRU = dict(d_model=192, n_layers=1, max_len=40, dropout=0.1)
DIGITS_SIZE = dict(d_model=64, n_heads=4, n_layers=2, d_ff=256, max_len=16, dropout=0.0, positions="learned")
PARALLEL_KINDS = {
    "nat": "Non-autoregressive Transformer (NAT): length head, then every token at once from [MASK]s",
    "cmlm": "Conditional masked LM (CMLM), decoded by mask-predict",
    "ctc": "CTC decoder over the source up-sampled ×2 (blanks, repeats merged)",
}
PARALLEL_DATA = {"raw": "the raw data (random synonyms)", "distilled": "the AR Transformer's translations (distilled)"}
DIGIT_DATA = dict(n_train=20_000, n_test=1_000, seed=3)
# CTC on speech-like frames (issue 40): ~0.24 M parameters; training draws new utterances every step
# toy_mlm's size, with room for <bos> English [SEP] French <eos> (up to 73 tokens) and UniLM's segments
TOY_UNILM_SIZE = {**TOY_LM_SIZE, "max_len": 76, "n_segments": N_SEGMENTS}
UNILM_OBJECTIVES = {"bidirectional": 0.3, "causal": 0.3, "seq2seq": 0.4}  # translation is the hardest
RETRO_SIZE = dict(d_model=128, n_heads=4, n_layers=2, d_ff=256, max_len=16, dropout=0.1, positions="learned")
# T5's mixture: the share of batches per task prefix (span filling is the hardest, the digits the easiest)
PIXELCNN_SIZE = dict(size=16, n_classes=10, channels=64, n_layers=6, first_kernel=7)
ONE_SHOT_SIZE = dict(size=16, n_classes=10, hidden=256)
CLASSIFIER_SIZE = dict(size=16, n_classes=10, channels=16, hidden=64)
T5_OBJECTIVES = {"translate": 0.25, "fill": 0.45, "number": 0.1, "reverse": 0.1, "sort": 0.1}
# the sentence VAEs: TOY_DATA four times over in its proportions (so the same hash split, TOY_DATA's own
# sentences first), cut to sentences of at most 10 words: ~29,000 training sentences (~23,000 distinct)
# instead of TOY_DATA's ~7,400, so that 8,000 batches of 64 show each one ~17 times rather than ~70
VAE_DATA = dict(n_train=120_000, n_valid=2_000, n_test=4_000, seed=7, max_words=10)
VAE_SIZE = dict(d_model=256, n_layers=1, max_len=12, dropout=0.1, latent=16)  # max_len: <bos> 10 words <eos>
VAE_WORD_DROPOUT, VAE_ANNEAL_STEPS = 0.4, 3000
RECIPES: dict[str, Recipe] = {
    "toy_mlm": Recipe(
        name="toy_mlm",
        description="BERT-style masked LM on the English side of the toy language (encoder, bidirectional mask)",
        architecture=MaskedLM,
        model=TOY_LM_SIZE,
        steps=8000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=TOY_DATA,
    ),
    "toy_electra": Recipe(
        name="toy_electra",
        description="ELECTRA: a generator a quarter of toy_mlm's width fills 15% of the words with samples, and a "
        "discriminator of toy_mlm's size says of every word whether it was replaced; as many training FLOPs "
        "as toy_mlm, counted",
        architecture=ELECTRA,
        model={**TOY_LM_SIZE, **ELECTRA_GENERATOR},
        steps=ELECTRA_STEPS,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=TOY_DATA,
        task="electra",
    ),
    "toy_clm": Recipe(
        name="toy_clm",
        description="GPT-style causal LM of the same size on the same sentences (decoder, causal mask)",
        architecture=CausalLM,
        model=TOY_LM_SIZE,
        steps=8000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=TOY_DATA,
    ),
    "toy_clm_draft": Recipe(
        name="toy_clm_draft",
        description="Small causal LM distilled from toy_clm's next-token distributions on the same sentences: the "
        "draft model of speculative decoding",
        architecture=CausalLM,
        model=TOY_DRAFT_SIZE,
        steps=4000,
        batch_size=64,
        lr=3e-3,
        seed=0,
        data=TOY_DATA,
        teacher="toy_clm",
    ),
    **{
        name: Recipe(
            name=name,
            description=f"{kind} causal LM on toy_clm's sentences, of about its parameter count: two layers, "
            "one state per layer carried from word to word instead of attention",
            architecture=architecture,
            model=dict(d_model=RECURRENT_WIDTHS[name], n_layers=2, dropout=0.1, max_len=48),
            steps=8000,
            batch_size=64,
            lr=2e-3,
            seed=0,
            data=TOY_DATA,
        )
        for name, kind, architecture in (
            ("toy_rnn_lm", "Plain (tanh) RNN", TanhRNNLM),
            ("toy_lstm_lm", "LSTM", LSTMLM),
            ("toy_gru_lm", "GRU", GRULM),
        )
    },
    "toy_transformer_mt": Recipe(
        name="toy_transformer_mt",
        description="Transformer encoder-decoder, toy English→French (bidirectional encoder, causal decoder, "
        "cross-attention)",
        architecture=TransformerSeq2Seq,
        model=TOY_MT_TRANSFORMER,
        steps=3000,
        batch_size=64,
        lr=1e-3,
        seed=0,
        data=TOY_DATA,
        task="translation",
    ),
    "toy_bart": Recipe(
        name="toy_bart",
        description="BART: toy_transformer_mt's encoder-decoder pre-trained as a denoising autoencoder on "
        "monolingual English and French sentences (masked, deleted, span-infilled or locally shuffled words in, "
        "the whole original sentence out)",
        architecture=BART,
        model=TOY_MT_TRANSFORMER,
        steps=3000,
        batch_size=64,
        lr=1e-3,
        seed=0,
        data=TOY_DATA,
        task="denoise",
    ),
    "toy_gru_mt": Recipe(
        name="toy_gru_mt",
        description="GRU encoder-decoder without attention, same data (the decoder sees the source only as one vector)",
        architecture=RNNSeq2Seq,
        model=TOY_MT_GRU,
        steps=3000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=TOY_DATA,
        task="translation",
    ),
    "toy_bahdanau_mt": Recipe(
        name="toy_bahdanau_mt",
        description="GRU encoder-decoder with Bahdanau (additive) attention, same data",
        architecture=BahdanauSeq2Seq,
        model=TOY_MT_GRU,
        steps=3000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=TOY_DATA,
        task="translation",
    ),
    **{
        f"{objective}_{data}": Recipe(
            name=f"{objective}_{data}",
            description=f"{PARALLEL_KINDS[objective]}, trained on {PARALLEL_DATA[data]}",
            architecture=CTCTransformer if objective == "ctc" else NARTransformer,
            model={**TOY_MT_TRANSFORMER, "max_len": 72} if objective == "ctc" else TOY_MT_TRANSFORMER,
            steps=1500 if objective == "ctc" else 3000,
            batch_size=64,
            lr=1e-3,
            seed=0,
            data=TOY_DATA,
            task=objective,
            teacher="toy_transformer_mt" if data == "distilled" else None,
        )
        for objective in PARALLEL_KINDS
        for data in ("raw", "distilled")
    },
    "toy_diffusion": Recipe(
        name="toy_diffusion",
        description="Masked diffusion LM (MDLM/LLaDA) on the English sentences: toy_mlm's network, each sentence "
        "masked at a random noise level t and the loss weighted by 1/t, so it writes sentences from all [MASK]",
        architecture=MaskedDiffusionLM,
        model=TOY_LM_SIZE,
        steps=16000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=TOY_DATA,
        task="diffusion",
    ),
    "toy_unilm": Recipe(
        name="toy_unilm",
        description="UniLM: one Transformer trained at once as a masked LM and a causal LM on English and as a "
        "prefix-LM translator English→French; its mask and segments say which",
        architecture=UniLM,
        model=TOY_UNILM_SIZE,
        steps=9000,
        batch_size=64,
        lr=1.5e-3,
        seed=0,
        data=TOY_DATA,
        task="unilm",
        objectives=UNILM_OBJECTIVES,
    ),
    "toy_xlnet": Recipe(
        name="toy_xlnet",
        description="XLNet-style permutation LM with two-stream attention on the English sentences: each word "
        "predicted from the words before it in a random order, the last third of each order scored",
        architecture=PermutationLM,
        model=TOY_LM_SIZE,
        steps=6000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=TOY_DATA,
        task="permutation",
    ),
    "toy_t5": Recipe(
        name="toy_t5",
        description="T5-style text-to-text: one Transformer encoder-decoder for five tasks told apart only by "
        "a text prefix (translate, reverse, sort, fill spans, number)",
        architecture=TransformerSeq2Seq,
        model=TOY_MT_TRANSFORMER,
        steps=14000,
        batch_size=64,
        lr=1e-3,
        seed=0,
        data=TOY_DATA,
        task="t5",
        objectives=T5_OBJECTIVES,
    ),
    "toy_retro": Recipe(
        name="toy_retro",
        description="RETRO-style retrieval: a causal decoder cross-attending to the 4 chunks toy_mlm's mean-pooled "
        "states find in a datastore of facts (where each animal is), answering questions only the datastore holds",
        architecture=RetroLM,
        model=RETRO_SIZE,
        steps=3000,
        batch_size=64,
        lr=1e-3,
        seed=0,
        data=dict(n_distractors=2000, n_test=500, seed=13),
        task="retro",
        retriever="toy_mlm",
    ),
    **{
        name: Recipe(
            name=name,
            description=description,
            architecture=SentenceVAE,
            model={**VAE_SIZE, **model},
            steps=8000,
            batch_size=64,
            lr=2e-3,
            seed=0,
            data=VAE_DATA,
            task="vae",
        )
        for name, description, model in (
            (
                "toy_vae",
                "Sentence VAE (Bowman et al.): a bidirectional GRU encodes a short English sentence as a 16-d "
                "Gaussian, a GRU decoder writes it back from one z; the KL's weight annealed from 0 to 1, 40% "
                "of the decoder's input words dropped",
                dict(variational=True, word_dropout=VAE_WORD_DROPOUT, kl_anneal_steps=VAE_ANNEAL_STEPS),
            ),
            (
                "toy_vae_unannealed",
                "The same sentence VAE with the KL at full weight from the first step and no word dropout: "
                "the decoder learns to ignore z (posterior collapse)",
                dict(variational=True, word_dropout=0.0, kl_anneal_steps=0),
            ),
            (
                "toy_ae",
                "The same network as a plain autoencoder: z = μ, no noise, no KL (the same word dropout as "
                "toy_vae, so only the variational part differs)",
                dict(variational=False, word_dropout=VAE_WORD_DROPOUT, kl_anneal_steps=0),
            ),
        )
    },
    "glyph_classifier": Recipe(
        name="glyph_classifier",
        description="Small CNN naming the digit of a generated 16×16 glyph: the judge of what the image "
        "generators drew",
        architecture=GlyphClassifier,
        model=CLASSIFIER_SIZE,
        steps=3000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=GLYPH_DATA,
        task="classify",
    ),
    "toy_pixelcnn": Recipe(
        name="toy_pixelcnn",
        description="PixelCNN drawing a digit's 16×16 glyph one pixel at a time in raster order (type-A "
        "masked convolution, then plain type-B residual layers; the digit added everywhere)",
        architecture=PixelCNN,
        model=PIXELCNN_SIZE,
        steps=12000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=GLYPH_DATA,
        task="pixels",
    ),
    "pixels_one_shot": Recipe(
        name="pixels_one_shot",
        description="PixelCNN's rival: every pixel's probability of ink from the digit alone in one pass, "
        "the pixels sampled independently",
        architecture=OneShotPixels,
        model=ONE_SHOT_SIZE,
        steps=3000,
        batch_size=64,
        lr=2e-3,
        seed=0,
        data=GLYPH_DATA,
        task="pixels",
    ),
    "digits_reverse": Recipe(
        name="digits_reverse",
        description="Transformer encoder-decoder reversing 3–12 digits (cross-attention: the anti-diagonal)",
        architecture=TransformerSeq2Seq,
        model=DIGITS_SIZE,
        steps=4000,
        batch_size=64,
        lr=1e-3,
        seed=0,
        data=DIGIT_DATA,
        task="digits-reverse",
    ),
    "digits_sort": Recipe(
        name="digits_sort",
        description="Transformer encoder-decoder sorting 3–12 digits",
        architecture=TransformerSeq2Seq,
        model=DIGITS_SIZE,
        steps=1500,
        batch_size=64,
        lr=1e-3,
        seed=0,
        data=DIGIT_DATA,
        task="digits-sort",
    ),
    **SEQUENCE_RECIPES,  # time series, speech, recall over distance, induction heads
}
