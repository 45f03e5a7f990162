"""One optimizer wrapper per trainable child of a UDASegmentor (SPEC 2)."""
import copy
from typing import Dict, List, Optional, Tuple

from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapperDict
from torch import nn

from mmseg.registry import OPTIM_WRAPPER_CONSTRUCTORS

_DEFAULT_CONSTRUCTOR = 'DefaultOptimWrapperConstructor'


def _unwrap(module: nn.Module) -> nn.Module:
    return module.module if is_model_wrapper(module) else module


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class UDAOptimWrapperConstructor:
    """Build an ``OptimWrapperDict`` with one wrapper per config key.

    Every key of ``optim_wrapper`` (other than ``constructor``) is a dotted
    module path below the model: ``'segmentor'`` for the network G, and
    ``'<aligner>.<network>'`` (resolved inside ``model.aligners``) for an
    aligner's own networks, e.g. ``'output_adv.discriminators'``. Each value
    is a complete single-optimizer config (``type``, ``optimizer``,
    optional ``paramwise_cfg`` and ``constructor``) built on that submodule
    alone by MMEngine's ``DefaultOptimWrapperConstructor``, so
    ``paramwise_cfg.custom_keys`` are matched against names *inside* the
    submodule (``'decode_head'``, not ``'segmentor.decode_head'``).
    ``param_scheduler`` may be a dict with the same keys.

    The split is checked so that no parameter is silently left out:

    * a key that names no submodule -> ``KeyError`` listing valid keys;
    * an aligner network listed in its ``optim_modules`` without a key,
      two keys sharing a parameter, or a parameter with
      ``requires_grad=True`` covered by no key -> ``ValueError``.

    Every sub-config must state its ``type`` so that ``tools/train.py
    --amp`` (which converts sub-wrappers by their ``type``) cannot miss one.

    Example::

        optim_wrapper = dict(
            constructor='UDAOptimWrapperConstructor',
            segmentor=dict(
                type='OptimWrapper',
                optimizer=dict(type='SGD', lr=2.5e-4, momentum=0.9,
                               weight_decay=5e-4),
                paramwise_cfg=dict(
                    custom_keys={'decode_head': dict(lr_mult=10.)})),
            **{'output_adv.discriminators': dict(
                type='OptimWrapper',
                optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.99)))})

    Args:
        optim_wrapper_cfg (dict): The ``optim_wrapper`` config without
            ``constructor`` (MMEngine removes it).
        paramwise_cfg (dict, optional): Must be None: a top-level
            ``paramwise_cfg`` would be ambiguous; put it in the sub-config
            it is meant for.
    """

    def __init__(self,
                 optim_wrapper_cfg: dict,
                 paramwise_cfg: Optional[dict] = None) -> None:
        if not isinstance(optim_wrapper_cfg, dict):
            raise TypeError('UDAOptimWrapperConstructor: optim_wrapper must '
                            'be a dict of sub-wrapper configs, got '
                            f'{type(optim_wrapper_cfg).__name__}')
        if paramwise_cfg:
            raise ValueError(
                'UDAOptimWrapperConstructor: a top-level '
                'optim_wrapper.paramwise_cfg is ambiguous; move it into the '
                'sub-config it applies to, e.g. '
                'optim_wrapper.segmentor.paramwise_cfg')
        if not optim_wrapper_cfg:
            raise ValueError('UDAOptimWrapperConstructor: optim_wrapper has '
                             "no keys; expected at least 'segmentor'")
        for key, cfg in optim_wrapper_cfg.items():
            if not isinstance(cfg, dict) or 'optimizer' not in cfg:
                raise ValueError(
                    f'UDAOptimWrapperConstructor: optim_wrapper.{key} must '
                    'be an optimizer-wrapper config dict with an '
                    f"`optimizer`, got {cfg!r}")
            if 'type' not in cfg:
                raise ValueError(
                    f'UDAOptimWrapperConstructor: optim_wrapper.{key} has '
                    "no `type`; write type='OptimWrapper' (or "
                    "'AmpOptimWrapper') so that --amp converts it too")
        self.optim_wrapper_cfg = copy.deepcopy(optim_wrapper_cfg)

    @staticmethod
    def valid_keys(model: nn.Module) -> List[str]:
        """Keys a config can use: 'segmentor' + aligner networks."""
        keys = ['segmentor'] if hasattr(model, 'segmentor') else []
        aligners = getattr(model, 'aligners', None)
        if aligners is not None:
            for name, aligner in _unwrap(aligners).items():
                keys.extend(f'{name}.{net}'
                            for net in getattr(aligner, 'optim_modules', ()))
        return keys

    @staticmethod
    def resolve(model: nn.Module, key: str) -> Optional[nn.Module]:
        """The submodule named by ``key``, or None if there is none.

        A first component that is an aligner name is looked up in
        ``model.aligners``; anything else is a path below the model.
        """
        aligners = getattr(model, 'aligners', None)
        root = model
        parts = key.split('.')
        if aligners is not None and parts[0] in _unwrap(aligners):
            root = _unwrap(aligners)
        for part in parts:
            root = _unwrap(root)
            if not isinstance(getattr(root, '_modules', None), dict) or \
                    part not in root._modules:
                return None
            root = root._modules[part]
        return root

    def __call__(self, model: nn.Module) -> OptimWrapperDict:
        if (is_model_wrapper(model)
                and hasattr(model.module, 'distributed_networks')
                and type(model).__name__ != 'UDADistributedDataParallel'):
            # Fail before training: a UDA model inside one DDP would train
            # without gradient all-reduce (or fail deep inside MMEngine).
            raise TypeError(
                f'{type(model).__name__} cannot train a UDA model; set '
                "model_wrapper_cfg = dict(type='UDADistributedDataParallel')"
                ' in the config for multi-GPU training')
        model = _unwrap(model)
        valid = self.valid_keys(model)
        submodules: Dict[str, nn.Module] = {}
        for key in self.optim_wrapper_cfg:
            module = self.resolve(model, key)
            if module is None:
                raise KeyError(
                    f'UDAOptimWrapperConstructor: optim_wrapper key {key!r} '
                    f'names no submodule of {type(model).__name__}; valid '
                    f'keys: {valid}')
            submodules[key] = module

        self._check_aligner_networks(model, submodules)
        self._check_coverage(model, submodules)

        wrappers = {}
        for key, module in submodules.items():
            cfg = copy.deepcopy(self.optim_wrapper_cfg[key])
            constructor = OPTIM_WRAPPER_CONSTRUCTORS.build(
                dict(type=cfg.pop('constructor', _DEFAULT_CONSTRUCTOR),
                     optim_wrapper_cfg=cfg,
                     paramwise_cfg=cfg.pop('paramwise_cfg', None)))
            wrappers[key] = constructor(module)
        return OptimWrapperDict(**wrappers)

    def _check_aligner_networks(self, model: nn.Module,
                                submodules: Dict[str, nn.Module]) -> None:
        """Every ``optim_modules`` network needs a key (its own or above).

        Without one its parameters would be frozen forever in effect: the
        aligner's ``update`` looks its optimizer up by this key.
        """
        aligners = getattr(model, 'aligners', None)
        if aligners is None:
            return
        for name, aligner in _unwrap(aligners).items():
            for net in getattr(aligner, 'optim_modules', ()):
                key = f'{name}.{net}'
                if key not in submodules:
                    raise ValueError(
                        f'UDAOptimWrapperConstructor: aligner {name!r} '
                        f'trains its network {net!r} (optim_modules) but '
                        f'optim_wrapper has no key {key!r}; add e.g. '
                        f"**{{'{key}': dict(type='OptimWrapper', "
                        "optimizer=dict(type='Adam', lr=1e-4, "
                        'betas=(0.9, 0.99)))}')

    @staticmethod
    def _check_coverage(model: nn.Module, submodules: Dict[str,
                                                           nn.Module]) -> None:
        owner: Dict[int, str] = {}
        for key, module in submodules.items():
            for param in module.parameters():
                if id(param) in owner:
                    raise ValueError(
                        'UDAOptimWrapperConstructor: optim_wrapper keys '
                        f'{owner[id(param)]!r} and {key!r} share '
                        'parameters; one parameter may have one optimizer')
                owner[id(param)] = key
        missing: List[Tuple[str, nn.Parameter]] = [
            (n, p) for n, p in model.named_parameters()
            if p.requires_grad and id(p) not in owner
        ]
        if missing:
            names = [n for n, _ in missing]
            shown = ', '.join(names[:10])
            more = f' (+{len(names) - 10} more)' if len(names) > 10 else ''
            raise ValueError(
                f'UDAOptimWrapperConstructor: {len(names)} trainable '
                f'parameters belong to no optim_wrapper key and would never '
                f'train: {shown}{more}; add a key for their module or set '
                f'requires_grad=False (keys: {sorted(submodules)})')
