# Table 3, S3 (paper: 43.9): S2 + "No BG adap.": source pixels labelled
# ignore (255) are excluded from the local D loss; still no mixture module
# (theta 1.0 for the whole 80k local stage after the 150k global stage).
_base_ = ['./ablation_s2_global_localD_gta2city.py']

model = dict(aligners=dict(local_adv=dict(exclude_background=True)))
recipe_card = dict(
    row='Table 3, S3 (+ no background adaptation)',
    paper_miou=43.9,
    values=dict(background_exclusion=dict(
        value=True,
        source='paper (global-local, Table 3): S3 excludes background')))
