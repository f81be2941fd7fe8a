"""Strings of the sequence-to-sequence page, in English and Simplified Chinese."""

SEQ2SEQ_TEXT: dict[str, dict[str, str]] = {
    "page_seq2seq": {"en": "Sequence-to-sequence: encoder-decoder translation", "zh": "序列到序列：编码器-解码器翻译"},
    "home_page_seq2seq": {
        "en": "An encoder reads the English once; a decoder writes the French token by token, looking back through cross-attention. RNN vs Bahdanau attention vs Transformer.",
        "zh": "编码器一次读完英文；解码器逐个写出法文词元，并通过交叉注意力回看原文。对比 RNN、Bahdanau 注意力与 Transformer。",
    },
    "s2s_title": {
        "en": "Sequence-to-sequence: read everything, then write one token at a time",
        "zh": "序列到序列：先读完整句，再一次写一个词元",
    },
    "s2s_intro": {
        "en": "An **encoder** reads the whole English sentence at once (every word sees every other). A **decoder** then "
        "writes the French from `<bos>` to `<eos>`, one token per step, each step feeding its own output back in: "
        "P(y | x) = Π P(y_t | y_<t, Encoder(x)). How much of the source each step can see is what separates the three "
        "models here: an RNN without attention gets **one vector** for the whole sentence; Bahdanau attention lets "
        "every step look back at **every source word**; the Transformer does that in every layer with several heads.",
        "zh": "**编码器**一次读完整个英文句子（每个词都能看到其他所有词）。随后**解码器**从 `<bos>` 写到 `<eos>`，每步写一个法文词元，"
        "并把自己的输出接回输入：P(y | x) = Π P(y_t | y_<t, 编码器(x))。三个模型的区别在于每一步能看到多少原文："
        "没有注意力的 RNN 只得到**一个向量**代表整句；Bahdanau 注意力让每一步都能回看**每个原文词**；"
        "Transformer 在每一层、用多个注意力头做到这一点。",
    },
    "s2s_look": {
        "en": '- In the cross-attention heatmap, **"the black cat" → "le chat noir"**: the bright cells cross — '
        '"chat" looks at "cat" before "noir" looks at "black".\n'
        "- The accuracy-by-length chart: the GRU without attention falls as sentences grow; with attention it holds.\n"
        "- Step through the decoding: the encoder ran once, the decoder runs once per token.",
        "zh": '- 交叉注意力热图中，**"the black cat" → "le chat noir"**：亮格交叉——"chat" 先看 "cat"，"noir" 再看 "black"。\n'
        "- 按长度的准确率图：没有注意力的 GRU 随句子变长而下降；有注意力则保持稳定。\n"
        "- 逐步解码：编码器只运行一次，解码器每个词元运行一次。",
    },
    "s2s_sentence": {"en": "English sentence", "zh": "英文句子"},
    "s2s_sentence_help": {
        "en": "Lower-case toy English; capitals and final punctuation are normalised for you.",
        "zh": "小写的玩具英语；大写和句末标点会自动规范化。",
    },
    "s2s_example": {"en": "…or pick an example", "zh": "……或选一个例句"},
    "s2s_normalised": {"en": "Normalised to: *{text}*", "zh": "已规范化为：*{text}*"},
    "s2s_dropped": {"en": "Punctuation ignored: {marks}", "zh": "已忽略标点：{marks}"},
    "s2s_unknown": {
        "en": "The models do not know {words}. They were trained on this vocabulary only: {known}",
        "zh": "模型不认识 {words}。它们只在这些词上训练过：{known}",
    },
    "s2s_empty": {
        "en": "Type an English sentence (or pick an example) to translate.",
        "zh": "输入一个英文句子（或选一个例句）来翻译。",
    },
    "s2s_too_long": {
        "en": "The sentence has {n} words; the models were trained on up to {max}. Only the first {max} are translated.",
        "zh": "这个句子有 {n} 个词；模型只在最多 {max} 个词的句子上训练过，只翻译前 {max} 个。",
    },
    "s2s_not_grammatical": {
        "en": "This is not a sentence of the toy language, so no translation can be marked right; the models still try.",
        "zh": "这不是玩具语言中的句子，因此无法判断译文对错；模型仍会尝试翻译。",
    },
    "s2s_translations": {"en": "Three models, one sentence", "zh": "三个模型，同一个句子"},
    "s2s_reference": {"en": "A correct translation: *{text}*", "zh": "一个正确译文：*{text}*"},
    "s2s_transformer": {"en": "Transformer", "zh": "Transformer"},
    "s2s_gru": {"en": "GRU, no attention", "zh": "GRU，无注意力"},
    "s2s_bahdanau": {"en": "GRU + Bahdanau attention", "zh": "GRU + Bahdanau 注意力"},
    "s2s_right": {
        "en": ":green[**✓ correct**] (the checker accepts every valid translation)",
        "zh": ":green[**✓ 正确**]（检查器接受所有合法译文）",
    },
    "s2s_wrong": {"en": ":red[**✗ not a correct translation**]", "zh": ":red[**✗ 不是正确译文**]"},
    "s2s_unchecked": {"en": "(cannot be checked)", "zh": "（无法检查）"},
    "s2s_model_quality": {"en": "held-out exact match {share:.1%}", "zh": "留出集完全匹配率 {share:.1%}"},
    "s2s_step_header": {"en": "Step through the Transformer's decoding", "zh": "逐步查看 Transformer 的解码"},
    "s2s_next": {"en": "Next token", "zh": "下一个词元"},
    "s2s_to_end": {"en": "To the end", "zh": "直到结束"},
    "s2s_reset": {"en": "Reset", "zh": "重置"},
    "s2s_press_next": {
        "en": "Press **Next token**: the encoder has read the source once; each press runs the decoder once.",
        "zh": "点击**下一个词元**：编码器已读过一次原文；每点一次，解码器运行一次。",
    },
    "s2s_passes": {
        "en": "Encoder passes: **1**. Decoder passes: **{n}**. Written so far: {text}",
        "zh": "编码器运行：**1** 次。解码器运行：**{n}** 次。目前写出：{text}",
    },
    "s2s_step_chose": {
        "en": "Step {step} wrote **{token}** (p = {p:.2f}).",
        "zh": "第 {step} 步写出 **{token}**（p = {p:.2f}）。",
    },
    "s2s_step_distribution": {"en": "Next-token distribution, step {step}", "zh": "第 {step} 步的下一词元分布"},
    "s2s_step_cross": {
        "en": "Where step {step} looked in the source (cross-attention, last layer, mean over heads)",
        "zh": "第 {step} 步在原文中看向哪里（交叉注意力，最后一层，各头平均）",
    },
    "s2s_finished": {"en": "The decoder wrote ‹eos›: translation finished.", "zh": "解码器写出了 ‹eos›：翻译结束。"},
    "s2s_probability": {"en": "probability", "zh": "概率"},
    "s2s_weight": {"en": "weight", "zh": "权重"},
    "s2s_source": {"en": "source (English)", "zh": "原文（英文）"},
    "s2s_target": {"en": "target (French, the token written)", "zh": "译文（法文，所写词元）"},
    "s2s_attention_header": {
        "en": "Cross-attention: which source words each target word reads",
        "zh": "交叉注意力：每个译文词读取哪些原文词",
    },
    "s2s_attention_intro": {
        "en": "Rows are the French tokens the decoder wrote, columns the English words. Reordered adjectives show up as "
        "**crossing** bright cells. Pick a layer and a head, or the mean over heads.",
        "zh": "行是解码器写出的法文词元，列是英文词。调换了顺序的形容词表现为**交叉**的亮格。选择某一层某个头，或各头平均。",
    },
    "s2s_layer": {"en": "Layer", "zh": "层"},
    "s2s_head": {"en": "Head", "zh": "头"},
    "s2s_mean_heads": {"en": "mean over heads", "zh": "各头平均"},
    "s2s_cross_title": {
        "en": "Cross-attention target → source, layer {layer}, {head}",
        "zh": "交叉注意力 目标 → 源，第 {layer} 层，{head}",
    },
    "s2s_grid_title": {
        "en": "Cross-attention target → source: rows = layers, columns = heads",
        "zh": "交叉注意力 目标 → 源：行 = 层，列 = 头",
    },
    "s2s_all_heads": {"en": "All layers × heads", "zh": "所有层 × 头"},
    "s2s_encoder_self": {
        "en": "Encoder self-attention query → key (bidirectional), layer {layer}",
        "zh": "编码器自注意力 查询 → 键（双向），第 {layer} 层",
    },
    "s2s_decoder_self": {
        "en": "Decoder self-attention query → key (causal), layer {layer}",
        "zh": "解码器自注意力 查询 → 键（因果），第 {layer} 层",
    },
    "s2s_masked": {"en": "masked (future)", "zh": "被遮挡（未来）"},
    "s2s_bahdanau_header": {
        "en": "Bahdanau alignment beside Transformer cross-attention",
        "zh": "Bahdanau 对齐与 Transformer 交叉注意力并排",
    },
    "s2s_bahdanau_intro": {
        "en": "Both models read the same French (a correct translation, teacher-forced), so the two maps share their axes. "
        "The GRU has one additive attention per step; the Transformer's is the mean over heads of its last layer.",
        "zh": "两个模型读取同一个法文译文（一个正确译文，教师强制），因此两张图坐标轴相同。"
        "GRU 每步只有一个加性注意力；Transformer 取最后一层各头的平均。",
    },
    "s2s_bahdanau_title": {"en": "GRU + Bahdanau attention: target → source", "zh": "GRU + Bahdanau 注意力：目标 → 源"},
    "s2s_transformer_title": {
        "en": "Transformer: target → source, last layer, mean over heads",
        "zh": "Transformer：目标 → 源，最后一层，各头平均",
    },
    "s2s_length_header": {"en": "Accuracy by sentence length", "zh": "按句子长度的准确率"},
    "s2s_length_intro": {
        "en": "Exact match (any valid translation counts) on held-out sentences, by English length — the shape of "
        "Bahdanau et al. (2015), Figure 2. Recorded when each model was trained ({n} test sentences).",
        "zh": "留出句子上的完全匹配率（任何合法译文都算对），按英文长度分组——即 Bahdanau 等人（2015）图 2 的形状。"
        "数据在各模型训练时记录（{n} 个测试句）。",
    },
    "s2s_length_x": {"en": "English words", "zh": "英文词数"},
    "s2s_length_y": {"en": "exact match", "zh": "完全匹配率"},
    "s2s_model": {"en": "model", "zh": "模型"},
    "s2s_recompute": {"en": "Recompute on this machine ({n} test sentences)", "zh": "在本机重新计算（{n} 个测试句）"},
    "s2s_recomputed": {
        "en": "Measured just now on {device} with {n} held-out sentences in {seconds:.1f} s.",
        "zh": "刚刚在 {device} 上用 {n} 个留出句测得，用时 {seconds:.1f} 秒。",
    },
    "s2s_forcing_header": {"en": "Teacher forcing vs free running", "zh": "教师强制与自由生成"},
    "s2s_forcing_intro": {
        "en": "Training feeds the decoder the **reference** prefix at every position and scores all positions in **one** pass. "
        "Inference has no reference: it feeds back **its own** outputs, one pass per token.",
        "zh": "训练时，解码器在每个位置都读入**参考译文**的前缀，**一次**前向计算就能给所有位置打分。"
        "推理时没有参考译文：模型把**自己的**输出接回输入，每个词元一次前向计算。",
    },
    "s2s_forced_row": {
        "en": "Teacher-forced predictions ({passes} pass): {text}  \n:gray[green: the reference's token; orange: another token — a synonym or an error]",
        "zh": "教师强制下的预测（{passes} 次前向）：{text}  \n:gray[绿色：与参考译文相同；橙色：不同的词元——同义词或错误]",
    },
    "s2s_free_row": {"en": "Free running ({passes} passes): {text}", "zh": "自由生成（{passes} 次前向）：{text}"},
    "s2s_reference_row": {"en": "Reference: {text}", "zh": "参考译文：{text}"},
    "s2s_diverged_valid": {
        "en": "Free running leaves the reference at position {k} with a synonym — still a correct translation: "
        "a model can be right without copying the one reference it was trained on.",
        "zh": "自由生成在第 {k} 个位置用了同义词，偏离了参考译文——但仍是正确译文：模型不必照抄训练时的那一个参考译文也能正确。",
    },
    "s2s_diverged_wrong": {
        "en": "Free running leaves the reference at position {k} and never sees the reference again: every later "
        "token is conditioned on its own mistake.",
        "zh": "自由生成在第 {k} 个位置偏离了参考译文，之后再也看不到参考译文：后面每个词元都以它自己的错误为条件。",
    },
    "s2s_same": {"en": "Free running reproduces the reference exactly.", "zh": "自由生成与参考译文完全相同。"},
    "s2s_timing_header": {
        "en": "Where the time goes: encoder once, decoder T times",
        "zh": "时间花在哪里：编码器一次，解码器 T 次",
    },
    "s2s_timing": {
        "en": "Encoder (once): **{enc:.2f} ms**. Decoder ({steps} steps with the KV cache): **{dec:.2f} ms** "
        "({per:.2f} ms per step). Median of {runs} runs after warm-up on {device}.",
        "zh": "编码器（一次）：**{enc:.2f} 毫秒**。解码器（{steps} 步，使用 KV 缓存）：**{dec:.2f} 毫秒**"
        "（每步 {per:.2f} 毫秒）。在 {device} 上预热后 {runs} 次运行的中位数。",
    },
    "s2s_digits_header": {
        "en": "A pattern we know in advance: reversing and sorting digits",
        "zh": "预先知道的模式：数字的反转与排序",
    },
    "s2s_digits_intro": {
        "en": "A small Transformer trained to reverse digits must read the source backwards: its cross-attention is the "
        "**anti-diagonal**. Sorting has no fixed position to read — attention goes to where each digit value sits.",
        "zh": "一个训练来反转数字的小 Transformer 必须倒着读原文：它的交叉注意力是**反对角线**。"
        "排序没有固定的读取位置——注意力落在各个数字所在的地方。",
    },
    "s2s_digits_task": {"en": "Task", "zh": "任务"},
    "s2s_reverse": {"en": "reverse", "zh": "反转"},
    "s2s_sort": {"en": "sort", "zh": "排序"},
    "s2s_digits_input": {"en": "Digits (3–12)", "zh": "数字（3–12 个）"},
    "s2s_digits_bad": {
        "en": "Type 3 to 12 digits (0–9); other characters are ignored.",
        "zh": "请输入 3 到 12 个数字（0–9）；其他字符会被忽略。",
    },
    "s2s_digits_output": {"en": "Output: **{out}** {verdict}", "zh": "输出：**{out}** {verdict}"},
    "s2s_digits_diagonal": {
        "en": "Measured on held-out digits: in layer {layer}, the strongest cross-attention (mean over heads) falls on the "
        "mirrored source position for {share:.0%} of the output digits (by chance: about 1 in 8).",
        "zh": "在留出数据上测得：第 {layer} 层中，{share:.0%} 的输出数字的最强交叉注意力（各头平均）落在镜像位置的原文数字上（随机约为八分之一）。",
    },
    "s2s_digits_quality": {"en": "Held-out exact match {share:.1%}.", "zh": "留出集完全匹配率 {share:.1%}。"},
}
