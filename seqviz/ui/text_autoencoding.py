"""Text of the autoencoding (BERT) page, in English and Simplified Chinese."""

AUTOENCODING_TEXT: dict[str, dict[str, str]] = {
    "page_autoencoding": {"en": "Autoencoding: BERT fills the blanks", "zh": "自编码：BERT 完形填空"},
    "home_page_autoencoding": {
        "en": "Mask words and watch a masked language model fill them from both sides; see why a left-to-right "
        "model cannot, and what pre-training buys a classifier.",
        "zh": "遮住一些词，看掩码语言模型如何利用两侧上下文把它们填回去；看看从左到右的模型为什么做不到，以及预训练能给分类器带来什么。",
    },
    "ae_title": {"en": "Autoencoding: BERT fills the blanks", "zh": "自编码：BERT 完形填空"},
    "ae_intro": {
        "en": "An autoencoding model learns by **corrupting its input and reconstructing it**: about 15% of the words "
        "are hidden and the model predicts them from the context on **both sides**. That makes it good at "
        "understanding a sentence — and unable to write one left to right.",
        "zh": "自编码模型通过**破坏输入再重建**来学习：大约 15% 的词被遮住，模型利用**两侧**的上下文预测它们。"
        "这让它擅长理解句子——但不能从左到右地写句子。",
    },
    "ae_look": {
        "en": "- Mask the noun in **“the [MASK] sleep”**: the model picks a *plural* noun, because it reads “sleep” "
        "to the right. A left-to-right model at the same blank has not seen “sleep” yet.\n"
        "- Green bars are words the toy-language checker accepts in that blank; several can be right.\n"
        "- In the attention heatmap, rows above the diagonal are not empty: a word attends to words on its right.\n"
        "- Caveat: attention weights show where information flows, not *why* the model decided — they are not an "
        "explanation on their own.",
        "zh": "- 遮住 **“the [MASK] sleep”** 中的名词：模型会选*复数*名词，因为它读到了右边的 “sleep”。"
        "从左到右的模型在同一个空位上还没看到 “sleep”。\n"
        "- 绿色条表示玩具语言检查器认为可以填在这个空位的词；正确答案可能不止一个。\n"
        "- 注意力热图中对角线右上方并不为空：一个词会关注它右边的词。\n"
        "- 注意：注意力权重显示信息从哪里流过，而不说明模型*为什么*这样决定——它本身不是解释。",
    },
    "ae_sentence_help": {
        "en": "Lower-case toy-language English; type [MASK] to hide a word, or click words below.",
        "zh": "玩具语言的小写英文；输入 [MASK] 遮住一个词，或点击下方的词。",
    },
    "ae_unknown": {
        "en": "The model does not know {words}. It knows these words: {known}.",
        "zh": "模型不认识 {words}。它认识这些词：{known}。",
    },
    "ae_too_long": {
        "en": "The sentence has {n} words; the model reads at most {max}, so the rest was left out.",
        "zh": "句子有 {n} 个词；模型最多读 {max} 个，其余部分已略去。",
    },
    "ae_pick_masks": {"en": "Click words to mask them", "zh": "点击词语来遮住它们"},
    "ae_no_mask": {
        "en": "No word is masked yet: click one or more words above (or type [MASK]).",
        "zh": "还没有遮住任何词：请点击上方的一个或多个词（或输入 [MASK]）。",
    },
    "ae_all_masked": {
        "en": "Every word is masked: with no context left, the model can only guess from word frequencies. "
        "Unmask a word or two to see context at work.",
        "zh": "所有词都被遮住了：没有上下文，模型只能按词频猜测。取消遮住一两个词，看看上下文的作用。",
    },
    "ae_random_mask": {"en": "Mask 15% at random (BERT's rule)", "zh": "按 BERT 规则随机遮住 15%"},
    "ae_corruption": {"en": "BERT's 80/10/10 rule on your sentence", "zh": "BERT 的 80/10/10 规则作用于你的句子"},
    "ae_corruption_caption": {
        "en": "15% of positions are chosen. Of those, 80% become [MASK], 10% a random word, 10% stay unchanged — "
        "and the model must predict the original word at all of them, so it cannot trust any input word blindly.",
        "zh": "选中 15% 的位置：其中 80% 换成 [MASK]，10% 换成随机词，10% 保持不变——模型必须在所有这些位置预测原词，"
        "所以它不能盲目相信任何输入词。",
    },
    "ae_action_mask": {"en": "→ [MASK]", "zh": "→ [MASK]"},
    "ae_action_random": {"en": "→ random word", "zh": "→ 随机词"},
    "ae_action_keep": {"en": "→ unchanged", "zh": "→ 保持不变"},
    "ae_clear_random": {"en": "Back to my own masks", "zh": "回到我自己选的遮盖"},
    "ae_predictions": {"en": "What the model predicts in each blank", "zh": "模型在每个空位的预测"},
    "ae_blank": {"en": "Blank {i} (was “{word}”)", "zh": "空位 {i}（原词 “{word}”）"},
    "ae_blank_typed": {"en": "Blank {i}", "zh": "空位 {i}"},
    "ae_fits": {"en": "fits the sentence", "zh": "符合语法"},
    "ae_does_not_fit": {"en": "does not fit", "zh": "不符合语法"},
    "ae_strategy": {"en": "Fill the blanks", "zh": "填空方式"},
    "ae_parallel": {"en": "all at once (one pass)", "zh": "一次全部填（一次前向计算）"},
    "ae_confident_first": {"en": "one at a time, surest first", "zh": "一次填一个，先填最有把握的"},
    "ae_reconstructed": {"en": "Reconstructed: {sentence}", "zh": "重建结果：{sentence}"},
    "ae_grammatical": {"en": "The toy-language checker accepts this sentence.", "zh": "玩具语言检查器接受这个句子。"},
    "ae_ungrammatical": {
        "en": "The checker rejects this sentence: blanks filled independently can disagree with each other — "
        "try “one at a time”.",
        "zh": "检查器不接受这个句子：各空位独立填写时可能互相矛盾——试试“一次填一个”。",
    },
    "ae_attention": {"en": "Bidirectional attention", "zh": "双向注意力"},
    "ae_attention_intro": {
        "en": "Each row is a word looking at the others. The encoder's mask is bidirectional, so cells to the "
        "**right** of the diagonal are allowed: a word can attend to the words after it.",
        "zh": "每一行是一个词在看其他词。编码器的掩码是双向的，所以对角线**右侧**的格子也可以有权重：一个词可以关注它后面的词。",
    },
    "ae_view": {"en": "Show", "zh": "显示"},
    "ae_one_head": {"en": "one head", "zh": "单个头"},
    "ae_mean_heads": {"en": "mean over heads", "zh": "各头平均"},
    "ae_all_heads": {"en": "all layers × heads", "zh": "所有层 × 头"},
    "ae_right_share": {
        "en": "In this layer, {share:.0%} of the attention (averaged over heads and words) goes to words on the right.",
        "zh": "在这一层，{share:.0%} 的注意力（对头和词取平均）落在右侧的词上。",
    },
    "ae_versus": {"en": "Left-to-right vs bidirectional on the same blank", "zh": "同一个空位：从左到右 vs 双向"},
    "ae_versus_intro": {
        "en": "Both models have the same size and saw the same sentences. The masked LM sees the whole sentence; "
        "the causal LM, predicting the word at this position, has seen only the words before it. "
        "Right-context examples: {examples}.",
        "zh": "两个模型大小相同，训练用的句子也相同。掩码语言模型看得到整句话；因果语言模型在预测这个位置的词时，"
        "只看到了它前面的词。依赖右侧上下文的例子：{examples}。",
    },
    "ae_which_blank": {"en": "Blank to compare", "zh": "要比较的空位"},
    "ae_mlm_sees": {"en": "Masked LM (sees: {context})", "zh": "掩码语言模型（看到：{context}）"},
    "ae_clm_sees": {"en": "Causal LM (sees: {context})", "zh": "因果语言模型（看到：{context}）"},
    "ae_measured": {
        "en": "Measured on {n} held-out positions where only the right context decides a noun's number "
        "(e.g. “the [cat|cats] sleep”): the masked LM prefers the agreeing form **{mlm:.1%}** of the time, "
        "the causal LM **{clm:.1%}** — close to a coin toss, because the deciding word has not been read yet.",
        "zh": "在 {n} 个留出位置上测量，这些位置的名词单复数只能由右侧上下文决定（如 “the [cat|cats] sleep”）："
        "掩码语言模型选对一致形式的比例为 **{mlm:.1%}**，因果语言模型为 **{clm:.1%}**——接近抛硬币，因为决定性的词还没读到。",
    },
    "ae_quality": {
        "en": "Held-out quality of **toy_mlm** ({n} test sentences, 1–3 blanks each, top-1 fills): the checker accepts "
        "{parallel:.1%} of sentences filled all at once and {confident:.1%} filled one at a time.",
        "zh": "**toy_mlm** 的留出集质量（{n} 个测试句，每句 1–3 个空位，取第一名填空）：一次全部填时检查器接受 "
        "{parallel:.1%} 的句子，一次填一个时接受 {confident:.1%}。",
    },
    "ae_finetune": {
        "en": "What pre-training buys: fine-tune on a few labelled sentences",
        "zh": "预训练带来什么：只用少量标注句子微调",
    },
    "ae_finetune_examples": {"en": "Labelled sentences", "zh": "标注句子数"},
    "ae_finetune_intro": {
        "en": "Task: is the first subject singular or plural? Both encoders get a new [CLS] classifier and the same "
        "{n} labelled sentences; one starts from the pre-trained masked LM, the other from random weights. "
        "Accuracy is measured on {m} other sentences.",
        "zh": "任务：句子的第一个主语是单数还是复数？两个编码器都接上新的 [CLS] 分类器，使用相同的 {n} 个标注句子；"
        "一个从预训练的掩码语言模型开始，另一个从随机权重开始。准确率在另外 {m} 个句子上测量。",
    },
    "ae_finetune_button": {"en": "Fine-tune both", "zh": "微调两个模型"},
    "ae_finetune_steps": {"en": "Fine-tuning steps", "zh": "微调步数"},
    "ae_finetuning": {"en": "Fine-tuning the {name} encoder…", "zh": "正在微调{name}编码器……"},
    "ae_pretrained": {"en": "pre-trained", "zh": "预训练的"},
    "ae_random_init": {"en": "random init", "zh": "随机初始化的"},
    "ae_finetune_result": {
        "en": "After {steps} steps on {n} labelled sentences ({seconds:.1f} s on the {device}): held-out accuracy "
        "pre-trained **{warm:.1%}**, random init **{cold:.1%}**.",
        "zh": "用 {n} 个标注句子训练 {steps} 步之后（在 {device} 上用时 {seconds:.1f} 秒）：留出集准确率——"
        "预训练的 **{warm:.1%}**，随机初始化的 **{cold:.1%}**。",
    },
    "ae_step": {"en": "fine-tuning step", "zh": "微调步数"},
    "ae_accuracy": {"en": "held-out accuracy", "zh": "留出集准确率"},
    "ae_encoder": {"en": "encoder", "zh": "编码器"},
    "ae_probability": {"en": "probability", "zh": "概率"},
    "ae_grid": {"en": "rows = layers, columns = heads", "zh": "行 = 层，列 = 头"},
    "ae_attention_title": {"en": "Bidirectional attention query → key", "zh": "双向注意力 查询 → 键"},
    "ae_clm_missing": {
        "en": "The causal LM checkpoint is missing; run: `python -m seqviz.train --model toy_clm`",
        "zh": "缺少因果语言模型的检查点；请运行：`python -m seqviz.train --model toy_clm`",
    },
}
