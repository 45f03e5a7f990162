"""Build a config's model outside the Runner, the way the Runner does.

MMEngine's ``Runner`` gives a config's top-level ``data_preprocessor`` to
the model when the model config has none (``model.setdefault``). MMSeg
configs rely on it: the UDA leaf configs set ``data_preprocessor =
dict(size_divisor=1)`` at the top level, and ``UDASegmentor`` passes it on
to G. A tool that calls ``MODELS.build(cfg.model)`` directly would miss it
and train G with its base preprocessor (no ``size`` nor ``size_divisor``:
MMSeg's ``stack_batch`` asserts).
"""
import copy

import torch.nn as nn
from mmengine.config import Config, ConfigDict
from mmengine.registry import init_default_scope


def runner_model_cfg(cfg: Config) -> ConfigDict:
    """A copy of ``cfg.model`` with what the Runner adds to it.

    Returns:
        ConfigDict: ``cfg.model``, plus the top-level ``data_preprocessor``
        where the model config has none.
    """
    model = copy.deepcopy(cfg.model)
    preprocessor = cfg.get('data_preprocessor')
    if isinstance(model, dict) and preprocessor is not None:
        model.setdefault('data_preprocessor', copy.deepcopy(preprocessor))
    return model


def build_model_from_cfg(cfg: Config) -> nn.Module:
    """``MODELS.build`` of :func:`runner_model_cfg` in the config's scope."""
    from mmseg.registry import MODELS
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    return MODELS.build(runner_model_cfg(cfg))
