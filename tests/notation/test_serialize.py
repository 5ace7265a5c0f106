import json

from chainrule.notation import declarations, parse_math
from chainrule.notation.serialize import to_dict


def test_tree_as_json_with_positions_and_shapes():
    node = parse_math("\\mathbf{W}\\mathbf{x} = 0.50, \\mathbf{x} \\in \\mathbb{R}^n, "
                      "\\mathbf{W} \\in \\mathbb{R}^{2 \\times n}")
    data = json.loads(json.dumps(to_dict(node, declarations(node))))
    chain = data["items"][0]
    product, number = chain["terms"]
    assert product["type"] == "Mul" and product["shape"] == ["2", "1"]
    assert number == {"type": "Number", "line": 1, "column": 24, "text": "0.50", "decimals": 2, "shape": ["1", "1"]}
