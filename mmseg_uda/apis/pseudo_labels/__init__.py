"""Confidence-thresholded pseudo labels for the target train set (SPEC 5),
shared by ``tools/generate_pseudo_labels.py`` and ``PseudoLabelHook``:

* :mod:`.thresholds`: BDL's per-class median thresholds from histograms,
* :mod:`.label_files`: label paths and atomic PNG files,
* :mod:`.generator`: the two-pass generator (predict + histogram, then
  predict + write), its resume rule and its DDP sharding.
"""
from . import label_files
from .generator import (FORMAT_VERSION, SUMMARY_FILE, PseudoLabelGenerator,
                        generate_pseudo_labels, inference_dataset_cfg,
                        model_fingerprint, predict_confidence)
from .label_files import (DEFAULT_SUFFIX, encode_png, image_dir, label_path,
                          read_label, write_label)
from .thresholds import (apply_thresholds, confidence_bins,
                         confidence_histogram, median_thresholds)

__all__ = [
    'label_files', 'FORMAT_VERSION', 'SUMMARY_FILE', 'PseudoLabelGenerator',
    'generate_pseudo_labels', 'inference_dataset_cfg', 'model_fingerprint',
    'predict_confidence', 'DEFAULT_SUFFIX', 'encode_png', 'image_dir',
    'label_path', 'read_label', 'write_label', 'apply_thresholds',
    'confidence_bins', 'confidence_histogram', 'median_thresholds'
]
