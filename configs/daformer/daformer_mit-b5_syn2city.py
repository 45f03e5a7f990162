# DAFormer, MiT-B5, SYNTHIA -> Cityscapes: ./daformer_mit-b5_gta2city.py with
# SYNTHIA-RAND-CITYSCAPES as the source (1280 x 760, cropped to 512 x 512)
# and its class statistics for rare class sampling. 19-way head; mIoU16 /
# mIoU13 read off the 19-class confusion matrix; the paper reports mIoU16.
_base_ = [
    './daformer_mit-b5_gta2city.py', '../_base_/datasets/synthia_source.py'
]

source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True,
                            pipeline=_base_.dacs_synthia_pipeline)
train_dataloader = dict(dataset=dict(
    source=source_train_dataset, source_sampling=_base_.daformer_rcs_synthia))
val_evaluator = dict(subsets=_base_.synthia_subsets)
test_evaluator = val_evaluator
recipe_card = dict(
    row='Table 1 / 8, DAFormer (MiT-B5), SYNTHIA',
    task='SYNTHIA -> Cityscapes',
    paper_miou=60.9,
    metric='mIoU16',
    values=dict(source_size=dict(value=(1280, 760),
                                 source='decision: SYNTHIA as the DeepLab-v2 '
                                 'configs resize it, then cropped')))
