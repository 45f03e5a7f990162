from mmseg_uda.utils import for_each_dict


def test_visits_every_nested_dict_parents_first():
    cfg = dict(a=1,
               model=dict(type='M', heads=[dict(type='H1'),
                                           dict(type='H2')]),
               pipeline=(dict(type='Load'), [dict(type='Resize')]))
    seen = []
    for_each_dict(cfg, lambda d: seen.append(d.get('type', 'root')))
    assert seen == ['root', 'M', 'H1', 'H2', 'Load', 'Resize']


def test_a_replaced_value_is_the_one_walked_into():
    cfg = dict(step=dict(type='Old'))
    seen = []

    def fix(d):
        seen.append(d.get('type'))
        if d.get('type') is None and 'step' in d:
            d['step'] = dict(type='New', inner=dict(type='Inner'))

    for_each_dict(cfg, fix)
    assert seen == [None, 'New', 'Inner']
