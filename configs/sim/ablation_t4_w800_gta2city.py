# SIM Table 4: w = 800 stored samples per stuff class and z * w = 8000 per
# thing class (Algorithm 1, z = 10), lambda_ci = 0.01 (paper 45.3 mIoU, best
# 46.2 at w = 50 = ./deeplabv2_gta2city_step1.py). The banks are buffers in the
# checkpoint: 4 bytes x 2048 x (8 w + 11 z w). Step 1 only (the paper's table
# reports the step-1 model; no pseudo labels).
_base_ = ['./deeplabv2_gta2city_step1.py']
model = dict(aligners=dict(
    sim=dict(stuff_bank_size=800, thing_bank_size=8000)))
recipe_card = dict(
    row='Table 4, w = 800, lambda_ci = 0.01',
    paper_miou=45.3,
    values=dict(
        stuff_bank=dict(value=800,
                        source='paper (SIM, Table 4)'),
        thing_bank=dict(value=8000,
                        source='paper (SIM, Algorithm 1: z * w, z = 10)')))
