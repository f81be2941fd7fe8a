"""Strings of the parallel-decoding page, in English and Simplified Chinese."""

PARALLEL_TEXT: dict[str, dict[str, str]] = {
    "page_parallel": {"en": "Parallel decoding: NAT, mask-predict, CTC", "zh": "并行解码：NAT、Mask-Predict、CTC"},
    "home_page_parallel": {
        "en": "Write every token at once instead of one at a time: much faster, until words repeat or mix. "
        "AR vs NAT, mask-predict and CTC side by side, timed on this machine.",
        "zh": "一次写出所有词元，而不是一个一个写：快得多，但会出现重复或混杂的词。自回归与 NAT、Mask-Predict、CTC 并排比较，在本机计时。",
    },
    "par_title": {"en": "Parallel decoding: every token at once", "zh": "并行解码：一次写出所有词元"},
    "par_intro": {
        "en": "An autoregressive decoder needs one pass per token. A **non-autoregressive** decoder predicts every target "
        "token at once, P(y | x) ≈ Π P(y_t | x): one pass instead of T. The price: the tokens no longer see each other's "
        "choices, so where the data offers several valid words (synonyms), positions can pick from different "
        "translations — **repeated or mixed words**. Training on an autoregressive teacher's own translations "
        "(**distillation**) and refining a few times (**mask-predict**) close most of the gap.",
        "zh": "自回归解码器每个词元需要一次前向计算。**非自回归**解码器一次预测所有目标词元，P(y | x) ≈ Π P(y_t | x)：一次计算代替 T 次。"
        "代价是：各位置看不到彼此的选择，当数据中有多个合法词（同义词）时，不同位置可能取自不同译文——出现**重复或混杂的词**。"
        "用自回归教师模型自己的译文来训练（**蒸馏**），再迭代修正几次（**Mask-Predict**），可以弥补大部分差距。",
    },
    "par_look": {
        "en": "- The four outputs side by side: decoder passes vs milliseconds — one NAR pass costs more than one AR step, "
        "but it replaces all of them.\n"
        "- Mask-predict, iteration by iteration: the least confident tokens are masked again and re-predicted.\n"
        "- Raw vs distilled training: the raw-trained models mix pieces of different valid translations — the "
        "multimodality problem, measured.",
        "zh": "- 四个输出并排：解码器前向次数与毫秒数——一次非自回归计算比一步自回归更贵，但它代替了所有步骤。\n"
        "- Mask-Predict 逐次迭代：置信度最低的词元被重新遮挡并再次预测。\n"
        "- 原始数据与蒸馏数据训练：原始数据训练的模型会把不同合法译文的片段混在一起——这就是被测量出来的多峰问题。",
    },
    "par_training": {"en": "Parallel models trained on", "zh": "并行模型的训练数据"},
    "par_raw": {"en": "raw data (random synonyms)", "zh": "原始数据（随机同义词）"},
    "par_distilled": {"en": "AR teacher's translations (distilled)", "zh": "自回归教师的译文（蒸馏）"},
    "par_iterations": {"en": "Mask-predict iterations T", "zh": "Mask-Predict 迭代次数 T"},
    "par_length": {"en": "Target length (0 = predicted)", "zh": "目标长度（0 = 由模型预测）"},
    "par_length_bad": {
        "en": "A length of {n} is outside what the models can write (1–{max}); the predicted length is used.",
        "zh": "长度 {n} 超出模型能写的范围（1–{max}）；改用预测的长度。",
    },
    "par_length_forced": {
        "en": "Length forced to {n} (the source has {s} words): the parallel models must fill exactly {n} positions.",
        "zh": "长度被强制为 {n}（原文有 {s} 个词）：并行模型必须恰好填满 {n} 个位置。",
    },
    "par_side_by_side": {"en": "Four decoders, one sentence", "zh": "四种解码器，同一个句子"},
    "par_ar": {"en": "Autoregressive (greedy, KV cache)", "zh": "自回归（贪心，KV 缓存）"},
    "par_nat": {"en": "NAT (one pass)", "zh": "NAT（一次计算）"},
    "par_ctc": {"en": "CTC (one pass)", "zh": "CTC（一次计算）"},
    "par_mask_predict": {"en": "Mask-predict (T = {t})", "zh": "Mask-Predict（T = {t}）"},
    "par_cost": {
        "en": "**{ms:.1f} ms** · {passes} decoder pass(es)",
        "zh": "**{ms:.1f} 毫秒** · 解码器 {passes} 次前向",
    },
    "par_timing_now": {"en": "Decoding and timing the four on this device…", "zh": "正在本机上解码并计时四种方法……"},
    "par_timing_note": {
        "en": "Wall-clock per sentence: median of {runs} runs after warm-up, on {device}; attention not captured. "
        "The encoder runs once in every method and is included.",
        "zh": "每句的实际耗时：在 {device} 上预热后 {runs} 次运行的中位数；不记录注意力。每种方法都包含编码器的一次运行。",
    },
    "par_iter_header": {"en": "Mask-predict, iteration by iteration", "zh": "Mask-Predict 逐次迭代"},
    "par_iter_intro": {
        "en": "Start with every position masked and predict them all; then mask again the least confident — "
        "L·(T−t)/T of them at iteration t — and predict those again. Cells show each token and its confidence; "
        "an orange frame marks the positions predicted in that iteration.",
        "zh": "从所有位置都被遮挡开始，一次预测全部；然后把置信度最低的重新遮挡——第 t 次迭代遮挡 L·(T−t)/T 个——再预测它们。"
        "每格显示词元及其置信度；橙色边框标出本次迭代中被预测的位置。",
    },
    "par_iteration": {"en": "iteration", "zh": "迭代"},
    "par_position": {"en": "target position", "zh": "目标位置"},
    "par_confidence": {"en": "confidence", "zh": "置信度"},
    "par_iter_title": {
        "en": "Mask-predict: tokens and confidence per iteration",
        "zh": "Mask-Predict：每次迭代的词元与置信度",
    },
    "par_ctc_header": {"en": "CTC: the raw output, then collapsed", "zh": "CTC：原始输出，然后合并"},
    "par_ctc_intro": {
        "en": "The decoder writes one symbol per up-sampled position (2 per source word): a word or the blank ‹_›. "
        "Merging repeats and dropping blanks gives the output; a blank between two equal words keeps both.",
        "zh": "解码器在每个上采样位置（每个原文词 2 个）写一个符号：一个词或空白符 ‹_›。合并重复、去掉空白符就得到输出；"
        "两个相同词之间若有空白符，则两者都保留。",
    },
    "par_ctc_raw": {"en": "Raw path ({n} positions): {path}", "zh": "原始路径（{n} 个位置）：{path}"},
    "par_ctc_collapsed": {"en": "Collapsed: **{text}**", "zh": "合并后：**{text}**"},
    "par_length_header": {"en": "NAT's length prediction", "zh": "NAT 的长度预测"},
    "par_length_intro": {
        "en": "Before writing anything, NAT must decide how many tokens to write: a classification over lengths, "
        "from the encoder's states. A wrong length makes the whole output wrong.",
        "zh": "在写任何词之前，NAT 必须先决定写多少个词元：基于编码器状态、对长度做分类。长度一错，整个输出就错了。",
    },
    "par_length_title": {"en": "P(target length)", "zh": "P(目标长度)"},
    "par_tokens": {"en": "{n} tokens", "zh": "{n} 个词元"},
    "par_multi_header": {"en": "Multimodality: raw vs distilled training", "zh": "多峰问题：原始数据与蒸馏数据"},
    "par_multi_intro": {
        "en": 'In the raw data, "big" is sometimes *grand*, sometimes *gros*; "chases" *chasse* or *poursuit*. An AR '
        "decoder picks one and continues consistently; a parallel decoder picks each position independently. "
        "The distilled data has one consistent choice per sentence (the teacher's). Held-out numbers, recorded "
        "with each checkpoint ({n} test sentences); correct translations themselves have {ref:.2%} repeated tokens "
        '("qui courent courent"):',
        "zh": '在原始数据中，"big" 有时译作 *grand*，有时译作 *gros*；"chases" 译作 *chasse* 或 *poursuit*。'
        "自回归解码器选定一个后会前后一致；并行解码器则在每个位置独立选择。蒸馏数据中每句只有一种一致的选择（教师的）。"
        '以下为各检查点记录的留出集结果（{n} 个测试句）；正确译文本身的重复词元率为 {ref:.2%}（如 "qui courent courent"）：',
    },
    "par_model": {"en": "model", "zh": "模型"},
    "par_data": {"en": "trained on", "zh": "训练数据"},
    "par_exact": {"en": "exact match", "zh": "完全匹配率"},
    "par_repeats": {"en": "repeated tokens", "zh": "重复词元率"},
    "par_mixed": {"en": "mixed translations", "zh": "混杂译文"},
    "par_mixed_note": {
        "en": "**Mixed translations**: wrong outputs in which every word is right for *some* valid translation at its "
        'position — pieces of different translations combined, such as "le balle" (from "le ballon" and "la balle"). '
        "This is how multimodality shows here. Repeated words stay rare in this toy language, because the French is "
        "exactly as long as the English: the length is never in doubt, so positions do not drift into each other.",
        "zh": '**混杂译文**：错误输出中每个词在其位置上都属于*某个*合法译文——即不同译文的片段拼在一起，例如 "le balle"'
        '（来自 "le ballon" 和 "la balle"）。这正是多峰问题在这里的表现。在这个玩具语言中重复词很少，'
        "因为法文与英文长度完全相同：长度从不含糊，各位置不会相互错位。",
    },
    "par_multi_examples": {
        "en": "Searched: the first {n} held-out sentences. The raw-trained NAT mixed translations in **{raw}** of "
        "them, the distilled NAT in **{distilled}**. The {shown} shortest where the raw NAT mixed, and what the "
        "distilled NAT wrote:",
        "zh": "检索范围：前 {n} 个留出句子。原始数据训练的 NAT 在其中 **{raw}** 句里混合了不同译法，蒸馏训练的 NAT 为 **{distilled}** 句。"
        "以下是原始 NAT 出现混合的句子中最短的 {shown} 句，以及蒸馏 NAT 的输出：",
    },
    "par_speed_header": {"en": "Speed vs target length, batch 1 and batch 64", "zh": "速度与目标长度：批大小 1 与 64"},
    "par_speed_intro": {
        "en": "Same model sizes as the shipped ones, random weights (decoding cost does not depend on what was learned), "
        "every method writing exactly N tokens. Measured on this device when you press the button.",
        "zh": "与内置模型相同的规模、随机权重（解码开销与学到的内容无关），每种方法都恰好写出 N 个词元。点击按钮后在本机测量。",
    },
    "par_measure": {
        "en": "Measure on this device (takes a minute or two on a laptop CPU)",
        "zh": "在本机测量（在笔记本 CPU 上需要一两分钟）",
    },
    "par_measured": {
        "en": "Measured on {device} in {seconds:.0f} s: 1 warm-up, then the four methods in turn, 3 rounds; "
        "the median per point.",
        "zh": "在 {device} 上测量，用时 {seconds:.0f} 秒：预热 1 次，然后四种方法轮流运行 3 轮，每个点取中位数。",
    },
    "par_speed_y": {"en": "ms per batch", "zh": "每批毫秒数"},
    "par_speed_x": {"en": "target tokens N", "zh": "目标词元数 N"},
    "par_speed_title": {"en": "Batch {b}", "zh": "批大小 {b}"},
    "par_speed_ratio": {
        "en": "At {n} tokens, batch {b}: NAT **{nat:.1f}×**, CTC **{ctc:.1f}×**, mask-predict (T = {t}) **{mp:.1f}×** "
        "the speed of AR.",
        "zh": "在 {n} 个词元、批大小 {b} 时：NAT 是自回归速度的 **{nat:.1f} 倍**，CTC **{ctc:.1f} 倍**，"
        "Mask-Predict（T = {t}）**{mp:.1f} 倍**。",
    },
    "par_anchors": {
        "en": "**Published, for comparison** (WMT14 En→De, batch 1, one GPU, big Transformers; re-measured in the "
        "DA-Transformer paper, Table 1): vanilla NAT **15.3×**, CTC **14.6×**, Mask-Predict with 10 iterations **2.2×** "
        "faster than AR. Kasai et al. (2021) and Helcl et al. (2022) showed the advantage shrinks or vanishes with a "
        "deep-encoder/shallow-decoder AR model, larger batches, or a CPU.",
        "zh": "**已发表的结果，供对比**（WMT14 英→德，批大小 1，单 GPU，大型 Transformer；DA-Transformer 论文表 1 重新测量）："
        "原始 NAT 比自回归快 **15.3 倍**，CTC **14.6 倍**，10 次迭代的 Mask-Predict **2.2 倍**。"
        "Kasai 等人（2021）和 Helcl 等人（2022）指出，若使用深编码器/浅解码器的自回归模型、更大的批或 CPU，这一优势会缩小甚至消失。",
    },
    "par_why": {
        "en": "Why our ratios differ from the paper's: (1) these models are tiny, so a pass costs mostly fixed framework "
        "overhead — one parallel pass over all N positions costs little more than one AR step. (2) Every method also "
        "runs the encoder, which costs about one pass: for a one-pass decoder that is a large share, so NAT gains "
        "about N/3 here, not N. (3) Our AR baseline is a strong one: its cache keeps the self-attention keys and "
        "values, and the source's cross-attention keys and values are computed once. (4) At batch 64 each pass is "
        "real arithmetic on a few CPU cores, and an AR step's overhead is shared by 64 sentences: the advantage "
        "shrinks, and 10 mask-predict passes over every position cost more than AR's incremental steps.",
        "zh": "为何我们的倍数与论文不同：(1) 这些模型很小，一次计算的开销主要是固定的框架开销——一次覆盖全部 N 个位置的并行计算"
        "只比自回归的一步稍贵。(2) 每种方法都要先运行编码器，其开销约等于一次计算：对只需一次计算的解码器而言占比很大，"
        "因此这里 NAT 的提速约为 N/3，而不是 N。(3) 我们的自回归基线很强：缓存保存自注意力的键和值，"
        "源句的交叉注意力键和值只计算一次。(4) 批大小为 64 时，每次计算都是少量 CPU 核心上的真实运算，自回归每步的开销由 64 个句子分摊："
        "优势缩小，而 10 次覆盖所有位置的 Mask-Predict 比自回归的增量步骤更贵。",
    },
    "par_passes_header": {"en": "Forward passes are not the same cost", "zh": "前向计算的代价并不相同"},
    "par_passes_intro": {
        "en": "Milliseconds per decoder pass, from the measurement above: an AR step reads one new position (the cache "
        "holds the rest); a parallel pass reads all N positions at once.",
        "zh": "每次解码器前向的毫秒数（来自上面的测量）：自回归每步只读取一个新位置（其余在缓存中）；并行计算一次读取全部 N 个位置。",
    },
    "par_ms_per_pass": {"en": "ms per pass", "zh": "每次前向毫秒数"},
    "par_method": {"en": "method", "zh": "方法"},
    "par_passes": {"en": "passes", "zh": "前向次数"},
    "par_ms": {"en": "ms", "zh": "毫秒"},
}
