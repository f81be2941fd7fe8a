"""Strings of the slide pack (`python -m seqviz.export`): each slide's title, what to look at, and the index."""

SLIDES_TEXT: dict[str, dict[str, str]] = {
    "slide_masks_self_title": {
        "en": "One attention block, four masks: who may attend to whom",
        "zh": "同一个注意力模块，四种掩码：谁可以关注谁",
    },
    "slide_masks_self_axes": {
        "en": "rows: query (looking) → columns: key (looked at); blue = may attend",
        "zh": "行：查询（看的一方）→ 列：键（被看的一方）；蓝色 = 可以关注",
    },
    "slide_masks_self_look": {
        "en": "Blue cells may attend. Only the mask changes between BERT, GPT, a prefix LM and XLNet; the weights "
        "of the block stay the same.",
        "zh": "蓝色格子表示可以关注。BERT、GPT、前缀语言模型和 XLNet 之间只有掩码不同，模块的权重完全一样。",
    },
    "slide_masks_seq2seq_title": {
        "en": "The masks of an encoder-decoder, a parallel decoder and a padded batch",
        "zh": "编码器-解码器、并行解码器与填充批次的掩码",
    },
    "slide_masks_seq2seq_axes": {
        "en": "rows: query (looking) → columns: key (looked at); blue = may attend",
        "zh": "行：查询（看的一方）→ 列：键（被看的一方）；蓝色 = 可以关注",
    },
    "slide_masks_seq2seq_look": {
        "en": "The encoder sees the whole source; the decoder sees only earlier target tokens, plus all of the "
        "source through cross-attention. A non-autoregressive decoder drops the causal triangle.",
        "zh": "编码器看到整个源句；解码器只看到之前的目标词元，并通过交叉注意力看到整个源句。非自回归解码器去掉了因果三角。",
    },
    "slide_attention_title": {
        "en": "Bidirectional vs causal attention on one sentence",
        "zh": "同一句子上的双向注意力与因果注意力",
    },
    "slide_attention_axes": {"en": "query → key; last layer, mean over heads", "zh": "查询 → 键；最后一层，各头平均"},
    "slide_attention_look": {
        "en": "The masked LM's rows spread to both sides of each word; the causal LM's upper triangle is grey, "
        "because a token may not look at the future.",
        "zh": "掩码语言模型每一行的注意力分布在词的两侧；因果语言模型的右上三角是灰色的，因为词元不能看到未来。",
    },
    "slide_attention_mlm": {"en": "Masked LM (toy_mlm): bidirectional", "zh": "掩码语言模型（toy_mlm）：双向"},
    "slide_attention_clm": {"en": "Causal LM (toy_clm): causal", "zh": "因果语言模型（toy_clm）：因果"},
    "slide_step_title": {
        "en": 'One step of generation after "{prompt}": the next-token distribution before and after top-k = {k}',
        "zh": "在“{prompt}”之后生成一步：top-k = {k} 处理前后的下一个词元分布",
    },
    "slide_step_look": {
        "en": "The model gives every word a probability; top-k removes all but the k best (✕), renormalises, and "
        "the token marked ▶ is sampled from what is left.",
        "zh": "模型给每个词一个概率；top-k 只保留最好的 k 个（其余标 ✕）并重新归一化，标 ▶ 的词元从剩下的词中采样得到。",
    },
    "slide_step_axes": {
        "en": "x: probability; ▶ the sampled token; ✕ removed by top-k",
        "zh": "横轴：概率；▶ 采样到的词元；✕ 被 top-k 去掉",
    },
    "slide_beam_title": {
        "en": 'Beam search after "{prompt}", width {width}: every candidate, kept or pruned',
        "zh": "在“{prompt}”之后的束搜索，束宽 {width}：所有候选，保留或剪掉",
    },
    "slide_beam_axes": {"en": "x: step", "zh": "横轴：步数"},
    "slide_beam_look": {
        "en": "At every step only the {width} best partial sentences survive; the orange path is the best "
        "hypothesis. Scores are length-normalised log-probabilities.",
        "zh": "每一步只保留最好的 {width} 个部分句子；橙色路径是最佳假设。分数是按长度归一化的对数概率。",
    },
    "slide_cross_title": {
        "en": "Cross-attention of the Transformer translator",
        "zh": "Transformer 翻译模型的交叉注意力",
    },
    "slide_cross_axes": {
        "en": "rows: French token written → columns: English source word; last layer, mean over heads",
        "zh": "行：写出的法语词元 → 列：英语源词；最后一层，各头平均",
    },
    "slide_cross_look": {
        "en": "Each row is the French token being written; the dark cells show which English words the decoder read "
        "for it. Colour adjectives follow their noun in French, so the pattern leaves the diagonal there.",
        "zh": "每一行是正在写出的法语词元；深色格子表示解码器为它读了哪些英语词。法语中颜色形容词放在名词之后，所以那里的图案偏离对角线。",
    },
    "slide_alignment_title": {
        "en": "Alignment: GRU + Bahdanau attention vs Transformer cross-attention",
        "zh": "对齐：GRU + Bahdanau 注意力与 Transformer 交叉注意力",
    },
    "slide_alignment_axes": {"en": "rows: French target → columns: English source", "zh": "行：法语目标 → 列：英语源"},
    "slide_alignment_look": {
        "en": "Both models learned, without being told, which source word each target word comes from. Bahdanau's "
        "single attention is sharper; the Transformer's is averaged over heads.",
        "zh": "两个模型都在没有被告知的情况下学会了每个目标词来自哪个源词。Bahdanau 只有一个注意力，更集中；Transformer 的是各头平均。",
    },
    "slide_mask_predict_title": {
        "en": "Mask-predict: every target token at once, refined over iterations",
        "zh": "Mask-Predict：一次预测所有目标词元，逐次迭代细化",
    },
    "slide_mask_predict_axes": {"en": "row: iteration; column: target position", "zh": "行：迭代；列：目标位置"},
    "slide_mask_predict_look": {
        "en": "Iteration 1 predicts the whole sentence in one pass. Each later pass masks the least confident tokens "
        "(orange frames) and predicts them again, seeing the others.",
        "zh": "第 1 次迭代用一次计算预测整句。之后每次把置信度最低的词元重新遮盖（橙色框）并再次预测，同时能看到其余词元。",
    },
    "slide_speed_title": {
        "en": "Decoding time against target length",
        "zh": "解码时间与目标长度",
    },
    "slide_speed_axes": {
        "en": "x: target tokens; y: ms per batch, log scale",
        "zh": "横轴：目标词元数；纵轴：每批毫秒数，对数刻度",
    },
    "slide_speed_look": {
        "en": "Autoregressive decoding needs one pass per token, so its time grows with the length; NAT and CTC "
        "take one pass. Measured now on {device}: median of {repeats} runs after a warm-up, untrained "
        "models of the translator's size.",
        "zh": "自回归解码每个词元需要一次计算，所以时间随长度增长；NAT 和 CTC 只需一次。刚刚在 {device} 上实测："
        "预热后 {repeats} 次运行的中位数，使用与翻译模型同样大小的未训练模型。",
    },
    "slide_speed_measured": {
        "en": "measured on {device}: median of {repeats} runs after a warm-up",
        "zh": "在 {device} 上实测：预热后 {repeats} 次运行的中位数",
    },
    "slide_index_title": {"en": "seqviz slide pack", "zh": "seqviz 幻灯片图包"},
    "slide_index_intro": {
        "en": 'Sentence: "{sentence}". Rendered on {date} on {device}; every figure is {width}×{height} px '
        "as PNG and as SVG (vector).",
        "zh": "句子：“{sentence}”。{date} 在 {device} 上生成；每张图都有 {width}×{height} 像素的 PNG 和 SVG（矢量）两种格式。",
    },
}
