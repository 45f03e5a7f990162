"""History of generated images for discriminator updates (CycleGAN)."""
from typing import Any, Dict, List

import torch
from torch import Tensor, nn


class ImagePool(nn.Module):
    """Buffer of up to ``size`` past generator outputs (Shrivastava et al.
    2017, used by CycleGAN for its discriminator updates).

    :meth:`query` takes a batch of fresh fakes and returns a batch of the
    same shape, image by image:

    * while the pool holds fewer than ``size`` images, the fresh image is
      stored and returned;
    * once full, with probability ``swap_prob`` a uniformly drawn stored
      image is returned and replaced by the fresh one, otherwise the fresh
      image is returned and the pool is unchanged.

    The discriminator thus sees a mix of current and older fakes, which
    damps the oscillation of the two-player game. Draws use torch's global
    CPU generator, whose state ``RNGStateHook`` saves in checkpoints.

    The stored images are the module's *extra state*
    (:meth:`get_extra_state`), so they are part of ``state_dict()``, of
    MMEngine checkpoints and of ``--resume``: a resumed run continues with
    the same history as an uninterrupted one. Cost: ``size`` images per
    pool in every checkpoint (50 RGB 452x452 fp32 crops are ~120 MB);
    ``save_in_checkpoint=False`` drops them (the pool then refills from
    empty after a resume, which changes the D updates of the next
    ``size`` images but nothing else).

    Args:
        size (int): Capacity; 0 disables the pool (``query`` returns its
            input). Default: 50 (CycleGAN).
        swap_prob (float): Probability of returning a stored image once
            the pool is full. Default: 0.5.
        save_in_checkpoint (bool): Keep the images in ``state_dict()``.
            Default: True.
    """

    def __init__(self,
                 size: int = 50,
                 swap_prob: float = 0.5,
                 save_in_checkpoint: bool = True) -> None:
        super().__init__()
        if not isinstance(size, int) or size < 0:
            raise ValueError(f'ImagePool size must be an int >= 0, got '
                             f'{size!r}')
        if not 0.0 <= swap_prob <= 1.0:
            raise ValueError(f'ImagePool swap_prob must lie in [0, 1], got '
                             f'{swap_prob}')
        self.size = size
        self.swap_prob = float(swap_prob)
        self.save_in_checkpoint = save_in_checkpoint
        self.images: List[Tensor] = []

    def __len__(self) -> int:
        return len(self.images)

    @torch.no_grad()
    def query(self, images: Tensor) -> Tensor:
        """(N, C, H, W) fresh fakes -> (N, C, H, W) fakes for the D step.

        The result is detached: the D update must not reach the generator.
        A stored image whose shape differs from the fresh one (variable
        image sizes without a crop) is never returned; the fresh one is.
        """
        images = images.detach()
        if self.size == 0:
            return images
        out = []
        for image in images:
            if len(self.images) < self.size:
                self.images.append(image.clone())
                out.append(image)
                continue
            # both draws are made every time, so the random stream does not
            # depend on the stored shapes
            swap = float(torch.rand(())) < self.swap_prob
            idx = int(torch.randint(len(self.images), ()))
            if swap and self.images[idx].shape == image.shape:
                out.append(self.images[idx].to(image))
                self.images[idx] = image.clone()
            else:
                out.append(image)
        return torch.stack(out)

    def get_extra_state(self) -> Dict[str, Any]:
        """The stored images (in ``state_dict()['<prefix>_extra_state']``)."""
        images = self.images if self.save_in_checkpoint else []
        return dict(size=self.size, images=[im.clone() for im in images])

    def set_extra_state(self, state: Dict[str, Any]) -> None:
        images = list(state.get('images', []))
        # a checkpoint of a larger pool keeps its oldest `size` entries
        self.images = [im.clone() for im in images[:self.size]]

    def extra_repr(self) -> str:
        return (f'size={self.size}, swap_prob={self.swap_prob}, '
                f'stored={len(self.images)}')
