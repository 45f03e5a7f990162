"""PretrainedWithFallback: the preferred file when present, else the
fallback, built from a module's init_cfg as configs write it."""
import logging
from unittest.mock import patch

import pytest
import torch
from mmengine.model import BaseModule
from mmengine.registry import init_default_scope
from torch import nn

from mmseg.registry import WEIGHT_INITIALIZERS
from mmseg_uda.models.utils import PretrainedWithFallback


class Net(BaseModule):

    def __init__(self, init_cfg=None):
        super().__init__(init_cfg)
        self.conv = nn.Conv2d(1, 2, 1)


def _save(path, value):
    torch.save({'state_dict': {'conv.weight': torch.full((2, 1, 1, 1),
                                                         value),
                               'conv.bias': torch.full((2, ), value)}},
               path)
    return str(path)


def _init(preferred, fallback):
    init_default_scope('mmseg')
    net = Net(init_cfg=dict(type='PretrainedWithFallback',
                            checkpoint=preferred,
                            fallback=fallback))
    net.init_weights()
    return net.conv.weight.flatten().tolist()


def test_registered():
    assert WEIGHT_INITIALIZERS.get('PretrainedWithFallback') is \
        PretrainedWithFallback


def test_prefers_the_checkpoint_when_it_exists(tmp_path):
    preferred = _save(tmp_path / 'paper_init.pth', 1.0)
    fallback = _save(tmp_path / 'zoo.pth', 2.0)
    assert _init(preferred, fallback) == [1.0, 1.0]


def test_falls_back_with_a_warning_naming_both(tmp_path):
    fallback = _save(tmp_path / 'zoo.pth', 2.0)
    missing = str(tmp_path / 'absent' / 'paper_init.pth')
    with patch('mmseg_uda.models.utils.pretrained_with_fallback.print_log'
               ) as log:
        assert _init(missing, fallback) == [2.0, 2.0]
    assert log.call_args.kwargs['level'] == logging.WARNING
    assert missing in log.call_args.args[0]
    assert fallback in log.call_args.args[0]


def test_remote_names_are_never_absent():
    init = PretrainedWithFallback('open-mmlab://resnet101_v1c', 'x.pth')
    assert init.resolve() == 'open-mmlab://resnet101_v1c'


def test_missing_fallback_fails_loudly(tmp_path):
    with pytest.raises(FileNotFoundError):
        _init(str(tmp_path / 'a.pth'), str(tmp_path / 'b.pth'))
