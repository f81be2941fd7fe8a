"""Text of the autoregressive (GPT) page, in English and Simplified Chinese."""

AUTOREGRESSIVE_TEXT: dict[str, dict[str, str]] = {
    "page_autoregressive": {"en": "Autoregressive: GPT writes one token at a time", "zh": "自回归：GPT 一次写一个词元"},
    "home_page_autoregressive": {
        "en": "Step through generation token by token: the next-token distribution, sampling controls, beam "
        "search, the KV cache, and why training is parallel but inference is sequential.",
        "zh": "逐个词元地单步生成：下一个词元的概率分布、采样控制、束搜索、KV 缓存，以及为什么训练是并行的而推理是串行的。",
    },
    "ar_title": {"en": "Autoregressive: GPT writes one token at a time", "zh": "自回归：GPT 一次写一个词元"},
    "ar_intro": {
        "en": "An autoregressive model factorises a sentence as **P(x) = Π P(xₜ | x₁…xₜ₋₁)**: it predicts the next "
        "token from the ones before it, appends its choice, and repeats. Training is parallel (every position is "
        "predicted at once under the causal mask); generation is a loop, so its latency grows with the length.",
        "zh": "自回归模型把句子分解为 **P(x) = Π P(xₜ | x₁…xₜ₋₁)**：根据前面的词元预测下一个，把选中的词元接上，"
        "然后重复。训练是并行的（在因果掩码下一次预测所有位置）；生成则是一个循环，所以延迟随长度增长。",
    },
    "ar_look": {
        "en": "- Press **Next token** and watch the attention heatmap grow by one row: the new token can only look left.\n"
        "- Raise the temperature or lower top-p: the grey “after” bars show which tokens can still be sampled.\n"
        "- Beam search keeps several partial sentences; grey nodes are the ones it pruned.\n"
        "- With the KV cache each step computes one new position instead of the whole prefix — same tokens, less work.",
        "zh": "- 点击 **下一个词元**，看注意力热图每次增加一行：新词元只能看左边。\n"
        "- 提高温度或降低 top-p：灰色的“之后”条显示哪些词元仍可能被采样。\n"
        "- 束搜索同时保留几个未完成的句子；灰色节点是被剪掉的。\n"
        "- 使用 KV 缓存时，每一步只计算一个新位置而不是整个前缀——生成的词元相同，计算更少。",
    },
    "ar_prompt": {"en": "Prompt (empty = start of a sentence)", "zh": "提示（留空 = 从句首开始）"},
    "ar_prompt_help": {
        "en": "Lower-case toy-language English words; the model continues after them.",
        "zh": "玩具语言的小写英文单词；模型在其后继续生成。",
    },
    "ar_decoding": {"en": "Decoding", "zh": "解码方式"},
    "ar_greedy": {"en": "greedy", "zh": "贪心"},
    "ar_sampling": {"en": "sampling", "zh": "采样"},
    "ar_temperature": {"en": "Temperature (0 = greedy)", "zh": "温度（0 = 贪心）"},
    "ar_top_k": {"en": "Top-k (0 = off)", "zh": "Top-k（0 = 关闭）"},
    "ar_top_p": {"en": "Top-p (1 = off)", "zh": "Top-p（1 = 关闭）"},
    "ar_seed": {"en": "Seed", "zh": "随机种子"},
    "ar_kv_cache": {"en": "KV cache", "zh": "KV 缓存"},
    "ar_next": {"en": "Next token", "zh": "下一个词元"},
    "ar_to_end": {"en": "Generate to the end", "zh": "生成到结尾"},
    "ar_reset": {"en": "Reset", "zh": "重置"},
    "ar_text_so_far": {"en": "Text so far: {text}", "zh": "目前的文本：{text}"},
    "ar_press_next": {
        "en": "Press **Next token** to generate the first token.",
        "zh": "点击 **下一个词元** 生成第一个词元。",
    },
    "ar_step_chosen": {
        "en": "Step {step}: chose **{token}** (probability {p:.1%} after the processors); this step computed {n} position(s).",
        "zh": "第 {step} 步：选中 **{token}**（处理后概率 {p:.1%}）；这一步计算了 {n} 个位置。",
    },
    "ar_finished": {"en": "The model ended the sentence (<eos>).", "zh": "模型结束了句子（<eos>）。"},
    "ar_window_full": {
        "en": "The context window ({n} tokens) is full: a Transformer cannot look further back, so generation stops.",
        "zh": "上下文窗口（{n} 个词元）已满：Transformer 无法看到更早的内容，生成停止。",
    },
    "ar_checker_ok": {"en": "The toy-language checker accepts this sentence.", "zh": "玩具语言检查器接受这个句子。"},
    "ar_checker_bad": {"en": "The toy-language checker rejects this sentence.", "zh": "玩具语言检查器不接受这个句子。"},
    "ar_before": {"en": "before temperature/top-k/top-p", "zh": "处理前（温度/top-k/top-p）"},
    "ar_after": {"en": "after (sampled from)", "zh": "处理后（从中采样）"},
    "ar_distribution": {"en": "Next-token distribution at step {step}", "zh": "第 {step} 步的下一个词元分布"},
    "ar_attention_growing": {
        "en": "Causal attention query → key, one row per generated token",
        "zh": "因果注意力 查询 → 键：每生成一个词元增加一行",
    },
    "ar_cache_shapes": {"en": "KV cache after step {step}", "zh": "第 {step} 步后的 KV 缓存"},
    "ar_no_cache": {
        "en": "KV cache off: every step recomputes keys and values for the whole prefix ({n} positions this step).",
        "zh": "KV 缓存关闭：每一步都为整个前缀重新计算键和值（这一步 {n} 个位置）。",
    },
    "ar_unknown": {
        "en": "The model does not know {words}; they were left out. It knows these words: {known}.",
        "zh": "模型不认识 {words}，已略去。它认识这些词：{known}。",
    },
    "ar_prompt_cropped": {
        "en": "The prompt has {n} tokens; the context window holds {max}, so only the last {max} are used.",
        "zh": "提示有 {n} 个词元；上下文窗口只能容纳 {max} 个，因此只使用最后 {max} 个。",
    },
    "ar_beam": {"en": "Beam search", "zh": "束搜索"},
    "ar_beam_intro": {
        "en": "Instead of committing to one token per step, beam search keeps the **width** best partial sentences "
        "(ranked by log-probability divided by length^penalty) and extends each of them.",
        "zh": "束搜索不是每步只选一个词元，而是保留 **束宽** 个最好的未完成句子（按对数概率除以 长度^惩罚系数 排序），并分别扩展。",
    },
    "ar_beam_width": {"en": "Beam width", "zh": "束宽"},
    "ar_length_penalty": {"en": "Length penalty", "zh": "长度惩罚"},
    "ar_beam_steps": {"en": "Steps", "zh": "步数"},
    "ar_beam_best": {"en": "Best: {text} (score {score:.3f})", "zh": "最佳：{text}（分数 {score:.3f}）"},
    "ar_beam_width_capped": {
        "en": "A beam wider than the vocabulary ({v} tokens) is the same as {v}; using {v}.",
        "zh": "束宽超过词表大小（{v} 个词元）与 {v} 相同；改用 {v}。",
    },
    "ar_beam_width_shown": {
        "en": "The tree shows at most {n} beams to stay readable; searching with width {n}.",
        "zh": "为保持清晰，树最多显示 {n} 个束；按束宽 {n} 搜索。",
    },
    "ar_kept": {"en": "kept", "zh": "保留"},
    "ar_pruned": {"en": "pruned", "zh": "剪掉"},
    "ar_finished_node": {"en": "finished (<eos>)", "zh": "结束（<eos>）"},
    "ar_kv": {"en": "The KV cache, measured on this device", "zh": "KV 缓存：在本设备上实测"},
    "ar_kv_intro": {
        "en": "Without a cache, step t recomputes keys and values for all t previous tokens; with it, only for the "
        "new one. Press the button to measure greedy generation up to 1,024 tokens with a small decoder on {device}.",
        "zh": "没有缓存时，第 t 步要为之前全部 t 个词元重新计算键和值；有缓存时只算新的一个。点击按钮，"
        "在 {device} 上用一个小解码器实测最多 1,024 个词元的贪心生成。",
    },
    "ar_kv_measure": {"en": "Measure (about a minute)", "zh": "开始测量（约一分钟）"},
    "ar_kv_result": {
        "en": "At {n} tokens the cache is **{ratio:.1f}×** faster; the generated tokens are {same}. Method: {method}.",
        "zh": "在 {n} 个词元时，缓存快 **{ratio:.1f} 倍**；生成的词元{same}。方法：{method}。",
    },
    "ar_identical": {"en": "identical", "zh": "完全相同"},
    "ar_different": {"en": "DIFFERENT", "zh": "不同"},
    "ar_parallel": {"en": "Parallel training, sequential inference", "zh": "并行训练，串行推理"},
    "ar_parallel_result": {
        "en": "Teacher forcing on “{sentence}”: **one** forward pass predicts all {n} next tokens at once "
        "({correct} of {n} right, {t1:.1f} ms). Generating the same {n} tokens needs **{n}** sequential passes "
        "({t2:.1f} ms). Both timed as the median of 9 interleaved runs, each after a warm-up run, on {device}.",
        "zh": "在 “{sentence}” 上做教师强制：**一次**前向计算同时预测全部 {n} 个下一个词元（对了 {correct}/{n}，{t1:.1f} 毫秒）。"
        "生成同样的 {n} 个词元需要 **{n}** 次串行计算（{t2:.1f} 毫秒）。两者都是在 {device} 上交替运行 9 次（每次先预热）的中位数。",
    },
    "ar_exposure": {
        "en": "Exposure bias: one forced token changes everything after it",
        "zh": "曝光偏差：强行改变一个词元，之后的一切都会改变",
    },
    "ar_exposure_intro": {
        "en": "Each step feeds the model's own output back in, so an early mistake is never corrected — the model "
        "continues from it. Force a different token at step k and compare the greedy continuations.",
        "zh": "每一步都把模型自己的输出接回输入，所以早期的错误不会被纠正——模型会在此基础上继续。"
        "在第 k 步强行换一个词元，比较两个贪心续写。",
    },
    "ar_force_step": {"en": "Step k", "zh": "第 k 步"},
    "ar_force_token": {"en": "Forced token", "zh": "强制的词元"},
    "ar_original": {"en": "Original: {text}", "zh": "原来：{text}"},
    "ar_forced": {"en": "Forced: {text}", "zh": "强制后：{text}"},
    "ar_quality": {
        "en": "Held-out quality of **toy_clm**: {share:.1%} of 200 sentences sampled at temperature 1 pass the "
        "toy-language checker; perplexity {ppl:.2f} on {n} test sentences.",
        "zh": "**toy_clm** 的留出集质量：温度 1 下采样的 200 个句子中 {share:.1%} 通过玩具语言检查器；"
        "在 {n} 个测试句上的困惑度为 {ppl:.2f}。",
    },
    "ar_check_samples": {
        "en": "Sample {n} sentences with these settings and check them",
        "zh": "用当前设置采样 {n} 个句子并检查",
    },
    "ar_checked_share": {
        "en": "**{good} of {n}** sentences sampled with these settings end with ‹eos› and pass the toy-language "
        "checker. Raise the temperature and check again: variety grows, grammar suffers; lower it or top-p and "
        "the share rises.",
        "zh": "用当前设置采样的句子中，**{n} 个里有 {good} 个**以 ‹eos› 结束并通过玩具语言检查器。"
        "调高温度再检查一次：句子更多样，语法更差；调低温度或 top-p，合格比例上升。",
    },
    "ar_token": {"en": "token", "zh": "词元"},
    "ar_tokens": {"en": "generated tokens", "zh": "生成的词元数"},
    "ar_ms_per_token": {"en": "time per token (ms)", "zh": "每个词元耗时（毫秒）"},
    "ar_with_cache": {"en": "with KV cache", "zh": "使用 KV 缓存"},
    "ar_without_cache": {"en": "recompute every step", "zh": "每步重新计算"},
}

AUTOREGRESSIVE_TEXT.update(
    {
        "ar_char": {"en": "Transformer vs GRU on your own text", "zh": "在你自己的文本上比较 Transformer 与 GRU"},
        "ar_char_intro": {
            "en": "Both are autoregressive: a character Transformer (attention over its last {window} characters) and a GRU "
            "(one hidden state carried along). Train both on the same text for the same time, then compare their "
            "samples, loss curves and time per character. Chinese works too: one token per character.",
            "zh": "两者都是自回归模型：字符级 Transformer（注意力覆盖最近 {window} 个字符）和 GRU（一路携带一个隐藏状态）。"
            "用同一段文本训练相同的时间，然后比较它们的样本、损失曲线和每个字符的耗时。中文也可以：每个字符一个词元。",
        },
        "ar_char_source": {"en": "Text", "zh": "文本"},
        "ar_char_builtin": {"en": "built-in sample (toy English)", "zh": "内置样例（玩具英文）"},
        "ar_char_paste": {"en": "paste", "zh": "粘贴"},
        "ar_char_upload": {"en": "upload a .txt file", "zh": "上传 .txt 文件"},
        "ar_char_paste_box": {"en": "Your text (at most 200,000 characters)", "zh": "你的文本（最多 200,000 个字符）"},
        "ar_char_upload_box": {"en": "A UTF-8 text file, at most {mb} MB", "zh": "UTF-8 文本文件，最大 {mb} MB"},
        "ar_char_too_big": {
            "en": "The file is larger than {mb} MB; choose a smaller one.",
            "zh": "文件超过 {mb} MB；请选择更小的文件。",
        },
        "ar_char_seconds": {"en": "Training time per model (seconds)", "zh": "每个模型的训练时间（秒）"},
        "ar_char_train": {"en": "Train both", "zh": "训练两个模型"},
        "ar_char_training": {
            "en": "Training the {kind}: step {step}, loss {loss:.3f}",
            "zh": "正在训练 {kind}：第 {step} 步，损失 {loss:.3f}",
        },
        "ar_char_prompt": {"en": "Start the samples with", "zh": "样本开头"},
        "ar_char_sample": {
            "en": "**{kind}** ({steps} steps in {seconds:.0f} s, {params:,} parameters, {ms:.2f} ms per character on {device}):",
            "zh": "**{kind}**（{seconds:.0f} 秒内 {steps} 步，{params:,} 个参数，在 {device} 上每个字符 {ms:.2f} 毫秒）：",
        },
        "ar_char_download": {"en": "Download the {kind}", "zh": "下载 {kind}"},
        "ar_char_load": {"en": "Load a model saved from this page", "zh": "加载从本页面保存的模型"},
        "ar_char_loaded": {
            "en": "Loaded a {kind} trained for {steps} steps.",
            "zh": "已加载一个训练了 {steps} 步的 {kind}。",
        },
        "ar_char_error": {"en": "This file cannot be used: {error}", "zh": "无法使用此文件：{error}"},
        "ar_char_step": {"en": "training step", "zh": "训练步数"},
        "ar_char_loss": {"en": "loss (cross-entropy)", "zh": "损失（交叉熵）"},
        "ar_char_model": {"en": "model", "zh": "模型"},
        "ar_char_transformer": {"en": "Transformer", "zh": "Transformer"},
        "ar_char_gru": {"en": "GRU", "zh": "GRU"},
        "ar_char_length": {"en": "Characters to generate", "zh": "生成的字符数"},
        "ar_char_attention": {
            "en": "What the Transformer attends to along the text",
            "zh": "Transformer 沿着文本关注什么",
        },
        "ar_char_attention_intro": {
            "en": "Each row is one character of the prompt and sample above (the last {n} at most), and where it looked "
            "when the model read it: it sees only the {window} characters up to itself, so all its attention lies in a "
            "band along the diagonal, and grey cells lie outside its window. The GRU has no attention: everything before "
            "lives in one state vector.",
            "zh": "每一行是上方提示与样本中的一个字符（最多最后 {n} 个），以及模型读到它时关注的位置：它只看得到截至自身的 {window} "
            "个字符，所以全部注意力都落在对角线旁的一条带内，灰色格子在它的窗口之外。GRU 没有注意力：之前的一切都存于一个状态向量中。",
        },
        "ar_char_attention_title": {
            "en": "Layer {layer}, mean over heads, {n} characters: query (reading) → key (attended to)",
            "zh": "第 {layer} 层，各头平均，{n} 个字符：查询（正在读）→ 键（被关注）",
        },
        "ar_char_outside": {"en": "outside the window", "zh": "在窗口之外"},
        "ar_spec": {
            "en": "Speculative decoding: a small model guesses, the big one checks",
            "zh": "投机解码：小模型猜，大模型验",
        },
        "ar_spec_intro": {
            "en": "A **draft** model (toy_clm_draft) guesses the next **k** tokens one by one; the **target** (the toy LM above) "
            "scores all k guesses in **one** forward pass. Guesses it agrees with are kept; at the first one it "
            "rejects, it writes its own token instead. Each round therefore costs one target pass and yields 1 to "
            "k+1 tokens, and the text comes out as the target alone would write it: identical when greedy, with "
            "the same distribution when sampling (a guess x is kept with probability min(1, p(x)/q(x))). The "
            "settings above (greedy or sampling, temperature, top-k, top-p, seed) apply.",
            "zh": "**草稿**模型（toy_clm_draft）逐个猜出接下来的 **k** 个词元；**目标**模型（上面的玩具语言模型）用**一次**前向计算给这 k 个猜测打分。"
            "它同意的猜测被保留；在它第一次不同意的位置，它写下自己的词元。所以每一轮只花一次目标模型计算，却得到 1 到 k+1 个词元，"
            "而且文本和目标模型单独生成的一样：贪心时完全相同，采样时分布相同（猜测 x 以概率 min(1, p(x)/q(x)) 被保留）。"
            "上面的设置（贪心或采样、温度、top-k、top-p、随机种子）同样适用。",
        },
        "ar_spec_missing": {
            "en": "The draft model is not installed: run `python -m seqviz.train --model toy_clm_draft`.",
            "zh": "没有找到草稿模型：请运行 `python -m seqviz.train --model toy_clm_draft`。",
        },
        "ar_spec_k": {"en": "Guesses per round k", "zh": "每轮猜测数 k"},
        "ar_spec_k_help": {
            "en": "More guesses save more target passes when they are right, and waste more draft passes when they are not.",
            "zh": "猜得对时，猜测越多省下的目标模型计算越多；猜错时，浪费的草稿计算也越多。",
        },
        "ar_spec_run": {"en": "Generate and time it", "zh": "生成并计时"},
        "ar_spec_running": {"en": "Timing speculative and plain decoding…", "zh": "正在为投机解码和普通解码计时……"},
        "ar_spec_press": {
            "en": "Press the button: the prompt is continued to the end of the sentence, speculatively and by the target "
            "alone, each timed on this device.",
            "zh": "点击按钮：提示会被续写到句子结束，分别用投机解码和目标模型单独生成，并在本设备上计时。",
        },
        "ar_spec_round": {"en": "Round {n}:", "zh": "第 {n} 轮："},
        "ar_spec_legend": {
            "en": "Green: guesses the target kept · red, struck out: the first guess it rejected · grey: guesses after it, "
            "never checked · blue: the target's own token (a correction, or a free extra token when all guesses were kept).",
            "zh": "绿色：目标模型保留的猜测 · 红色删除线：它拒绝的第一个猜测 · 灰色：其后未被检查的猜测 · "
            "蓝色：目标模型自己的词元（纠正，或所有猜测都被保留时免费多得的一个）。",
        },
        "ar_spec_result": {
            "en": "**{new}** new tokens from **{passes}** target passes (alone, the target needs one pass per token); the "
            "draft made {draft} guesses, **{rate:.0%}** of them kept. Time per token: **{spec_ms:.2f} ms** speculative "
            "vs **{plain_ms:.2f} ms** for the target alone: **{speedup:.2f}×**.",
            "zh": "**{passes}** 次目标模型计算得到 **{new}** 个新词元（目标模型单独生成时每个词元都要一次计算）；草稿模型猜了 {draft} 次，"
            "其中 **{rate:.0%}** 被保留。每个词元用时：投机解码 **{spec_ms:.2f} 毫秒**，目标模型单独 **{plain_ms:.2f} 毫秒**："
            "**{speedup:.2f} 倍**。",
        },
        "ar_spec_identical": {
            "en": "✓ Greedy: the output is **identical** to the target's own greedy output.",
            "zh": "✓ 贪心：输出与目标模型自己的贪心输出**完全相同**。",
        },
        "ar_spec_different": {
            "en": "✗ The output differs from the target's own greedy output: this is a bug, please report it.",
            "zh": "✗ 输出与目标模型自己的贪心输出不同：这是一个错误，请报告。",
        },
        "ar_spec_sampled": {
            "en": "Sampling: each token follows the target's distribution exactly, but the random numbers are used in a "
            "different order, so this sample is not the same text as the plain run's.",
            "zh": "采样：每个词元都严格服从目标模型的分布，但随机数的使用顺序不同，所以这次采样的文本和普通解码的不一样。",
        },
        "ar_spec_method": {
            "en": "Measured on {device}: {method}. Draft {draft:,} parameters, target {target:,}.",
            "zh": "在 {device} 上实测：{method}。草稿模型 {draft:,} 个参数，目标模型 {target:,} 个。",
        },
        "ar_spec_anchors": {
            "en": "**Published:** 2–3× on T5-XXL (11B) with a T5-small draft (Leviathan et al. 2023, TPU); 2–2.5× on "
            "Chinchilla 70B with a 4B draft (Chen et al. 2023, TPU). There the target is huge and memory-bound: "
            "checking k tokens costs about as much as writing one, and the draft is ~100× cheaper. Here the target "
            "has under a million parameters on a CPU, so every pass is mostly fixed overhead: the draft, ten times "
            "smaller, still costs about a third of a target pass, and the toy language often allows several "
            "equally likely next words, so greedy guesses are often rejected. The gain is smaller.",
            "zh": "**文献数据：**以 T5-small 为草稿，T5-XXL（110 亿参数）上快 2–3 倍（Leviathan 等，2023，TPU）；以 40 亿参数模型为草稿，"
            "Chinchilla 700 亿参数上快 2–2.5 倍（Chen 等，2023，TPU）。那里的目标模型巨大且受内存带宽限制：检查 k 个词元的代价和写一个差不多，"
            "草稿模型便宜约 100 倍。这里的目标模型不到一百万参数、跑在 CPU 上，每次计算大多是固定开销：小十倍的草稿模型仍要花"
            "目标模型一次计算约三分之一的时间；而且玩具语言里常有几个同样可能的下一个词，贪心猜测常被拒绝。所以收益更小。",
        },
    }
)
