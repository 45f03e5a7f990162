from .amp import AMP_DTYPES, enable_amp
from .model_builder import build_model_from_cfg, runner_model_cfg
from .pseudo_labels import PseudoLabelGenerator, generate_pseudo_labels
from .translation import (ImageTranslator, list_images, load_translator,
                          translate_folder)

__all__ = [
    'enable_amp', 'AMP_DTYPES', 'build_model_from_cfg', 'runner_model_cfg',
    'PseudoLabelGenerator',
    'generate_pseudo_labels', 'ImageTranslator', 'load_translator',
    'list_images', 'translate_folder'
]
