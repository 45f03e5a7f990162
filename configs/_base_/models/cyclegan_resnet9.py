# CycleGAN (Zhu et al., ICCV 2017) as LDR's target-to-source translation F
# and BDL's source-to-target one (SPEC 4.3): domain A = target, B = source,
# so generators.a (G_A) translates target -> source. ResNet generators with
# 9 residual blocks (64 base channels, instance norm), CycleGAN's 70x70
# PatchGAN (3 stride-2 layers, padding 1), LSGAN, cycle weight 10,
# identity 0.5, a pool of 50 generated images per direction.
model = dict(type='CycleGAN',
             domain_a='target',
             domain_b='source',
             generator=dict(type='ResnetGenerator',
                            base_channels=64,
                            num_blocks=9,
                            norm_cfg=dict(type='IN')),
             discriminator=dict(type='PatchDiscriminator',
                                base_channels=64,
                                num_layers=3,
                                padding=1,
                                norm_cfg=dict(type='IN')),
             gan_mode='lsgan',
             cycle_weight=10.0,
             identity_weight=0.5,
             pool_size=50)
