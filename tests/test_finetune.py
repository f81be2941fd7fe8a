from seqviz.data.toy import en_vocab
from seqviz.models.checkpoint import load_builtin
from seqviz.training.finetune import compare_pretraining, subject_number_task


def test_task_is_balanced_and_disjoint():
    data = subject_number_task(en_vocab(), n_train=20, n_test=100)
    assert len(data.train_labels) == 20 and data.train_labels.sum() == 10
    assert 40 < len(data.test_labels) <= 100
    assert (data.train_ids[:, 0] == en_vocab().cls_id).all()


def test_pretraining_helps_and_leaves_the_shared_model_unchanged():
    mlm = load_builtin("toy_mlm")
    before = {k: v.clone() for k, v in mlm.model.state_dict().items()}
    data = subject_number_task(mlm.vocab, n_train=20, n_test=200)
    seen = []
    results = compare_pretraining(mlm.model, data, steps=20, callback=lambda name, point: seen.append(name))
    warm, cold = results["pretrained"], results["random_init"]
    assert warm[-1].test_accuracy > warm[0].test_accuracy  # fine-tuning improves accuracy
    assert warm[-1].test_accuracy > cold[-1].test_accuracy  # and pre-training beats random init
    assert warm[-1].test_accuracy >= 0.8
    assert set(seen) == {"pretrained", "random_init"}
    assert all((before[k] == v).all() for k, v in mlm.model.state_dict().items())
