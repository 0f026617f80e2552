"""Layers point one way (docs/architecture.md): no import cycles among shop/ and admin/ modules,
counting imports inside functions; shop.core imports no feature; only the app factory imports
the back office."""

from tests.import_graph import broken_rules, cycles, graph


def test_there_are_no_import_cycles():
    assert cycles(graph()) == []


def test_core_knows_no_feature_and_nothing_but_the_factory_imports_admin():
    assert broken_rules(graph()) == []


def test_the_checker_sees_function_level_imports_and_cycles():
    """The checker itself: a cycle made only of imports inside functions is found."""
    edges = {"shop.a": {"shop.b": 3}, "shop.b": {"shop.a": 9}, "shop.core.x": {"shop.cart": 1}}
    assert cycles(edges) == [["shop.a", "shop.b"]]
    assert broken_rules(edges) == ["shop.core.x:1 imports shop.cart: core knows no feature"]
