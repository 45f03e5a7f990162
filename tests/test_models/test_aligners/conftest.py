from typing import Dict, Optional, Sequence

import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmseg_uda.models.aligners import DomainOutputs


def build_outputs(logits: Dict[str, torch.Tensor],
                  input_size: Sequence[int],
                  labels: Optional[torch.Tensor] = None) -> DomainOutputs:
    """DomainOutputs of a batch; ``labels`` (N, H, W) become gt_sem_seg."""
    n = next(iter(logits.values())).shape[0]
    samples = []
    for i in range(n):
        sample = SegDataSample()
        if labels is not None:
            sample.gt_sem_seg = PixelData(data=labels[i][None].long())
        samples.append(sample)
    return DomainOutputs(inputs=torch.zeros(n, 3, *input_size),
                         data_samples=samples,
                         feats=[],
                         logits=logits)


@pytest.fixture
def make_outputs():
    return build_outputs
