from chainrule.notation import Number, Symbol, normalize_layers, parse_math


def test_aliases_read_as_layer_labels_for_named_symbols():
    want = parse_math("W^{(1)} x + b^{(2)}")
    for written in ("W^1 x + b^2", "W_1 x + b_2", "W1 x + b2"):
        assert normalize_layers(parse_math(written), {"W", "b"}) == want


def test_case_folding_and_untouched_names():
    assert normalize_layers(parse_math("w^1"), {"W"}, fold_case=True) == Symbol("W", layer=Number("1"))
    assert normalize_layers(parse_math("w^1"), {"W"}) == parse_math("w^1")
    assert normalize_layers(parse_math("x^2"), {"W"}) == parse_math("x^2")
