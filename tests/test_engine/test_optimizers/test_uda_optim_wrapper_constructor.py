"""UDAOptimWrapperConstructor: one optimizer per key, checked coverage."""
import copy

import pytest
import torch
from mmengine.optim import OptimWrapperDict, build_optim_wrapper
from torch import nn

from mmseg.registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS
from mmseg_uda.apis import enable_amp
from mmseg_uda.engine.optimizers import UDAOptimWrapperConstructor
from uda_toys import model_cfg, optim_cfg


def build(cfg=None, model=None):
    model = model or MODELS.build(model_cfg())
    return model, build_optim_wrapper(model, cfg or optim_cfg())


def param_lrs(optimizer):
    return {
        id(p): group['lr']
        for group in optimizer.param_groups
        for p in group['params']
    }


def test_builds_one_wrapper_per_key_with_paramwise_cfg():
    assert OPTIM_WRAPPER_CONSTRUCTORS.get('UDAOptimWrapperConstructor') is \
        UDAOptimWrapperConstructor
    model, wrappers = build()
    assert isinstance(wrappers, OptimWrapperDict)
    assert list(wrappers.keys()) == ['segmentor', 'adv.discriminator']
    g_opt = wrappers['segmentor'].optimizer
    d_opt = wrappers['adv.discriminator'].optimizer
    assert isinstance(g_opt, torch.optim.SGD)
    assert isinstance(d_opt, torch.optim.Adam)
    assert d_opt.defaults['betas'] == (0.9, 0.99)

    g_lrs, d_lrs = param_lrs(g_opt), param_lrs(d_opt)
    seg = model.segmentor
    assert set(g_lrs) == {id(p) for p in seg.parameters()}
    assert set(d_lrs) == {
        id(p)
        for p in model.aligners['adv'].discriminator.parameters()
    }
    # custom_keys are matched inside the submodule: heads at 10x.
    for name, p in seg.named_parameters():
        expected = 0.1 if 'head' in name else 0.01
        assert g_lrs[id(p)] == pytest.approx(expected), name
    assert all(lr == 1e-4 for lr in d_lrs.values())


def test_unknown_key_lists_valid_keys():
    cfg = optim_cfg()
    cfg['adv.generator'] = cfg.pop('adv.discriminator')
    with pytest.raises(KeyError) as err:
        build(cfg)
    msg = str(err.value)
    assert "'adv.generator'" in msg
    assert "['segmentor', 'adv.discriminator']" in msg


def test_aligner_network_without_key():
    cfg = optim_cfg()
    del cfg['adv.discriminator']
    with pytest.raises(ValueError,
                       match=r"network 'discriminator'.*"
                       r"no key 'adv.discriminator'"):
        build(cfg)


def test_trainable_parameters_without_key():
    model = MODELS.build(model_cfg())
    model.aligners['adv'].temperature = nn.Parameter(torch.ones(1))
    with pytest.raises(ValueError,
                       match=r'1 trainable parameters.*'
                       r'aligners\.adv\.temperature'):
        build(model=model)
    # A deliberately frozen parameter needs no optimizer.
    model.aligners['adv'].temperature.requires_grad_(False)
    _, wrappers = build(model=model)
    assert list(wrappers.keys()) == ['segmentor', 'adv.discriminator']


def test_overlapping_keys():
    cfg = optim_cfg()
    cfg['segmentor.decode_head'] = copy.deepcopy(cfg['segmentor'])
    with pytest.raises(ValueError, match='share parameters'):
        build(cfg)


def test_bad_sub_configs():
    cfg = optim_cfg(paramwise_cfg=dict(norm_decay_mult=0.))
    with pytest.raises(ValueError, match='top-level'):
        build(cfg)
    cfg = optim_cfg()
    del cfg['segmentor']['type']
    with pytest.raises(ValueError,
                       match=r'optim_wrapper.segmentor has no '
                       '`type`'):
        build(cfg)
    cfg = optim_cfg()
    cfg['segmentor'] = dict(type='OptimWrapper')
    with pytest.raises(ValueError, match='`optimizer`'):
        build(cfg)


def test_enable_amp_converts_every_sub_wrapper():
    cfg = dict(optim_wrapper=optim_cfg())
    enable_amp(cfg, 'bf16')
    ow = cfg['optim_wrapper']
    assert ow['constructor'] == 'UDAOptimWrapperConstructor'
    for key in ('segmentor', 'adv.discriminator'):
        assert ow[key]['type'] == 'AmpOptimWrapper'
        assert ow[key]['dtype'] == 'bfloat16'
    # paramwise_cfg and optimizer survive for the constructor.
    assert 'decode_head' in ow['segmentor']['paramwise_cfg']['custom_keys']
    assert ow['adv.discriminator']['optimizer']['type'] == 'Adam'
