"""The lessons as data: their shape, and answers that come from the model or the mask — another sentence,
another answer, each checked here against the model computed another way."""

from __future__ import annotations

import pytest
import torch

from seqviz.data.toy import check_translation
from seqviz.data.toy_grammar import is_grammatical
from seqviz.decoding.parallel import ctc_decode
from seqviz.decoding.seq2seq import translate_batch
from seqviz.explain.logit_lens import language_model_lens
from seqviz.export.deck import ITERATIONS, Deck
from seqviz.lessons import LESSONS, fusions, inside, masks, parallel, recurrent
from seqviz.lessons import autoencoding as bert
from seqviz.lessons import autoregressive as ar
from seqviz.lessons import seq2seq as s2s
from seqviz.lessons.steps import ask

SENTENCES = ("the black cat sees the small dogs", "a dog runs", "the cats that the dog sees do not sleep")


@pytest.fixture(scope="module")
def models():
    return {}  # one load per model for the whole module, shared by every deck


def _deck(models, sentence: str, lang: str = "en") -> Deck:
    return Deck(lang, sentence.split(), torch.device("cpu"), models=models)


def test_every_lesson_has_six_to_twelve_steps_and_most_ask_something():
    for lesson in LESSONS.values():
        assert 6 <= len(lesson.steps) <= 12, lesson.id
        assert sum(step.question is not None for step in lesson.steps) >= len(lesson.steps) // 2, lesson.id
        assert all(step.figure or step.question for step in lesson.steps), lesson.id


def test_a_choice_list_is_stable_and_keeps_its_right_answer():
    first = ask("?", "b", ["a", "c", "b", "a"], "")
    assert first == ask("?", "b", ["a", "c", "b"], "")  # the same question looks the same
    assert sorted(first.choices) == ["a", "b", "c"] and first.choices[first.answer] == "b"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_causal_question_follows_the_sentence(models, sentence):
    deck = _deck(models, sentence)
    question = masks.causal_row(deck)
    i = min(2, len(deck.words) - 1)
    assert question.choices[question.answer] == "«" + " ".join(deck.words[: i + 1]) + "»"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_padding_question_counts_the_shorter_sentences_pads(models, sentence):
    deck = _deck(models, sentence)
    question = masks.padded_columns(deck)
    n = len(deck.words)
    assert int(question.choices[question.answer]) == abs(n - 3)  # the second sentence has 3 words


def test_the_blocked_weight_is_the_models_and_exactly_zero(models):
    question = masks.blocked_weight(_deck(models, SENTENCES[0]))
    assert question.choices[question.answer] == "exactly 0"
    assert "0.000" in question.explanation


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_first_word_is_the_models_most_probable_word(models, sentence):
    deck = _deck(models, sentence)
    clm = deck.model("toy_clm")
    prompt = [clm.vocab.bos_id, *clm.vocab.encode(deck.words[:2])]
    with torch.no_grad():
        logits = clm.model(torch.tensor([prompt])).logits[0, -1]  # (V,)
    ranked = [w for w in clm.vocab.decode(logits.argsort(descending=True).tolist()) if w.isalpha()]
    question = ar.first_choice(deck)
    assert question.choices[question.answer] == ranked[0]
    assert len(question.choices) == 4 and set(question.choices) <= set(ranked[:4])


def test_another_prompt_gives_another_answer(models):
    questions = [ar.first_choice(_deck(models, s)) for s in SENTENCES]
    assert len({q.choices[q.answer] for q in questions}) > 1  # "the black" and "a dog" are not continued alike


def test_a_lower_temperature_raises_the_top_word_and_the_cache_runs_one_position(models):
    deck = _deck(models, SENTENCES[0])
    question = ar.temperature_effect(deck)
    assert question.choices[question.answer] == "it goes up"
    cached = ar.positions_with_cache(deck)
    assert cached.choices[cached.answer] == "1"
    without = ar.positions_without_cache(deck)
    assert without.choices[without.answer] == str(3 + ar.CACHE_STEPS - 1)  # <bos>, 2 prompt words, 3 written


def test_beam_and_greedy_answer_by_comparing_the_two_searches(models):
    for sentence in SENTENCES:
        question = ar.beam_against_greedy(_deck(models, sentence))
        greedy, best = question.explanation.split("; ")
        same = greedy.split("writes ")[1] == best.split("best is ")[1].rstrip(".")
        assert question.choices[question.answer] == ("yes" if same else "no")


def test_the_chinese_deck_asks_in_chinese(models):
    question = masks.causal_row(_deck(models, SENTENCES[0], "zh"))
    assert "因果掩码" in question.prompt


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_fill_is_the_masked_lms_top_word_at_the_blank(models, sentence):
    deck = _deck(models, sentence)
    mlm = deck.model("toy_mlm")
    question = bert.first_fill(deck)
    blanked = question.prompt.split("«")[1].split("»")[0].split()
    blank = blanked.index("[MASK]")
    ids = torch.tensor([[mlm.vocab.cls_id, *mlm.vocab.encode(blanked), mlm.vocab.sep_id]])
    with torch.no_grad():
        top = int(mlm.model(ids).logits[0, blank + 1].argmax())
    assert question.choices[question.answer] == mlm.vocab.token(top)
    assert deck.words[blank] in question.explanation  # the hidden word is named


def test_only_the_masked_lm_reads_the_verb_to_the_right(models):
    """«the black [MASK] sees …»: the singular is decided by «sees». BERT prefers «cat»; GPT, reading «the
    black» only, does not; a sentence without such a noun falls back to the page's first example."""
    question = bert.left_or_both(_deck(models, SENTENCES[0]))
    assert question.choices[question.answer] == "only BERT (the masked LM)"
    assert "«cat»" in question.prompt
    fallback = bert.left_or_both(_deck(models, "a dog runs"))  # «a» does not leave the number open
    assert "«the [MASK] sleep»" in fallback.prompt


def test_the_corruption_rule_is_measured_and_two_blanks_are_checked_by_the_grammar(models):
    rule = bert.corruption_rule(_deck(models, SENTENCES[0]))
    assert rule.choices[rule.answer] == "15"
    for sentence in SENTENCES:
        question = bert.two_at_once(_deck(models, sentence))
        written = question.explanation.split("«")[1].split("»")[0].split()
        expected = "grammatical" if is_grammatical(written) else "not grammatical"
        assert question.choices[question.answer] == expected


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_french_length_and_the_grus_verdict_follow_the_translators(models, sentence):
    deck = _deck(models, sentence)
    transformer, gru = deck.model("toy_transformer_mt"), deck.model("toy_gru_mt")
    src = torch.tensor([transformer.vocab.encode(deck.words)])
    french = translate_batch(transformer.model, src, transformer.vocab.bos_id, transformer.vocab.eos_id)[0]
    question = s2s.french_length(deck)
    assert question.choices[question.answer] == str(len(french))
    gru_french = gru.vocab.decode(translate_batch(gru.model, src, gru.vocab.bos_id, gru.vocab.eos_id)[0])
    verdict = s2s.gru_on_this_sentence(deck)
    assert verdict.choices[verdict.answer] == ("right" if check_translation(deck.words, gru_french) else "wrong")


def test_the_bahdanau_question_names_the_strongest_english_word(models):
    deck = _deck(models, SENTENCES[0])  # «noir» is written after «chat»: the moved adjective is asked about
    question = s2s.bahdanau_looks_at(deck)
    assert "«noir»" in question.prompt and question.choices[question.answer] == "black"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_ctc_mask_predict_and_diffusion_answers_are_the_decoders(models, sentence):
    deck = _deck(models, sentence)
    ctc = deck.model("ctc_distilled")
    collapsed = ctc_decode(ctc.model, torch.tensor([ctc.vocab.encode(deck.words)])).tokens[0]
    question = parallel.ctc_collapse_count(deck)
    assert question.choices[question.answer] == str(len(collapsed))
    remask = parallel.remasked_in_iteration_two(deck)
    length = int(remask.prompt.split(" has ")[1].split(" words")[0])
    assert remask.choices[remask.answer] == str(length * (ITERATIONS - 1) // ITERATIONS)  # the linear schedule
    order = parallel.diffusion_order(deck)
    written = [int(p) for p in order.explanation.split(": ")[1].split(".")[0].split(" → ")]
    assert sorted(written) == list(range(1, len(deck.words) + 1))  # every position once
    if written == sorted(written):
        assert _answer(order) == "left to right, like a GPT"
    elif written == sorted(written, reverse=True):
        assert _answer(order) == "right to left"
    else:
        assert _answer(order) == "neither: an order of its own"


def test_t5s_number_follows_the_subject_and_retro_follows_the_edited_datastore(models):
    assert _answer(fusions.t5_number(_deck(models, "the cats sleep"))) == "plural"
    assert _answer(fusions.t5_number(_deck(models, "the cat sleeps"))) == "singular"
    question = fusions.retro_follows_the_edit(_deck(models, SENTENCES[0]))
    assert "«the black cat is" in question.prompt  # the sentence's own subject is asked about
    edited = question.prompt.split("We edit it to «the black cat is ")[1].split("»")[0]
    assert _answer(question) == edited  # the shipped model follows 99.4% of edits; this one among them
    assert _answer(fusions.xlnet_reads(_deck(models, SENTENCES[0]))) == "every other word, not itself"


def test_the_inside_answers_are_the_recorded_scores_and_the_live_lens(models):
    deck = _deck(models, SENTENCES[0])
    layer, head = deck.model("toy_transformer_mt").metrics["cross_attention_alignment"]["best_head"]
    assert _answer(inside.best_aligning_head(deck)) == f"layer {layer}, head {head}"
    clm = deck.model("toy_clm")
    lens = language_model_lens(clm.model, torch.tensor([[clm.vocab.bos_id, *clm.vocab.encode(deck.words[:2])]]))
    top = lens.top[:, -1].tolist()
    stays = next(k for k in range(len(top)) if all(t == top[-1] for t in top[k:]))
    assert _answer(inside.lens_layer(deck)) == ("the embeddings (layer 0)" if stays == 0 else f"layer {stays}")


def _answer(question) -> str:
    return question.choices[question.answer]


def test_the_recurrent_answers_are_the_recorded_measurements_and_the_timing_now(models):
    deck = _deck(models, SENTENCES[2])
    far = deck.model("toy_rnn_lm").metrics["agreement_by_distance"]["8+"]["accuracy"]
    low, high = (float(x.strip("%")) / 100 for x in _answer(recurrent.far_agreement(deck)).split(" to "))
    assert low <= far < high + 1e-9  # the band holding the recorded 8+ accuracy
    kept = deck.model("toy_rnn_lm").metrics["gradient_reach_per_step"]["initial"]
    expected = "less than a hundredth" if kept**10 < 0.01 else None
    assert expected is None or _answer(recurrent.gradient_ten_back(deck)) == expected
    assert _answer(recurrent.level_gradient(deck)) == "Transformer"  # the recorded reach nearest 1 per step
    timed = recurrent.time_per_word(deck)
    ratio = float(timed.explanation.split("costs ")[1].split("×")[0])  # the Transformer's time ÷ the RNN's
    right = "faster" if ratio >= 1.25 else "about the same" if ratio >= 0.8 else "slower"
    assert right in _answer(timed)


def test_the_recall_answers_are_the_recorded_accuracies(models):
    from seqviz.training.recall_evaluation import forgets_at

    deck = _deck(models, SENTENCES[0])
    rnn = deck.model("recall_rnn").metrics["accuracy"]
    at = str(forgets_at(rnn) or list(rnn)[-1])
    far = recurrent.recall_far(deck)
    assert f"L = {at}" in far.prompt
    low, high = (float(x.strip("%")) / 100 for x in _answer(far).split(" to "))
    assert low <= deck.model("recall_lstm").metrics["accuracy"][at] < high + 1e-9
    beyond = recurrent.recall_beyond(deck)
    names = {"recall_transformer": "learned", "recall_transformer_rope": "RoPE", "recall_transformer_nope": "no posi"}
    recalled = [n for m, n in names.items() if deck.model(m).metrics["accuracy"]["256"] >= 0.9]
    answer = _answer(beyond)
    if len(recalled) == 3:
        assert answer == "all three"
    elif not recalled:
        assert answer == "none of them"
    else:
        assert all(n in answer for n in recalled) and not any(n in answer for n in names.values() if n not in recalled)
    assert len(recurrent._recall_figure(deck).data) == 6


def test_the_recurrent_lesson_draws_the_lstm_units_of_its_sentence_or_the_long_example(models):
    with_case = recurrent._inside(_deck(models, SENTENCES[2]))  # "cats ... do": 5 words apart
    assert list(with_case.layout.xaxis2.ticktext)[:3] == ["&lt;bos&gt;", "the", "cats"]
    without = recurrent._inside(_deck(models, "a dog runs"))  # nothing across words: the page's example
    assert "bike" in list(without.layout.xaxis2.ticktext)


@pytest.mark.parametrize("sentence", SENTENCES[::2])
def test_the_autoencoder_relatives_answers_follow_the_models(models, sentence):
    """ELECTRA's flagged word is the discriminator's most likely replacement; BART's gap is where its output
    first leaves the input; the VAE question names exactly the models that write the sentence back."""
    from seqviz.export.autoencoder_slides import deck_deletion, deck_detection, deck_posteriors
    from seqviz.lessons import autoencoders as relatives

    deck = _deck(models, sentence)
    detection = deck_detection(deck)
    assert detection.replaced.any()  # a draw that replaced a word was found
    question = relatives.flagged_word(deck)
    read = deck.model("toy_electra").vocab.decode(list(detection.read[1:-1]))
    assert f"«{read[int(detection.p_replaced[1:-1].argmax())]}»" in question.choices[question.answer]

    question, deletion = relatives.where_missing(deck), deck_deletion(deck)
    at = next((i for i, (a, b) in enumerate(zip(deletion.noised, deletion.written, strict=False)) if a != b), None)
    if at is not None and len(deletion.written) == len(deletion.noised) + 1 and at >= 1:
        assert question.choices[question.answer] == deck.t(
            "les_aef_gap", before=deletion.noised[at - 1], after=deletion.noised[at]
        )

    question = relatives.which_vae_remembers(deck)
    back = {name: list(w) == deck.words for name, (_, _, w) in deck_posteriors(deck).items()}
    expected = {(True, True): "les_aef_both", (False, False): "les_aef_neither"}.get(tuple(back.values()))
    if expected:
        assert question.choices[question.answer] == deck.t(expected)
    else:
        assert question.choices[question.answer] == deck.t(
            relatives.VAE_NAME_KEYS[next(n for n, b in back.items() if b)]
        )
