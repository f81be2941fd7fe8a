"""PixelCNN's masks: type A hides the pixel being predicted, type B lets the centre through; a pixel's
prediction never depends on a later pixel in raster order, does depend on earlier ones, and the plain
stack has a blind spot above and to the right."""

import pytest
import torch

from seqviz.models.masks import pixel_kernel_mask, raster_mask
from seqviz.models.pixelcnn import GlyphClassifier, ImageConfig, OneShotPixels, PixelCNN, receptive_field

H = W = 8
CONFIG = ImageConfig(size=8, channels=16, n_layers=3, first_kernel=5, hidden=32)


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return PixelCNN(CONFIG)


def test_type_a_blocks_the_pixel_itself_and_type_b_does_not():
    a, b = pixel_kernel_mask(5, "A"), pixel_kernel_mask(5, "B")
    assert not a[2, 2] and b[2, 2]
    assert a[:2].all() and a[2, :2].all() and not a[2, 3:].any() and not a[3:].any()
    assert torch.equal(a | b, b) and int(b.sum() - a.sum()) == 1  # B is A plus the centre
    with pytest.raises(ValueError):
        pixel_kernel_mask(4, "A")


def test_the_raster_mask_is_causal_without_its_diagonal():
    mask = raster_mask(2, 3)
    assert torch.equal(mask, torch.ones(6, 6, dtype=torch.bool).tril(-1))


def _pixel_logit(model, image, row, col):
    with torch.no_grad():
        return model(image[None], torch.tensor([3])).logits[0, row, col]


@pytest.mark.parametrize(("row", "col"), [(0, 0), (3, 4), (7, 7), (5, 0)])
def test_a_pixel_ignores_every_later_pixel_and_reads_earlier_ones(model, row, col):
    torch.manual_seed(row * W + col)
    image = (torch.rand(H, W) > 0.5).float()
    before = _pixel_logit(model, image, row, col)
    index = row * W + col
    for later in range(index, H * W):  # the pixel itself and everything after it
        changed = image.clone()
        changed.view(-1)[later] = 1 - changed.view(-1)[later]
        assert torch.equal(_pixel_logit(model, changed, row, col), before), (row, col, later)
    if index > 0:  # the pixel to its left is read (at a row's start, the one above)
        changed = image.clone()
        left = (row, col - 1) if col > 0 else (row - 1, col)
        changed[left] = 1 - changed[left]
        assert not torch.equal(_pixel_logit(model, changed, row, col), before)


def test_the_receptive_field_is_earlier_pixels_only_with_a_blind_spot(model):
    field = receptive_field(CONFIG, 5, 3)
    image = torch.rand(1, H, W, requires_grad=True)
    (grad,) = torch.autograd.grad(model(image, torch.tensor([0])).logits[0, 5, 3], image)
    assert torch.equal(grad[0] != 0, field)  # the masks' reach is exactly where the gradient flows
    earlier = raster_mask(H, W)[5 * W + 3].view(H, W)  # the pixels before (5, 3)
    assert not (field & ~earlier).any()  # never a later pixel, never itself
    assert field[5, 2] and field[4, 3] and field[4, 4]  # left, above, above-right
    assert not field[4, 7] and earlier[4, 7]  # the blind spot: the row above, far right, earlier yet unseen


def test_the_loss_is_the_pixels_binary_cross_entropy(model):
    images = (torch.rand(4, H, W) > 0.7).long()
    out = model(images, torch.arange(4), targets=images)
    expected = torch.nn.functional.binary_cross_entropy_with_logits(out.logits, images.float())
    assert out.logits.shape == (4, H, W) and torch.allclose(out.loss, expected)


def test_the_one_shot_rival_ignores_the_image_and_the_classifier_names_a_digit():
    torch.manual_seed(0)
    rival, judge = OneShotPixels(CONFIG), GlyphClassifier(CONFIG)
    images = (torch.rand(3, H, W) > 0.5).long()
    labels = torch.tensor([1, 4, 1])
    logits = rival(images, labels).logits
    assert logits.shape == (3, H, W) and torch.equal(rival(1 - images, labels).logits, logits)
    assert torch.equal(logits[0], logits[2]) and not torch.equal(logits[0], logits[1])  # the digit alone
    out = judge(images, labels)
    assert out.logits.shape == (3, 10) and out.loss > 0
