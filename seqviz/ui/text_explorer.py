"""Strings of the explorer page (any Hugging Face model's attention)."""

EXPLORER_TEXT: dict[str, dict[str, str]] = {
    "page_explorer": {
        "en": "Explorer: any Hugging Face model's attention",
        "zh": "探索：任意 Hugging Face 模型的注意力",
    },
    "home_page_explorer": {
        "en": "Open your own model (a local Hugging Face folder) and see its attention with the same figures.",
        "zh": "打开你自己的模型（本地的 Hugging Face 模型文件夹），用同样的图看它的注意力。",
    },
    "hf_title": {"en": "Explorer: look inside any Hugging Face model", "zh": "探索：看看任意 Hugging Face 模型的内部"},
    "hf_intro": {
        "en": "Give the folder of a model saved with `save_pretrained` (BERT-like encoders, GPT-like decoders, T5/BART/"
        "Marian-like encoder-decoders) and a sentence. seqviz loads it with eager attention, which returns the "
        "weights, and draws them with the same figures as the built-in pages.",
        "zh": "给出用 `save_pretrained` 保存的模型文件夹（类 BERT 编码器、类 GPT 解码器、类 T5/BART/Marian 编码器-解码器）和一个句子。"
        "seqviz 用能返回权重的 eager 注意力加载它，并用与内置页面相同的图来展示。",
    },
    "hf_look": {
        "en": "- **Encoders** look both ways: weight above the diagonal.\n"
        "- **Decoders** look only back: the upper triangle is grey.\n"
        "- **Cross-attention** rows are the output tokens, columns the source tokens: translation shows as a "
        "rough diagonal that bends where word order differs.\n"
        "- Many heads put most weight on one special token (`[CLS]`, `[SEP]`, the first token): a known "
        '"attention sink", not a bug.',
        "zh": "- **编码器**双向看：对角线上方也有权重。\n"
        "- **解码器**只往回看：右上三角是灰色的。\n"
        "- **交叉注意力**的行是输出词元，列是源词元：翻译呈现为大致的对角线，词序不同的地方会弯折。\n"
        "- 很多头把大部分权重放在某个特殊词元上（`[CLS]`、`[SEP]`、第一个词元）：这是已知的“注意力汇聚”现象，不是错误。",
    },
    "hf_missing": {
        "en": "This page needs the optional `transformers` package. Install it once, with internet: "
        "`pip install -r requirements-hf.txt` (or `make install-hf`), then reload the page.",
        "zh": "本页需要可选的 `transformers` 包。请在有网络时安装一次：`pip install -r requirements-hf.txt`"
        "（或 `make install-hf`），然后刷新本页。",
    },
    "hf_source": {"en": "Model folder (or hub id)", "zh": "模型文件夹（或 Hub 名称）"},
    "hf_source_placeholder": {"en": "e.g. models/my-bert", "zh": "例如 models/my-bert"},
    "hf_source_help": {
        "en": "A folder on this machine with config.json, the weights and the tokenizer. A hub id such as "
        "bert-base-uncased works only if it is already in the local cache or the machine is online.",
        "zh": "本机上包含 config.json、权重和分词器的文件夹。像 bert-base-uncased 这样的 Hub 名称，"
        "只有已在本地缓存中或本机联网时才能使用。",
    },
    "hf_enter_source": {
        "en": "Enter a model folder to begin. To make one on a machine with internet: "
        '`AutoModel.from_pretrained("bert-base-uncased").save_pretrained("models/bert")`, and the same for '
        "its tokenizer; then copy the folder here. No model at hand? `python -m seqviz.explorer --tiny models/tiny` "
        "saves tiny random BERT, GPT-2 and T5 models to try the page offline (their attention is random).",
        "zh": '请输入模型文件夹。在联网的机器上可以这样保存：`AutoModel.from_pretrained("bert-base-uncased").save_pretrained("models/bert")`，'
        "分词器也同样保存；然后把文件夹复制到这里。手边没有模型？`python -m seqviz.explorer --tiny models/tiny` "
        "会保存很小的随机 BERT、GPT-2 和 T5 模型，可离线试用本页（它们的注意力是随机的）。",
    },
    "hf_loading": {"en": "Loading {source}…", "zh": "正在加载 {source}……"},
    "hf_load_failed": {"en": "The model could not be loaded: {reason}", "zh": "无法加载模型：{reason}"},
    "hf_loaded": {
        "en": "Loaded **{name}**: {kind} ({type}), {n:,} parameters.",
        "zh": "已加载 **{name}**：{kind}（{type}），{n:,} 个参数。",
    },
    "hf_kind_encoder": {"en": "encoder only (bidirectional)", "zh": "仅编码器（双向）"},
    "hf_kind_decoder": {"en": "decoder only (causal)", "zh": "仅解码器（因果）"},
    "hf_kind_encoder-decoder": {"en": "encoder-decoder", "zh": "编码器-解码器"},
    "hf_large": {
        "en": "{n:,} parameters: every change on this page runs the model again, which takes a while on a laptop CPU.",
        "zh": "{n:,} 个参数：本页每次改动都会重新运行模型，在笔记本 CPU 上需要一些时间。",
    },
    "hf_sentence": {"en": "Sentence", "zh": "句子"},
    "hf_attention_failed": {"en": "No attention to show: {reason}", "zh": "无法显示注意力：{reason}"},
    "hf_truncated": {
        "en": "The sentence was cut to its first {n} tokens: longer maps stop being readable.",
        "zh": "句子被截取为前 {n} 个词元：更长的注意力图难以阅读。",
    },
    "hf_tokens": {"en": "The model's tokens: {tokens}", "zh": "模型的词元：{tokens}"},
    "hf_output": {
        "en": "Its greedy output (the decoder's input tokens): {tokens}",
        "zh": "它的贪心输出（即解码器的输入词元）：{tokens}",
    },
    "hf_bidirectional_self": {"en": "Self-attention query → key (bidirectional)", "zh": "自注意力 查询 → 键（双向）"},
    "hf_causal_self": {"en": "Self-attention query → key (causal)", "zh": "自注意力 查询 → 键（因果）"},
    "hf_encoder_self": {"en": "Encoder self-attention query → key", "zh": "编码器自注意力 查询 → 键"},
    "hf_decoder_self": {"en": "Decoder self-attention query → key (causal)", "zh": "解码器自注意力 查询 → 键（因果）"},
    "hf_cross": {"en": "Cross-attention target → source", "zh": "交叉注意力 目标 → 源"},
    "hf_source_axis": {"en": "source token", "zh": "源词元"},
    "hf_target_axis": {"en": "decoder position (its input token)", "zh": "解码器位置（其输入词元）"},
    "hf_right_share": {
        "en": "Last layer, mean over heads: on average {share:.0%} of a token's attention goes to tokens on its right.",
        "zh": "最后一层，各头平均：每个词元平均有 {share:.0%} 的注意力给了它右边的词元。",
    },
    "hf_steps": {"en": "Step by step: the next token", "zh": "一步一步：下一个词元"},
    "hf_steps_intro": {
        "en": "Each click appends the model's most probable next token (greedy) and shows the new distribution, and "
        "what the last position attended to.",
        "zh": "每次点击都会追加模型最可能的下一个词元（贪心），并显示新的分布，以及最后一个位置关注了什么。",
    },
    "hf_so_far": {"en": "Text so far: {tokens}", "zh": "目前的文本：{tokens}"},
    "hf_next_title": {"en": "Next-token distribution (top 10)", "zh": "下一个词元的分布（前 10）"},
    "hf_last_row_title": {
        "en": "What the last position attended to (last layer, mean over heads)",
        "zh": "最后一个位置关注了什么（最后一层，各头平均）",
    },
}
