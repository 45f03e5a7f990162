"""InitialWeights: the weights a run started from, restored at a round
boundary (PseudoLabelHook's reinit) with the optimizers and schedules
restarted and aligner states reset."""
import logging
from types import SimpleNamespace

import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.optim import OptimWrapper, OptimWrapperDict, PolyLR
from torch import nn

from mmseg_uda.engine.initial_weights import InitialWeights


def _runner(model, wrappers, tmp_path, schedulers=None):
    """The parts of a Runner InitialWeights touches."""
    return SimpleNamespace(model=model,
                           optim_wrapper=wrappers,
                           message_hub=MessageHub.get_instance('pl_hook'),
                           param_schedulers=schedulers or {},
                           work_dir=str(tmp_path),
                           iter=0,
                           logger=logging.getLogger('test'))


def test_reinit_restores_weights_optimizer_and_schedule(tmp_path):
    """After the restart the run continues exactly like a fresh run."""

    def build():
        torch.manual_seed(0)
        model = nn.Module()
        model.segmentor = nn.Linear(3, 2)
        model.disc = nn.Linear(2, 1)
        # two parameter groups (as paramwise lr_mult gives): MMEngine then
        # tracks the base lr in an extra group of the wrapper, logged as
        # base_lr, which must restart too
        wrappers = OptimWrapperDict(segmentor=OptimWrapper(
            torch.optim.SGD([
                dict(params=[model.segmentor.weight]),
                dict(params=[model.segmentor.bias], lr=1.0)
            ],
                            lr=0.1,
                            momentum=0.9)),
                                    disc=OptimWrapper(
                                        torch.optim.Adam(
                                            model.disc.parameters(), lr=0.01)))
        schedulers = {
            k: [PolyLR(w, power=0.9, begin=0, end=5, by_epoch=False)]
            for k, w in wrappers.items()
        }
        return model, wrappers, schedulers

    def train(model, wrappers, schedulers, steps):
        lrs = []
        for _ in range(steps):
            lrs.append([w.get_lr() for w in wrappers.values()])
            loss = model.disc(model.segmentor(torch.ones(4, 3))).sum()
            for w in wrappers.values():
                w.optimizer.zero_grad()
            loss.backward()
            for w in wrappers.values():
                w.optimizer.step()
            for group in schedulers.values():
                for s in group:
                    s.step()
        return lrs

    fresh = build()
    fresh_lrs = train(*fresh, 3)

    model, wrappers, schedulers = build()
    runner = _runner(model, wrappers, tmp_path, schedulers)
    for scope in ('segmentor', 'all'):
        model, wrappers, schedulers = build()
        runner.model = model
        runner.optim_wrapper = wrappers
        runner.message_hub = MessageHub.get_instance(f'pl_reinit_{scope}')
        runner.param_schedulers = schedulers
        weights = InitialWeights(str(tmp_path / f'{scope}.pth'), scope, 'test')
        runner.iter = 0
        weights.save_or_check(runner)
        train(model, wrappers, schedulers, 4)
        disc_before = model.disc.weight.detach().clone()
        runner.iter = 4
        # RuntimeInfoHook has published the decayed lr of iteration 4
        decayed = wrappers['segmentor'].get_lr()['lr'][0]
        runner.message_hub.update_scalar('train/segmentor.lr', decayed)
        weights.restore(runner)
        # the log shows the restarted lr the iteration trains with
        assert runner.message_hub.get_scalar(
            'train/segmentor.lr').current() == fresh_lrs[0][0]['lr'][0] \
            != decayed
        lrs = train(model, wrappers, schedulers, 3)
        if scope == 'all':
            assert lrs == fresh_lrs
            for a, b in zip(model.parameters(), fresh[0].parameters()):
                assert torch.equal(a, b)
        else:
            # G and its optimizer/schedule restart; D continues
            assert [lr[0] for lr in lrs] == [lr[0] for lr in fresh_lrs]
            assert lrs[0][1] != fresh_lrs[0][1]
            assert not torch.equal(disc_before, fresh[0].disc.weight)
    # a snapshot of another scope is refused
    weights = InitialWeights(str(tmp_path / 'all.pth'), 'segmentor', 'test')
    with pytest.raises(ValueError, match='snapshot'):
        weights.restore(runner)


@pytest.mark.parametrize('scope', ['segmentor', 'all'])
def test_reinit_resets_the_aligners_state(scope, tmp_path):
    """SIM's banks hold step-1 features: empty after either re-init, also
    where the snapshot does not cover them (reinit='segmentor')."""
    from mmseg_uda.models.aligners import StuffInstanceMatching
    torch.manual_seed(0)
    model = nn.Module()
    model.segmentor = nn.Linear(3, 2)
    model.aligners = nn.ModuleDict(
        dict(sim=StuffInstanceMatching(feat_channels=4,
                                       stuff_classes=(0, ),
                                       thing_classes=(1, ),
                                       stuff_bank_size=2,
                                       thing_bank_size=3,
                                       classifier_check=False)))
    wrappers = OptimWrapperDict(segmentor=OptimWrapper(
        torch.optim.SGD(model.segmentor.parameters(), lr=0.1)))
    runner = _runner(model, wrappers, tmp_path)
    weights = InitialWeights(str(tmp_path / 'init.pth'), scope, 'test')
    weights.save_or_check(runner)
    # step 1 fills the banks
    sim = model.aligners['sim']
    sim.stuff_bank.fill_(1.0)
    sim.thing_bank.fill_(2.0)
    for name in ('stuff_ptr', 'stuff_count', 'thing_ptr', 'thing_count'):
        getattr(sim, name).fill_(2)
    runner.iter = 4
    weights.restore(runner)
    for name in ('stuff_bank', 'stuff_ptr', 'stuff_count', 'thing_bank',
                 'thing_ptr', 'thing_count'):
        assert not getattr(sim, name).any(), (scope, name)


def test_snapshot_leaves_out_parameters_no_optimizer_updates(tmp_path):
    """A frozen network (LDR's VGG-19) is not copied into the snapshot and
    keeps its weights through the re-initialisation."""
    torch.manual_seed(0)
    model = nn.Module()
    model.segmentor = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    model.frozen = nn.Linear(2, 2)
    model.frozen.requires_grad_(False)
    wrappers = OptimWrapperDict(segmentor=OptimWrapper(
        torch.optim.SGD(model.segmentor.parameters(), lr=0.1)))
    runner = _runner(model, wrappers, tmp_path)
    weights = InitialWeights(str(tmp_path / 'init.pth'), 'all', 'test')
    weights.save_or_check(runner)
    saved = torch.load(weights.path, weights_only=True)['state_dict']
    # trained parameters and every buffer (BN statistics) are saved
    assert set(saved) == {
        'segmentor.0.weight', 'segmentor.0.bias', 'segmentor.1.weight',
        'segmentor.1.bias', 'segmentor.1.running_mean',
        'segmentor.1.running_var', 'segmentor.1.num_batches_tracked'
    }
    init = {k: v.clone() for k, v in model.state_dict().items()}
    with torch.no_grad():
        for p in model.segmentor.parameters():
            p.add_(1.0)
    model.segmentor(torch.ones(4, 3))  # moves the BN statistics
    runner.iter = 2
    weights.restore(runner)
    for key, value in model.state_dict().items():
        assert torch.equal(value, init[key]), key

    # a snapshot that misses a trained parameter is refused
    torch.save(dict(reinit='all', state_dict={}), weights.path)
    with pytest.raises(KeyError, match='missing'):
        weights.restore(runner)
