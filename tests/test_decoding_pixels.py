"""Drawing images: a raster sample one pixel per pass (cropping the rows below changes nothing), continued
in pieces exactly as in one go, a one-shot sample in one pass; the measurements of the image models."""

import math

import numpy as np
import pytest
import torch

from seqviz.data.glyphs import ink_pieces
from seqviz.decoding.pixels import blank_drawing, one_shot_sample, raster_sample, sample_images
from seqviz.models.output import ModelOutput
from seqviz.models.pixelcnn import GlyphClassifier, ImageConfig, OneShotPixels, PixelCNN, pixel_loss
from seqviz.training.image_evaluation import bits_per_pixel, copied_share, one_piece_share, recognised

CONFIG = ImageConfig(size=6, channels=8, n_layers=2, first_kernel=3, hidden=16)


@pytest.fixture(scope="module")
def pixelcnn():
    torch.manual_seed(0)
    return PixelCNN(CONFIG).eval()


def test_cropping_below_the_current_row_changes_no_prediction(pixelcnn):
    image = (torch.rand(2, 6, 6, generator=torch.Generator().manual_seed(1)) > 0.5).long()
    labels = torch.tensor([1, 7])
    full = pixelcnn(image, labels).logits
    for row in range(6):
        assert torch.allclose(pixelcnn(image[:, : row + 1], labels).logits[:, row], full[:, row], atol=1e-6)


def test_a_raster_sample_draws_every_pixel_once_and_pieces_add_up_to_one_go(pixelcnn):
    labels = torch.tensor([2, 5, 5])
    whole = raster_sample(pixelcnn, labels, generator=torch.Generator().manual_seed(3))
    assert whole.drawn == 36 and whole.passes == 36 and not whole.probabilities.isnan().any()
    generator = torch.Generator().manual_seed(3)
    part = raster_sample(pixelcnn, labels, count=1, generator=generator)
    part = raster_sample(pixelcnn, labels, part, count=10, generator=generator)
    assert part.drawn == 11 and part.passes == 10 and part.probabilities.view(3, -1)[:, 11:].isnan().all()
    assert (part.images.view(3, -1)[:, 11:] == 0).all()  # undrawn pixels hold 0
    rest = raster_sample(pixelcnn, labels, part, generator=generator)
    assert torch.equal(rest.images, whole.images) and torch.allclose(rest.probabilities, whole.probabilities)
    assert raster_sample(pixelcnn, labels, rest, count=5).passes == 0  # nothing left to draw


def test_greedy_pixels_are_ink_exactly_where_p_is_at_least_a_half(pixelcnn):
    drawing = raster_sample(pixelcnn, torch.tensor([4]), greedy=True)
    assert torch.equal(drawing.images, (drawing.probabilities >= 0.5).long())


def test_the_one_shot_rival_draws_every_pixel_in_one_pass():
    torch.manual_seed(0)
    rival = OneShotPixels(CONFIG).eval()
    drawing = one_shot_sample(rival, torch.tensor([0, 0, 9]), generator=torch.Generator().manual_seed(0))
    assert drawing.passes == 1 and drawing.drawn == 36
    assert torch.equal(drawing.probabilities[0], drawing.probabilities[1])  # the digit alone decides
    again = sample_images(rival, torch.tensor([0, 0, 9]), seed=0)
    assert torch.equal(again.images, drawing.images)  # seeded
    assert blank_drawing(2, 6).probabilities.isnan().all()


def test_bits_per_pixel_of_a_coin_is_one_and_the_shares_count_right():
    class Coin(torch.nn.Module):
        def forward(self, images, labels, targets=None):
            logits = torch.zeros(images.shape)
            return ModelOutput(logits, pixel_loss(logits, targets))

    images = torch.randint(0, 2, (10, 6, 6))
    assert math.isclose(bits_per_pixel(Coin(), images, torch.zeros(10, dtype=torch.long), batch=3), 1.0, rel_tol=1e-6)
    stroke = torch.zeros(2, 6, 6, dtype=torch.long)
    stroke[:, 2, 1:5] = 1
    stroke[1, 4, 4] = 1  # a second piece
    assert [ink_pieces(image.numpy()) for image in stroke] == [1, 2] and one_piece_share(stroke) == 0.5
    assert ink_pieces(np.eye(4, dtype=np.uint8)) == 1  # corners touch: 8-connected
    assert copied_share(stroke, stroke[:1]) == 0.5


def test_recognition_counts_the_requested_digit_per_digit():
    torch.manual_seed(0)
    judge = GlyphClassifier(ImageConfig(size=8, channels=4, hidden=8)).eval()
    images = torch.randint(0, 2, (20, 8, 8))
    with torch.no_grad():
        named = judge(images).logits.argmax(-1)
    result = recognised(judge, images, named)  # asked for what it will say: all right
    assert result["recognised"] == 1.0 and set(result["recognised_by_digit"]) == {str(d) for d in range(10)}
