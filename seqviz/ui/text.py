"""Every string the pages show, in English and Simplified Chinese, kept out of the page code.

`tr(lang, key, **values)` looks a string up and fills its {placeholders}. Values are inserted with
str.format on our own templates only; user text is passed as a value, never used as a template.
"""

from __future__ import annotations

from ..messages import MESSAGES
from .text_autoencoding import AUTOENCODING_TEXT
from .text_autoregressive import AUTOREGRESSIVE_TEXT
from .text_explorer import EXPLORER_TEXT
from .text_parallel import PARALLEL_TEXT
from .text_positions import POSITIONS_TEXT
from .text_seq2seq import SEQ2SEQ_TEXT
from .text_slides import SLIDES_TEXT

LANGUAGES = {"en": "English", "zh": "简体中文"}

TEXT: dict[str, dict[str, str]] = {
    # shared sidebar
    "app_name": {"en": "seqviz", "zh": "seqviz"},
    "tagline": {
        "en": "See inside the sequence models behind Transformers",
        "zh": "看清 Transformer 时代序列模型的内部",
    },
    "language": {"en": "Language / 语言", "zh": "语言 / Language"},
    "device": {"en": "Device", "zh": "计算设备"},
    "device_help": {
        "en": "Where the models run. 'auto' takes a GPU when there is one, else the CPU.",
        "zh": "模型在哪里运行。“自动”表示有 GPU 时用 GPU，否则用 CPU。",
    },
    "device_auto": {"en": "auto", "zh": "自动"},
    "comma": {"en": ", ", "zh": "，"},
    "device_oom": {
        "en": "The GPU ran out of memory, so this session switched to the CPU and ran the page again.",
        "zh": "GPU 内存不足，本会话已切换到 CPU 并重新运行了本页。",
    },
    "presentation": {"en": "Presentation mode", "zh": "演示模式"},
    "presentation_help": {
        "en": "Larger fonts and figures for a projector; readable from the back of a classroom.",
        "zh": "为投影仪放大字体和图表，教室后排也能看清。",
    },
    "pages": {"en": "Pages", "zh": "页面"},
    "offline_note": {
        "en": "Runs fully offline: every model and data set is built in.",
        "zh": "完全离线运行：所有模型和数据都已内置。",
    },
    "device_missing": {
        "en": "Device {device} is not available here; using {fallback}.",
        "zh": "此处没有设备 {device}，改用 {fallback}。",
    },
    # page names
    "page_home": {"en": "Home: the paradigm map", "zh": "首页：范式总览"},
    "page_masks": {"en": "Masks: one block, four paradigms", "zh": "掩码：一个模块，四种范式"},
    # home
    "home_title": {"en": "seqviz — how sequence models work", "zh": "seqviz —— 序列模型如何工作"},
    "home_intro": {
        "en": (
            "The same Transformer block becomes BERT, GPT or an encoder-decoder depending on three things: "
            "**the attention mask**, **the training objective** and **the decoding loop**. "
            "Each page runs a small real model live on this machine and shows what happens inside it."
        ),
        "zh": (
            "同一个 Transformer 模块，取决于三件事——**注意力掩码**、**训练目标**和**解码循环**——"
            "可以变成 BERT、GPT 或编码器-解码器。每个页面都在本机实时运行一个真实的小模型，并展示其内部发生了什么。"
        ),
    },
    "home_map": {"en": "The paradigm map", "zh": "范式对照表"},
    "home_masks": {"en": "One mask per paradigm", "zh": "每种范式的掩码"},
    "home_masks_caption": {
        "en": "Rows are queries (the position doing the looking), columns are keys (what it may look at). "
        "Coloured = may attend, grey = blocked.",
        "zh": "行是查询（正在“看”的位置），列是键（可以被看的位置）。彩色 = 可以关注，灰色 = 被屏蔽。",
    },
    "home_pages": {"en": "Pages", "zh": "页面"},
    "home_page_masks": {
        "en": "Type a sentence and see every mask side by side, then follow one query's scores through the mask "
        "and the softmax.",
        "zh": "输入一句话，并排查看每一种掩码；再跟随一个查询的分数，经过掩码和 softmax 得到注意力权重。",
    },
    # masks page
    "masks_title": {"en": "Masks: one block, four paradigms", "zh": "掩码：一个模块，四种范式"},
    "masks_intro": {
        "en": (
            "Attention lets each position (a **query**, one row) mix information from other positions "
            "(**keys**, the columns). A mask decides which keys each query may see. Change only the mask and the "
            "same block becomes BERT (bidirectional), GPT (causal), a prefix-LM, an encoder-decoder or a parallel decoder."
        ),
        "zh": (
            "注意力让每个位置（一个**查询**，即一行）从其他位置（**键**，即各列）汇集信息。掩码决定每个查询能看到哪些键。"
            "只改变掩码，同一个模块就能变成 BERT（双向）、GPT（因果）、前缀语言模型、编码器-解码器或并行解码器。"
        ),
    },
    "sentence": {"en": "Sentence", "zh": "句子"},
    "sentence_help": {
        "en": "Any text works for the masks. Words the built-in model knows give real attention scores below.",
        "zh": "掩码适用于任何文本。若句中的词都在内置模型的词表中，下方会显示真实的注意力分数。",
    },
    "example": {"en": "…or pick an example", "zh": "……或选择一个例句"},
    "choose": {"en": "Choose…", "zh": "请选择……"},
    "target_sentence": {"en": "Target sentence (encoder-decoder)", "zh": "目标句子（编码器-解码器）"},
    "second_sentence": {"en": "Second sentence of the batch (padding)", "zh": "批次中的第二个句子（填充）"},
    "prefix_length": {"en": "Prefix length (prefix-LM)", "zh": "前缀长度（前缀语言模型）"},
    "permutation_order": {"en": "Factorisation order (XLNet)", "zh": "分解顺序（XLNet）"},
    "permutation_help": {
        "en": "Positions 1…n in the order they are predicted, separated by spaces, e.g. '3 1 4 2'.",
        "zh": "按预测先后写出位置 1…n，用空格分隔，例如“3 1 4 2”。",
    },
    "shuffle": {"en": "Shuffle the order", "zh": "随机打乱顺序"},
    "bad_order": {
        "en": "“{text}” is not an order of positions 1…{n}: use each number once, separated by spaces. "
        "Showing the left-to-right order instead.",
        "zh": "“{text}” 不是位置 1…{n} 的一个排列：每个数字恰好用一次，用空格分隔。现改用从左到右的顺序。",
    },
    "empty_input": {
        "en": "“{field}” is empty: type a few words. Showing “{fallback}” meanwhile.",
        "zh": "“{field}”为空：请输入几个词。暂时显示“{fallback}”。",
    },
    "truncated": {
        "en": "Your text has {n} tokens; the figures show the first {max} to stay readable.",
        "zh": "你的文本有 {n} 个词元；为保持清晰，图中只显示前 {max} 个。",
    },
    "removed_control": {
        "en": "Invisible control characters were removed from your text.",
        "zh": "已从文本中移除不可见的控制字符。",
    },
    "gallery": {"en": "Every mask for your sentence", "zh": "你的句子对应的每一种掩码"},
    "gallery_caption": {
        "en": "Row = query (the position looking), column = key (the position looked at). Blue = may attend, "
        "grey = blocked.",
        "zh": "行 = 查询（正在看的位置），列 = 键（被看的位置）。蓝色 = 可以关注，灰色 = 被屏蔽。",
    },
    "mask_bidirectional": {"en": "Bidirectional (BERT encoder)", "zh": "双向（BERT 编码器）"},
    "mask_causal": {"en": "Causal (GPT decoder)", "zh": "因果（GPT 解码器）"},
    "mask_prefix_lm": {"en": "Prefix-LM (UniLM, T5)", "zh": "前缀语言模型（UniLM、T5）"},
    "mask_encoder_self": {"en": "Encoder self-attention", "zh": "编码器自注意力"},
    "mask_decoder_self": {"en": "Decoder self-attention (causal)", "zh": "解码器自注意力（因果）"},
    "mask_cross": {"en": "Cross-attention: target → source", "zh": "交叉注意力：目标 → 源"},
    "mask_permutation": {"en": "Permutation (XLNet)", "zh": "排列（XLNet）"},
    "mask_nar_decoder": {"en": "Non-autoregressive decoder", "zh": "非自回归解码器"},
    "mask_padding": {"en": "Padding in a batch of two", "zh": "两句一批时的填充"},
    "mask_why_bidirectional": {
        "en": "Every word sees every word, left and right: good for understanding, cannot generate left to right.",
        "zh": "每个词都能看到左右所有词：擅长理解，但不能从左到右生成。",
    },
    "mask_why_causal": {
        "en": "Position i sees 1…i only (lower triangle): the future is hidden, so it can generate one token at a time.",
        "zh": "位置 i 只能看到 1…i（下三角）：未来被遮住，因此可以一次生成一个词元。",
    },
    "mask_why_prefix_lm": {
        "en": "Bidirectional inside the prefix (the prompt), causal after it (the continuation).",
        "zh": "前缀（提示）内部双向，之后的续写部分因果。",
    },
    "mask_why_encoder_self": {
        "en": "The encoder reads the whole source at once: bidirectional.",
        "zh": "编码器一次读完整个源句：双向。",
    },
    "mask_why_decoder_self": {
        "en": "The decoder writes the target left to right: causal.",
        "zh": "解码器从左到右写出目标句：因果。",
    },
    "mask_why_cross": {
        "en": "Each target position may look at every source word: this is where alignment happens.",
        "zh": "每个目标位置都可以看所有源词：对齐就发生在这里。",
    },
    "mask_why_permutation": {
        "en": "Each position sees the ones predicted before it in the chosen order (and itself): "
        "context from both sides, still autoregressive.",
        "zh": "每个位置能看到按所选顺序在它之前预测的位置（及其自身）：既有双侧上下文，又仍是自回归。",
    },
    "mask_why_nar_decoder": {
        "en": "All target slots are predicted at once, so none is hidden from another: one pass instead of T.",
        "zh": "所有目标位置同时预测，彼此都不遮挡：一次前向计算代替 T 次。",
    },
    "mask_why_padding": {
        "en": "The shorter sentence is padded; nobody may attend to the padding columns.",
        "zh": "较短的句子被填充；任何位置都不能关注填充列。",
    },
    "pipeline": {"en": "From scores to attention weights", "zh": "从分数到注意力权重"},
    "pipeline_intro": {
        "en": "Attention first scores every query against every key (q·k/√d), then the mask sets blocked scores "
        "to −∞, then softmax turns each row into weights that sum to 1 — blocked cells get exactly 0.",
        "zh": "注意力先为每个查询和每个键打分（q·k/√d），然后掩码把被屏蔽的分数设为 −∞，"
        "最后 softmax 把每一行变成和为 1 的权重——被屏蔽的格子权重恰好为 0。",
    },
    "pipeline_mask": {"en": "Mask to apply", "zh": "要应用的掩码"},
    "layer": {"en": "Layer", "zh": "层"},
    "head": {"en": "Head", "zh": "头"},
    "real_scores": {
        "en": "Real scores from the built-in model **{model}** (layer {layer}, head {head}), computed live for your sentence.",
        "zh": "来自内置模型 **{model}** 的真实分数（第 {layer} 层，第 {head} 个头），针对你的句子实时计算。",
    },
    "seeded_scores": {
        "en": "**Seeded random scores**, not a model's: the built-in model does not know {words}. "
        "It knows these words: {known}.",
        "zh": "**这是随机种子生成的分数，不是模型算出的**：内置模型不认识 {words}。它认识的词有：{known}。",
    },
    "model_missing": {
        "en": "The built-in model is not available ({error}); showing seeded random scores instead.",
        "zh": "内置模型不可用（{error}）；改为显示随机种子生成的分数。",
    },
    "row_sums": {
        "en": "Check: every row of the weights sums to {low:.4f}…{high:.4f}; the {blocked} blocked cells are exactly 0.",
        "zh": "验证：权重的每一行之和在 {low:.4f}…{high:.4f} 之间；{blocked} 个被屏蔽的格子恰好为 0。",
    },
    "what_to_look_at": {"en": "What to look at", "zh": "看点"},
    "masks_look": {
        "en": (
            "- **Causal vs bidirectional:** the causal mask is the lower triangle. Row *i* is what position *i* "
            "can use to predict — never anything to its right.\n"
            "- **Prefix-LM** is both: a full square over the prompt, a triangle after it. Move the slider.\n"
            "- **Encoder-decoder** uses three masks at once; the cross mask is the only one whose rows and "
            "columns are different sentences.\n"
            "- **XLNet** shuffles the *order* of prediction, not the words: shuffle and watch the triangle scatter.\n"
            "- **In the scores → weights figure** the blocked cells become −∞ and then exactly 0, and every row "
            "still sums to 1."
        ),
        "zh": (
            "- **因果 vs 双向：** 因果掩码是下三角。第 *i* 行就是位置 *i* 预测时能用到的信息——右边的永远看不到。\n"
            "- **前缀语言模型**兼而有之：提示部分是完整的方块，之后是三角。拖动滑块试试。\n"
            "- **编码器-解码器**同时使用三种掩码；只有交叉掩码的行和列来自两个不同的句子。\n"
            "- **XLNet** 打乱的是预测的*顺序*，而不是词本身：点“随机打乱”，看三角形如何散开。\n"
            "- **在“分数 → 权重”图中**，被屏蔽的格子先变成 −∞，再变成恰好 0，而每一行之和仍为 1。"
        ),
    },
    "query_axis": {"en": "query (looking)", "zh": "查询（看的一方）"},
    "key_axis": {"en": "key (looked at)", "zh": "键（被看的一方）"},
    "score_titles": {
        "en": "1. scores q·k/√d|2. masked (blocked = −∞)|3. softmax weights",
        "zh": "1. 分数 q·k/√d|2. 掩码后（屏蔽 = −∞）|3. softmax 权重",
    },
    "allowed": {"en": "may attend", "zh": "可以关注"},
    "blocked": {"en": "blocked", "zh": "被屏蔽"},
    "score": {"en": "score", "zh": "分数"},
    "weight": {"en": "weight", "zh": "权重"},
    "svg_download": {"en": "SVG", "zh": "SVG"},
    "error_box": {
        "en": "Something went wrong while drawing this part: {error}. The rest of the page still works.",
        "zh": "绘制这一部分时出错：{error}。页面其余部分仍可使用。",
    },
}


TEXT.update(AUTOENCODING_TEXT)
TEXT.update(AUTOREGRESSIVE_TEXT)
TEXT.update(SEQ2SEQ_TEXT)
TEXT.update(PARALLEL_TEXT)
TEXT.update(POSITIONS_TEXT)
TEXT.update(SLIDES_TEXT)
TEXT.update(EXPLORER_TEXT)
TEXT.update(MESSAGES)


def tr(lang: str, key: str, **values) -> str:
    """The text for key in lang (English when a translation is missing), with {placeholders} filled."""
    entry = TEXT[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**values) if values else template


# The paradigm map on the home page: one row per aspect, one column per paradigm, in our own words.
PARADIGM_COLUMNS = {
    "en": ("", "Autoencoding", "Autoregressive", "Sequence-to-sequence", "Non-autoregressive"),
    "zh": ("", "自编码", "自回归", "序列到序列", "非自回归"),
}
PARADIGM_ROWS = {
    "en": (
        (
            "Core task",
            "understand a text: fill in, classify, tag",
            "continue a text one token at a time",
            "turn one sequence into another: translate, summarise",
            "turn one sequence into another, all at once",
        ),
        (
            "Context each position sees",
            "both sides (bidirectional)",
            "only the left (causal)",
            "encoder: the whole source; decoder: the source and its own left",
            "the whole source and every target slot",
        ),
        (
            "Architecture",
            "Transformer encoder",
            "Transformer decoder",
            "encoder + decoder with cross-attention",
            "encoder + non-causal decoder, plus a length predictor",
        ),
        (
            "Training objective",
            "reconstruct masked tokens (masked LM)",
            "predict the next token",
            "predict the next target token given the source (teacher forcing)",
            "predict every target token independently given the source",
        ),
        (
            "Typical models",
            "BERT, RoBERTa, ELECTRA",
            "GPT, LLaMA, RNN/LSTM language models",
            "original Transformer, T5, BART, RNN + attention",
            "NAT, Mask-Predict (CMLM), CTC, GLAT",
        ),
        (
            "How inference runs",
            "one pass over the whole input",
            "a loop: one pass per new token",
            "encode once, then a loop over target tokens",
            "one pass (or a few refinement passes)",
        ),
        (
            "Latency",
            "low: one pass",
            "grows with output length",
            "grows with output length",
            "nearly constant in length; quality pays for it",
        ),
    ),
    "zh": (
        (
            "核心任务",
            "理解文本：填空、分类、标注",
            "一次一个词元地续写文本",
            "把一个序列变成另一个：翻译、摘要",
            "把一个序列一次性变成另一个",
        ),
        (
            "每个位置能看到的上下文",
            "两侧（双向）",
            "只有左侧（因果）",
            "编码器：整个源句；解码器：源句和自己左侧",
            "整个源句和所有目标位置",
        ),
        (
            "结构",
            "Transformer 编码器",
            "Transformer 解码器",
            "编码器 + 带交叉注意力的解码器",
            "编码器 + 非因果解码器，外加长度预测器",
        ),
        (
            "训练目标",
            "还原被遮盖的词元（掩码语言模型）",
            "预测下一个词元",
            "给定源句预测下一个目标词元（教师强制）",
            "给定源句独立预测每个目标词元",
        ),
        (
            "典型模型",
            "BERT、RoBERTa、ELECTRA",
            "GPT、LLaMA、RNN/LSTM 语言模型",
            "原始 Transformer、T5、BART、RNN + 注意力",
            "NAT、Mask-Predict（CMLM）、CTC、GLAT",
        ),
        (
            "推理方式",
            "对整个输入做一次前向计算",
            "循环：每生成一个词元做一次前向计算",
            "编码一次，然后逐个目标词元循环",
            "一次前向计算（或几次迭代细化）",
        ),
        ("延迟", "低：一次计算", "随输出长度增长", "随输出长度增长", "几乎不随长度增长；代价是质量"),
    ),
}


def paradigm_table_markdown(lang: str) -> str:
    """The paradigm map as a Markdown table (our own constant text only)."""
    columns = PARADIGM_COLUMNS.get(lang, PARADIGM_COLUMNS["en"])
    rows = PARADIGM_ROWS.get(lang, PARADIGM_ROWS["en"])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| **" + row[0] + "** | " + " | ".join(row[1:]) + " |" for row in rows]
    return "\n".join(lines)


def md_token(token: str) -> str:
    """A token safe inside Markdown: special tokens like <eos> shown as ‹eos›, never as HTML or a link."""
    return token.replace("<", "‹").replace(">", "›").replace("[", "⟦").replace("]", "⟧")
