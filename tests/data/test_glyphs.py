"""The generated digit glyphs: binary 16×16 images, seeded, varied, and different enough per digit that even
a nearest-mean classifier mostly tells them apart."""

import numpy as np
import pytest

from seqviz.data.glyphs import DIGITS, SIZE, Style, draw, glyph_dataset


@pytest.mark.parametrize("digit", DIGITS)
def test_each_digit_is_a_binary_image_with_ink_away_from_the_border(digit):
    image = draw(digit, Style())
    assert image.shape == (SIZE, SIZE) and image.dtype == np.uint8 and set(np.unique(image)) == {0, 1}
    assert 12 <= image.sum() <= SIZE * SIZE // 3
    assert not image[0].any() and not image[-1].any()  # a plain glyph stays inside the frame


def test_style_moves_thickens_and_slants_the_glyph():
    plain = draw(1, Style())
    assert draw(1, Style(thickness=0.16)).sum() > plain.sum()
    shifted = draw(1, Style(dx=2.0))
    assert np.array_equal(np.roll(plain, 2, axis=1)[:, 3:-3], shifted[:, 3:-3])  # two pixels to the right
    leaning = draw(1, Style(slant=0.3))
    top, bottom = leaning[3].nonzero()[0].mean(), leaning[12].nonzero()[0].mean()
    assert top > bottom  # the top leans right


def test_the_dataset_is_seeded_balanced_and_varied():
    images, labels = glyph_dataset(200, seed=4)
    again, same_labels = glyph_dataset(200, seed=4)
    assert np.array_equal(images, again) and np.array_equal(labels, same_labels)
    assert images.shape == (200, SIZE, SIZE) and np.bincount(labels).tolist() == [20] * 10
    assert not np.array_equal(images, glyph_dataset(200, seed=5)[0])
    sevens = images[labels == 7].reshape(20, -1)
    assert len({row.tobytes() for row in sevens}) == 20  # no two glyphs drawn alike


def test_digits_differ_enough_for_a_nearest_mean_classifier():
    train, train_labels = glyph_dataset(2000, seed=1)
    test, test_labels = glyph_dataset(500, seed=2)
    means = np.stack([train[train_labels == d].mean(0) for d in DIGITS]).reshape(10, -1)
    predicted = ((test.reshape(len(test), 1, -1) - means[None]) ** 2).sum(-1).argmin(1)
    assert (predicted == test_labels).mean() > 0.75  # 0.82 measured; a trained classifier does far better


def test_an_unknown_digit_is_refused():
    with pytest.raises(ValueError, match="0–9"):
        draw(10)
