"""Offline translation of an image folder (mmseg_uda.apis.translation)."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS
from torch import nn

import mmseg_uda.datasets.file_io as file_io
from mmseg_uda.apis import (ImageTranslator, list_images, load_translator,
                            translate_folder)
from mmseg_uda.benchmark.synthetic_shift import generate_synthetic_shift

TOY_MODEL = dict(type='CycleGAN',
                 generator=dict(type='ResnetGenerator', base_channels=4,
                                num_blocks=1),
                 discriminator=dict(type='PatchDiscriminator',
                                    base_channels=4, num_layers=2,
                                    padding=1))
MEAN, STD = torch.full((3, 1, 1), 127.5), torch.full((3, 1, 1), 127.5)


@pytest.fixture(autouse=True)
def mmseg_scope():
    init_default_scope('mmseg')


@pytest.fixture(scope='module')
def synthetic_target(tmp_path_factory):
    """Tiny synthetic benchmark; target 50x34: not a multiple of 4."""
    root = str(tmp_path_factory.mktemp('synthetic'))
    generate_synthetic_shift(root, num_source=1, num_target_train=3,
                             num_target_val=2, source_size=(40, 32),
                             target_size=(50, 34), show_progress=False)
    return osp.join(root, 'target')


def _toy_checkpoint(tmp_path, seed=0):
    torch.manual_seed(seed)
    model = MODELS.build(TOY_MODEL)
    model.init_weights()
    path = str(tmp_path / 'cyclegan.pth')
    # the layout of a Runner checkpoint (plus message hub etc. in reality)
    torch.save(dict(meta=dict(iter=1), state_dict=model.state_dict()), path)
    return model, path


def _translator(tmp_path, **kwargs):
    model, path = _toy_checkpoint(tmp_path)
    return model, load_translator(Config(dict(model=TOY_MODEL)), path,
                                  **kwargs)


class _ConstantRed(nn.Module):
    """RGB output: red channel at +1 (255), green and blue at -1 (0)."""

    def forward(self, x):
        out = -torch.ones_like(x)
        out[:, 0] = 1.0
        return out


def test_identity_generator_round_trips_the_image():
    img = np.random.default_rng(0).integers(0, 256, (10, 14, 3), np.uint8)
    translator = ImageTranslator(nn.Identity(), MEAN, STD, True)
    assert np.array_equal(translator(img), img)
    # any size: padded to a multiple of 4, generator, resized back
    translator = ImageTranslator(nn.Identity(), MEAN, STD, True,
                                 size=(28, 20))
    out = translator(img)
    assert out.shape == img.shape
    assert np.abs(out.astype(int) - img).mean() < 40


def test_output_is_mapped_back_to_bgr_uint8():
    img = np.zeros((8, 8, 3), np.uint8)
    out = ImageTranslator(_ConstantRed(), MEAN, STD, True)(img)
    assert out.dtype == np.uint8
    assert (out[..., 2] == 255).all() and (out[..., :2] == 0).all()


def test_translator_equals_the_generator_on_normalised_rgb(tmp_path):
    model, translator = _translator(tmp_path)
    img = np.random.default_rng(1).integers(0, 256, (12, 16, 3), np.uint8)
    x = torch.from_numpy(img).permute(2, 0, 1)[None].float().flip(1)
    with torch.no_grad():
        y = model.generators['a']((x - 127.5) / 127.5)
    expected = (y * 127.5 + 127.5).clamp(0, 255).round().flip(1)
    expected = expected[0].permute(1, 2, 0).byte().numpy()
    assert np.array_equal(translator(img), expected)


def test_load_translator_reads_only_the_chosen_generator(tmp_path):
    model, path = _toy_checkpoint(tmp_path)
    cfg = Config(dict(model=TOY_MODEL))
    for direction in ('a', 'b'):
        gen = load_translator(cfg, path, direction).generator
        for k, v in model.generators[direction].state_dict().items():
            assert torch.equal(gen.state_dict()[k], v), (direction, k)
    with pytest.raises(ValueError, match='direction'):
        load_translator(cfg, path, 'c')
    bare = str(tmp_path / 'no_generator.pth')
    torch.save(dict(state_dict={'discriminators.a.x': torch.ones(1)}), bare)
    with pytest.raises(KeyError, match='generators.a'):
        load_translator(cfg, bare)
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        load_translator(cfg, str(tmp_path / 'missing.pth'))
    with pytest.raises(TypeError, match='not a translation model'):
        load_translator(
            Config(dict(model=dict(type='ResnetGenerator', in_channels=3))),
            path)


def _files(root):
    return sorted(
        osp.relpath(osp.join(r, n), root) for r, _, names in os.walk(root)
        for n in names)


def test_folder_keeps_layout_names_and_resolution(synthetic_target,
                                                  tmp_path):
    _, translator = _translator(tmp_path)
    src = osp.join(synthetic_target, 'leftImg8bit')
    out = str(tmp_path / 'target_t2s' / 'leftImg8bit')
    counts = translate_folder(translator, src, out, show_progress=False)
    assert counts == dict(total=5, translated=5, skipped=0)
    assert _files(out) == _files(src)  # same relative paths, nothing else
    assert any(f.startswith(osp.join('train', 'synthcity')) and
               f.endswith('_leftImg8bit.png') for f in _files(out))
    for rel in _files(src):
        img = cv2.imread(osp.join(src, rel))
        got = cv2.imread(osp.join(out, rel))
        assert got.shape == img.shape == (34, 50, 3)
        assert np.array_equal(got, translator(img))  # PNG is lossless
    # the suffix filter keeps labels out when pointed at the dataset root
    names = list_images(synthetic_target, suffix='_leftImg8bit.png')
    assert len(names) == 5 and all('leftImg8bit' in n for n in names)
    # 5 images + 2 label maps each
    assert len(list_images(synthetic_target)) == 15


def test_rerun_skips_finished_images_unless_overwrite(
        synthetic_target, tmp_path):
    _, translator = _translator(tmp_path)
    src = osp.join(synthetic_target, 'leftImg8bit')
    out = str(tmp_path / 'out')
    translate_folder(translator, src, out, show_progress=False)
    marker = osp.join(out, _files(out)[0])
    cv2.imwrite(marker, np.zeros((2, 2, 3), np.uint8))  # not re-translated
    counts = translate_folder(translator, src, out, show_progress=False)
    assert counts == dict(total=5, translated=0, skipped=5)
    assert cv2.imread(marker).shape == (2, 2, 3)
    counts = translate_folder(translator, src, out, overwrite=True,
                              show_progress=False)
    assert counts['translated'] == 5
    assert cv2.imread(marker).shape == (34, 50, 3)


def test_interrupted_run_leaves_no_partial_file_and_resumes(
        synthetic_target, tmp_path, monkeypatch):
    _, translator = _translator(tmp_path)
    src = osp.join(synthetic_target, 'leftImg8bit')
    full, part = str(tmp_path / 'full'), str(tmp_path / 'part')
    translate_folder(translator, src, full, show_progress=False)

    # Ctrl-C while the third image is being moved into place: its
    # temporary file is written, the rename never happens
    real_replace, calls = os.replace, []

    def interrupted_replace(a, b):
        calls.append(b)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_replace(a, b)

    monkeypatch.setattr(file_io.os, 'replace', interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        translate_folder(translator, src, part, show_progress=False)
    monkeypatch.setattr(file_io.os, 'replace', real_replace)
    # two finished images, no partial or temporary file
    assert _files(part) == _files(full)[:2]

    counts = translate_folder(translator, src, part, show_progress=False)
    assert counts == dict(total=5, translated=3, skipped=2)
    assert _files(part) == _files(full)
    for rel in _files(full):
        assert open(osp.join(full, rel), 'rb').read() == open(
            osp.join(part, rel), 'rb').read(), rel


def test_unreadable_image_is_named(synthetic_target, tmp_path):
    _, translator = _translator(tmp_path)
    src = tmp_path / 'src' / 'city'
    src.mkdir(parents=True)
    good = cv2.imread(
        osp.join(synthetic_target, 'leftImg8bit', 'val', 'synthcity',
                 'synthcity_000000_000000_leftImg8bit.png'))
    cv2.imwrite(str(src / 'a_leftImg8bit.png'), good)
    (src / 'b_leftImg8bit.png').write_bytes(b'not a png')
    out = str(tmp_path / 'out')
    with pytest.raises(OSError, match='b_leftImg8bit.png'):
        translate_folder(translator, str(tmp_path / 'src'), out,
                         show_progress=False)
    assert _files(out) == [osp.join('city', 'a_leftImg8bit.png')]


def test_folder_errors(synthetic_target, tmp_path):
    _, translator = _translator(tmp_path)
    with pytest.raises(NotADirectoryError):
        translate_folder(translator, str(tmp_path / 'nope'),
                         str(tmp_path / 'o'))
    with pytest.raises(ValueError, match='contain'):
        translate_folder(translator, synthetic_target,
                         osp.join(synthetic_target, 'translated'))
    with pytest.raises(FileNotFoundError, match='no image'):
        translate_folder(translator, synthetic_target, str(tmp_path / 'o'),
                         suffix='_nothing.png')
