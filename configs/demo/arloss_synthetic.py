# AR loss on the synthetic benchmark: the target-trained oracle
# (oracle_synthetic.py: supervised training and evaluation in one domain,
# the setting of the AR-loss paper) with CE + 0.1 * AR on the main head.
# Compare with configs/demo/oracle_synthetic.py (same seed and schedule).
_base_ = './oracle_synthetic.py'
model = dict(decode_head=dict(loss_decode=[
    dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
    dict(type='AffinityRegressionLoss', grid_sizes=(12, 6), loss_weight=0.1),
]))
