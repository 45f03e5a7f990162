"""CycleGAN for LDR's target-to-source image translation (SPEC 4.3)."""
import copy
from typing import Dict, List, Optional, Tuple, Union

import torch.nn.functional as F
from mmengine.model import BaseModel, ModuleDict
from mmengine.optim import OptimWrapperDict
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig, SampleList
from torch import Tensor

from ..losses import GAN_MODES, gan_loss
from ..utils import requires_grad
from .image_pool import ImagePool

#: D's target on real images; a generator is rewarded when D says real.
REAL_LABEL = 1.0
#: D's target on generated images.
FAKE_LABEL = 0.0
#: Translation directions: 'a' = G_A (A -> B), 'b' = G_B (B -> A).
DIRECTIONS = ('a', 'b')


@MODELS.register_module()
class CycleGAN(BaseModel):
    """Unpaired image-to-image translation (Zhu et al., ICCV 2017).

    Two domains A and B, two generators ``G_A: A -> B`` and ``G_B: B -> A``
    and two discriminators, **named by the domain they judge**: ``D_A``
    tells real A images from ``G_B(b)``, ``D_B`` real B images from
    ``G_A(a)``. For LDR, A is the target domain and B the source
    (``domain_a='target'``, ``domain_b='source'``, the keys of
    ``UDADataset`` samples), so ``G_A`` is the target-to-source translator
    F of the paper (Sec. 3.2) and ``G_B`` its inverse F^-1.

    With ``a``, ``b`` real images (RGB in [-1, 1]), ``gan`` the GAN loss of
    ``gan_mode`` (LSGAN: mean squared error to the label), ``l1`` the mean
    absolute error, ``lc = cycle_weight`` and ``li = identity_weight``:

    generators (one step, D frozen)::

        loss_gan_a   = gan(D_B(G_A(a)), 1)
        loss_gan_b   = gan(D_A(G_B(b)), 1)
        loss_cycle_a = lc * l1(G_B(G_A(a)), a)
        loss_cycle_b = lc * l1(G_A(G_B(b)), b)
        loss_idt_a   = lc * li * l1(G_A(b), b)      # G_A keeps B images
        loss_idt_b   = lc * li * l1(G_B(a), a)

    discriminators (one step on detached fakes drawn from the image
    pools, :class:`ImagePool`)::

        loss_d_a = (gan(D_A(a), 1) + gan(D_A(pool_A(G_B(b))), 0)) / 2
        loss_d_b = (gan(D_B(b), 1) + gan(D_B(pool_B(G_A(a))), 0)) / 2

    Modules (state-dict prefixes): ``generators.a`` (G_A),
    ``generators.b`` (G_B), ``discriminators.a`` (D_A),
    ``discriminators.b`` (D_B), ``pools.a`` / ``pools.b`` (fakes of domain
    A / B, saved as extra state). Optimizer keys (``OptimWrapperDict`` via
    ``constructor='UDAOptimWrapperConstructor'``): ``'generators'`` and
    ``'discriminators'``, CycleGAN's two Adam optimizers over the chained
    parameters of both networks.

    Multi-GPU training is not supported: each generator runs twice before
    one backward pass, which MMEngine's separate-DDP wrapper cannot sync.

    Args:
        generator (dict): Config of G_A and G_B (``in_channels`` and
            ``out_channels`` are set to 3). Default: ResnetGenerator with
            9 residual blocks.
        discriminator (dict): Config of D_A and D_B (``in_channels`` = 3).
            Default: 70x70 PatchGAN (3 layers, padding 1).
        gan_mode (str): 'lsgan' (CycleGAN) or 'bce'. Default: 'lsgan'.
        cycle_weight (float): lambda of the cycle L1 terms. Default: 10.
        identity_weight (float): Identity L1 weight *relative to*
            ``cycle_weight`` (CycleGAN's convention); 0 skips the two
            identity passes. Default: 0.5.
        pool_size (int): Capacity of each image pool; 0 disables them.
            Default: 50.
        pool_in_checkpoint (bool): Save the pools' images in checkpoints
            (exact resume; ~2 x pool_size images). Default: True.
        domain_a (str): Data key of domain A. Default: 'target'.
        domain_b (str): Data key of domain B. Default: 'source'.
        data_preprocessor (dict, optional): Default maps BGR uint8 images
            to RGB in [-1, 1] (mean = std = 127.5) and pads to a multiple
            of 4 (the generators halve the size twice).
        init_cfg (dict, optional): Initialisation config. Default: None
            (each network has its own N(0, 0.02) init).
    """

    def __init__(self,
                 generator: dict = dict(type='ResnetGenerator',
                                        base_channels=64,
                                        num_blocks=9,
                                        norm_cfg=dict(type='IN')),
                 discriminator: dict = dict(type='PatchDiscriminator',
                                            base_channels=64,
                                            num_layers=3,
                                            padding=1,
                                            norm_cfg=dict(type='IN')),
                 gan_mode: str = 'lsgan',
                 cycle_weight: float = 10.0,
                 identity_weight: float = 0.5,
                 pool_size: int = 50,
                 pool_in_checkpoint: bool = True,
                 domain_a: str = 'target',
                 domain_b: str = 'source',
                 data_preprocessor: Optional[dict] = dict(
                     type='SegDataPreProcessor',
                     mean=[127.5, 127.5, 127.5],
                     std=[127.5, 127.5, 127.5],
                     bgr_to_rgb=True,
                     pad_val=0,
                     seg_pad_val=255,
                     size_divisor=4),
                 init_cfg: OptMultiConfig = None) -> None:
        if data_preprocessor is not None:
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        if gan_mode not in GAN_MODES:
            raise ValueError(f'CycleGAN gan_mode must be one of {GAN_MODES},'
                             f' got {gan_mode!r}')
        if cycle_weight < 0 or identity_weight < 0:
            raise ValueError('CycleGAN cycle_weight and identity_weight must '
                             f'be >= 0, got {cycle_weight}, '
                             f'{identity_weight}')
        if domain_a == domain_b:
            raise ValueError(f'CycleGAN domain_a and domain_b must differ, '
                             f'both are {domain_a!r}')
        self.gan_mode = gan_mode
        self.cycle_weight = float(cycle_weight)
        self.identity_weight = float(identity_weight)
        self.domain_a = domain_a
        self.domain_b = domain_b

        def build(cfg: dict, **kwargs):
            cfg = copy.deepcopy(cfg)
            cfg.update(kwargs)
            return MODELS.build(cfg)

        # mmengine's ModuleDict so that init_weights reaches the networks
        self.generators = ModuleDict({
            d: build(generator, in_channels=3, out_channels=3)
            for d in DIRECTIONS
        })
        self.discriminators = ModuleDict(
            {d: build(discriminator, in_channels=3)
             for d in DIRECTIONS})
        self.pools = ModuleDict({
            d: ImagePool(pool_size, save_in_checkpoint=pool_in_checkpoint)
            for d in DIRECTIONS
        })

    # ------------------------------------------------------------ terms --
    def translate(self, images: Tensor, direction: str = 'a') -> Tensor:
        """G_A (``'a'``: A -> B) or G_B (``'b'``: B -> A) of (N, 3, H, W)
        normalised images; H, W multiples of 4."""
        if direction not in DIRECTIONS:
            raise ValueError(f'CycleGAN direction must be one of '
                             f'{DIRECTIONS}, got {direction!r}')
        return self.generators[direction](images)

    def generator_losses(self, real_a: Tensor,
                         real_b: Tensor) -> Tuple[Dict[str, Tensor],
                                                  Dict[str, Tensor]]:
        """Generator-side terms (see the class docstring).

        Args:
            real_a (Tensor): (N, 3, H, W) domain-A images in [-1, 1].
            real_b (Tensor): (M, 3, H', W') domain-B images in [-1, 1].

        Returns:
            tuple[dict, dict]: The weighted losses, and the fakes
            ``{'fake_a': G_B(b), 'fake_b': G_A(a)}`` (with graph).
        """
        g_a, g_b = self.generators['a'], self.generators['b']
        d_a, d_b = self.discriminators['a'], self.discriminators['b']
        fake_b = g_a(real_a)
        fake_a = g_b(real_b)
        rec_a = g_b(fake_b)
        rec_b = g_a(fake_a)
        losses = dict(
            loss_gan_a=gan_loss(d_b(fake_b), REAL_LABEL, self.gan_mode),
            loss_gan_b=gan_loss(d_a(fake_a), REAL_LABEL, self.gan_mode),
            loss_cycle_a=self.cycle_weight * F.l1_loss(rec_a, real_a),
            loss_cycle_b=self.cycle_weight * F.l1_loss(rec_b, real_b))
        idt = self.cycle_weight * self.identity_weight
        if idt > 0:
            losses['loss_idt_a'] = idt * F.l1_loss(g_a(real_b), real_b)
            losses['loss_idt_b'] = idt * F.l1_loss(g_b(real_a), real_a)
        return losses, dict(fake_a=fake_a, fake_b=fake_b)

    def discriminator_losses(self, real_a: Tensor, real_b: Tensor,
                             fake_a: Tensor,
                             fake_b: Tensor) -> Dict[str, Tensor]:
        """D_A on (real A, fake A) and D_B on (real B, fake B); the fakes
        are detached here (the D step must not reach the generators)."""
        losses = {}
        for d, real, fake in (('a', real_a, fake_a), ('b', real_b, fake_b)):
            disc = self.discriminators[d]
            losses[f'loss_d_{d}'] = 0.5 * (
                gan_loss(disc(real), REAL_LABEL, self.gan_mode) +
                gan_loss(disc(fake.detach()), FAKE_LABEL, self.gan_mode))
        return losses

    # ------------------------------------------------------------ steps --
    def _real_images(self, data: dict) -> Tuple[Tensor, Tensor]:
        missing = [k for k in (self.domain_a, self.domain_b) if k not in data]
        if missing:
            raise KeyError(
                f'CycleGAN expects a batch with keys {self.domain_a!r} (A) '
                f'and {self.domain_b!r} (B), e.g. from UDADataset; missing '
                f'{missing}, got {sorted(data)}')
        real_a = self.data_preprocessor(data[self.domain_a], True)['inputs']
        real_b = self.data_preprocessor(data[self.domain_b], True)['inputs']
        return real_a, real_b

    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapperDict) -> Dict[str, Tensor]:
        """One generator step (both G, D frozen), then one discriminator
        step (both D) on pooled, detached fakes."""
        real_a, real_b = self._real_images(data)
        g_wrapper = optim_wrapper['generators']
        d_wrapper = optim_wrapper['discriminators']

        # D frozen: G's backward neither computes nor stores D gradients
        with requires_grad(self.discriminators.parameters(), False):
            with g_wrapper.optim_context(self.generators):
                losses, fakes = self.generator_losses(real_a, real_b)
            loss, log_vars = self.parse_losses(losses)
            g_wrapper.update_params(loss)

        # the fakes of this step (made before G's update), as in CycleGAN
        fake_a = self.pools['a'].query(fakes['fake_a'])
        fake_b = self.pools['b'].query(fakes['fake_b'])
        with d_wrapper.optim_context(self.discriminators):
            d_losses = self.discriminator_losses(real_a, real_b, fake_a,
                                                 fake_b)
            loss_d = sum(d_losses.values())
        d_wrapper.update_params(loss_d)
        log_vars.update({k: v.detach() for k, v in d_losses.items()})
        return log_vars

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[SampleList] = None,
                mode: str = 'tensor') -> Union[Tensor, List]:
        """``'tensor'``: G_A(inputs), (N, 3, H, W) in [-1, 1]. Training
        goes through :meth:`train_step`; there is no loss/predict mode
        (no labels to score a translation against)."""
        if mode != 'tensor':
            raise NotImplementedError(
                "CycleGAN supports forward(inputs, mode='tensor') (G_A) and "
                'train_step only; use translate(images, direction) or '
                'tools/translate_images.py for inference')
        return self.translate(inputs, 'a')
