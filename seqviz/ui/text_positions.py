"""Text of the positions page, in English and Simplified Chinese."""

POSITIONS_TEXT: dict[str, dict[str, str]] = {
    "page_positions": {"en": "Positions: how attention learns word order", "zh": "位置编码：注意力如何知道词序"},
    "home_page_positions": {
        "en": "Attention alone cannot tell word order apart. See the three ways to add it: sinusoidal tables, "
        "learned position vectors and RoPE rotations.",
        "zh": "注意力本身分不清词序。看看加入位置信息的三种方法：正弦位置编码表、可学习的位置向量和 RoPE 旋转。",
    },
    "pos_title": {"en": "Positional encodings: where word order comes from", "zh": "位置编码：词序从哪里来"},
    "pos_intro": {
        "en": "Self-attention compares every token with every other and adds up what it finds, so on its own it "
        "reads a sentence as a **bag of words**. A Transformer gets order only from a **position signal** added to "
        "the tokens or to its queries and keys.",
        "zh": "自注意力把每个词元与其他所有词元比较并把结果加起来，所以它本身把句子当作一个**词袋**。"
        "Transformer 只能从加到词元或查询、键上的**位置信号**得到词序。",
    },
    "pos_look": {
        "en": "- The sinusoidal table: the first columns flicker fast, the last change slowly, like a clock's hands.\n"
        "- The dot product of two sinusoidal positions depends only on how far apart they are: the curves lie on top "
        "of one another.\n"
        "- RoPE turns each pair of features by an angle that grows with position: query–key scores are constant along "
        "every diagonal.\n"
        "- At the bottom: remove the positions and shuffling the words changes nothing the model computes.",
        "zh": "- 正弦位置编码表：前面的列变化很快，后面的列变化很慢，就像钟表的指针。\n"
        "- 两个正弦位置的点积只取决于它们相隔多远：几条曲线完全重合。\n"
        "- RoPE 把每一对特征旋转一个随位置增大的角度：查询–键得分沿每条对角线都不变。\n"
        "- 页面底部：去掉位置信息后，打乱词序不会改变模型计算出的任何东西。",
    },
    "pos_sinusoidal": {"en": "1. Sinusoidal encodings", "zh": "1. 正弦位置编码"},
    "pos_sinusoidal_intro": {
        "en": "Vaswani et al. (2017): PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)). "
        "Every position gets a unique pattern, and nothing is learned.",
        "zh": "Vaswani 等（2017）：PE[p, 2i] = sin(p / 10000^(2i/d))，PE[p, 2i+1] = cos(p / 10000^(2i/d))。"
        "每个位置都有独一无二的模式，而且不需要学习。",
    },
    "pos_dims": {"en": "Model dimensions d", "zh": "模型维度 d"},
    "pos_positions": {"en": "Positions shown", "zh": "显示的位置数"},
    "pos_heatmap_title": {"en": "Sinusoidal table: position × dimension", "zh": "正弦位置编码表：位置 × 维度"},
    "pos_dimension": {"en": "dimension", "zh": "维度"},
    "pos_position": {"en": "position", "zh": "位置"},
    "pos_value": {"en": "value", "zh": "数值"},
    "pos_curves_title": {"en": "Four columns: value against position", "zh": "其中四列：数值随位置变化"},
    "pos_column": {"en": "dimension {i}", "zh": "第 {i} 维"},
    "pos_offset_title": {
        "en": "PE[p] · PE[p + k] against the offset k, from three starting positions p",
        "zh": "PE[p] · PE[p + k] 随偏移 k 的变化，三个不同的起点 p",
    },
    "pos_offset": {"en": "offset k (positions apart)", "zh": "偏移 k（相隔的位置数）"},
    "pos_dot": {"en": "dot product", "zh": "点积"},
    "pos_from": {"en": "from p = {p}", "zh": "从 p = {p} 开始"},
    "pos_offset_caption": {
        "en": "The three curves coincide (largest gap {gap:.1e}): the dot product of two positions depends on their "
        "distance, not on where they are, so attention can learn rules like “look two words back”.",
        "zh": "三条曲线重合（最大差距 {gap:.1e}）：两个位置的点积取决于它们的距离，而不是它们在哪里，"
        "所以注意力可以学会“往回看两个词”这样的规则。",
    },
    "pos_learned": {"en": "2. Learned position vectors", "zh": "2. 可学习的位置向量"},
    "pos_learned_intro": {
        "en": "BERT and GPT-2 learn one vector per position instead. Below: how similar the learned position vectors "
        "of the built-in masked LM ({model}) are to each other. Sentences in its training data have at most "
        "{n} tokens; positions beyond those were never trained.",
        "zh": "BERT 和 GPT-2 改为给每个位置学习一个向量。下图：内置掩码语言模型（{model}）学到的位置向量之间有多相似。"
        "它的训练句子最多 {n} 个词元；更靠后的位置从未被训练过。",
    },
    "pos_learned_title": {
        "en": "Cosine similarity of learned position vectors: position → position",
        "zh": "可学习位置向量的余弦相似度：位置 → 位置",
    },
    "pos_similarity": {"en": "cosine similarity", "zh": "余弦相似度"},
    "pos_learned_caption": {
        "en": "Mean cosine similarity of neighbouring positions: {near:.2f}; of positions 8 or more apart: {far:.2f}. "
        "Nothing forces learned vectors to encode distance: whatever closeness they show, the model took from the "
        "data. Positions past {n} were never trained and stay as random as they started.",
        "zh": "相邻位置的平均余弦相似度：{near:.2f}；相隔 8 个及以上位置的：{far:.2f}。没有任何机制强迫可学习的向量编码距离："
        "它们表现出的任何“远近”都是模型从数据中学来的。{n} 之后的位置从未被训练过，仍和初始化时一样随机。",
    },
    "pos_rope": {"en": "3. RoPE: rotary position embeddings", "zh": "3. RoPE：旋转位置编码"},
    "pos_rope_intro": {
        "en": "Su et al. (2021), used by LLaMA and most recent LLMs: nothing is added to the tokens. Instead each pair "
        "of query and key features is **rotated** by an angle p·θᵢ that grows with the position p. Rotating both by "
        "their positions leaves only the difference of the angles in their dot product.",
        "zh": "Su 等（2021），LLaMA 和大多数新近的大模型都在用：不往词元上加任何东西，而是把查询和键的每一对特征"
        "**旋转**一个随位置 p 增大的角度 p·θᵢ。两者都按各自的位置旋转后，点积里只剩下角度之差。",
    },
    "pos_rope_rotation_title": {
        "en": "One vector's feature pairs at positions 0–{n}: each turns by its own angle per position",
        "zh": "同一个向量的特征对在位置 0–{n}：每一对每个位置转过各自的角度",
    },
    "pos_pair": {"en": "pair {i} ({speed})", "zh": "第 {i} 对（{speed}）"},
    "pos_fast": {"en": "fast", "zh": "快"},
    "pos_slow": {"en": "slow", "zh": "慢"},
    "pos_rope_scores_title": {
        "en": "RoPE scores: query at m → key at n",
        "zh": "RoPE 分数：位置 m 的查询 → 位置 n 的键",
    },
    "pos_absolute_scores_title": {
        "en": "Added sinusoidal positions: query at m → key at n",
        "zh": "加上正弦位置编码：位置 m 的查询 → 位置 n 的键",
    },
    "pos_query_position": {"en": "query position m", "zh": "查询位置 m"},
    "pos_key_position": {"en": "key position n", "zh": "键位置 n"},
    "pos_score": {"en": "score", "zh": "得分"},
    "pos_rope_check": {
        "en": "Checked numerically with one random query and key (d = {d}): along every diagonal m − n = const the "
        "RoPE score varies by at most **{rope:.1e}** (float rounding): it depends on the relative position only. "
        "With the sinusoidal table added to the same vectors instead, scores along a diagonal vary by up to **{added:.2f}**.",
        "zh": "用一个随机查询和键数值验证（d = {d}）：沿每条对角线 m − n = 常数，RoPE 得分的变化最多 **{rope:.1e}**"
        "（浮点舍入误差）：它只取决于相对位置。若改为把正弦位置编码加到同样的向量上，对角线上的得分变化可达 **{added:.2f}**。",
    },
    "pos_blind": {
        "en": "4. Without positions, attention is blind to order",
        "zh": "4. 没有位置信息，注意力对词序视而不见",
    },
    "pos_blind_intro": {
        "en": "The built-in masked LM ({model}) fills the blank twice: as trained, and with its position vectors set to "
        "zero (same weights). Shuffle the words and compare.",
        "zh": "内置掩码语言模型（{model}）填两次空：一次是训练好的原样，一次把它的位置向量设为零（权重不变）。打乱词序再比较。",
    },
    "pos_blank": {"en": "Word to hide", "zh": "要遮住的词"},
    "pos_shuffle": {"en": "Shuffle the words", "zh": "打乱词序"},
    "pos_reset": {"en": "Original order", "zh": "原来的顺序"},
    "pos_model": {"en": "model", "zh": "模型"},
    "pos_order": {"en": "word order", "zh": "词序"},
    "pos_input": {"en": "what the model reads", "zh": "模型读到的内容"},
    "pos_guess": {"en": "top 3 for the blank", "zh": "空位的前 3 个候选"},
    "pos_with": {"en": "with positions", "zh": "有位置信息"},
    "pos_without": {"en": "positions removed", "zh": "去掉位置信息"},
    "pos_original": {"en": "original", "zh": "原顺序"},
    "pos_shuffled": {"en": "shuffled", "zh": "打乱后"},
    "pos_same_order": {"en": "Press “Shuffle the words” to see a different order.", "zh": "点击“打乱词序”换一种顺序。"},
    "pos_blind_same": {
        "en": "Positions removed: every output is the same, only permuted (largest difference over all {n} outputs: "
        "{diff:.1e}). To this model “{a}” and “{b}” are the same sentence.",
        "zh": "去掉位置信息：每个输出都相同，只是换了位置（全部 {n} 个输出的最大差异：{diff:.1e}）。"
        "对这个模型来说，“{a}”和“{b}”是同一个句子。",
    },
    "pos_blind_differs": {
        "en": "With its positions the model notices the shuffle: its outputs differ by up to {diff:.2f}.",
        "zh": "有位置信息时模型察觉到了打乱：它的输出最多相差 {diff:.2f}。",
    },
    "pos_unknown": {"en": "Unknown words are read as [UNK]: {words}", "zh": "未知的词按 [UNK] 处理：{words}"},
}
