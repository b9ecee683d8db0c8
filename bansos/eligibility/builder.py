"""The rule builder's form: a tree of groups and predicate rows posted as flat fields.

Every node has a path ("0" is the root group, "0.1" its second child). Fields are named
``<path>:kind`` (all / any / none / p), ``<path>:p`` (predicate), ``<path>:prev`` (the predicate
the row was drawn for), ``<path>:op``, ``<path>:a``, ``<path>:b`` and ``<path>:v`` (several).
The page posts the whole form for every change (add, remove, another predicate) and gets the
builder back, so it needs no script of its own; htmx only swaps the builder in place.
A "none" group means "none of these" and is stored as ``{"not": {"any": [...]}}``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _t

from bansos.eligibility import engine
from bansos.eligibility.predicates import BOOL, CATALOG, CHOICE, IDS, MONEY, NUMBER, OP_LABELS

DEFAULT_LEAF = {"p": "welfare_decile", "op": "between", "value": [1, 4]}
GROUP_KINDS = ("all", "any", "none")
MAX_NODES = 60


def default_leaf(key: str = "welfare_decile") -> dict:
    predicate = CATALOG[key]
    if key == "welfare_decile":
        return dict(DEFAULT_LEAF)
    if predicate.kind in (NUMBER, MONEY):
        return {"p": key, "op": "lte", "value": ""}
    if predicate.kind == BOOL:
        return {"p": key, "op": "is", "value": True}
    return {"p": key, "op": "in", "value": []}


def initial_tree() -> dict:
    return {"all": [default_leaf()]}


def from_expression(expression: dict) -> dict:
    """The builder's tree for a stored expression."""
    kind = engine.node_kind(expression)
    if kind == "p":
        return dict(expression)
    if kind == "not":
        inner = expression["not"]
        if engine.node_kind(inner) == "any":
            return {"none": [from_expression(c) for c in inner["any"]]}
        return {"none": [from_expression(inner)]}
    tree = {kind: [from_expression(c) for c in expression[kind]]}
    return tree


def to_expression(tree: dict) -> dict:
    kind = group_kind(tree)
    if kind is None:
        return dict(tree)
    items = [to_expression(c) for c in tree[kind]]
    if kind == "none":
        return {"not": {"any": items}}
    return {kind: items}


def group_kind(node: dict) -> str | None:
    for kind in GROUP_KINDS:
        if kind in node:
            return kind
    return None


def _path_key(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in path.split("."))


def tree_from_post(data) -> dict:
    """Rebuild the tree from the posted fields, keeping raw values so errors can be shown on them."""
    paths = sorted((key[:-5] for key in data if key.endswith(":kind")), key=_safe_key)
    paths = [p for p in paths if _safe_key(p) is not None][:MAX_NODES]
    if "0" not in paths:
        return initial_tree()
    nodes: dict[str, dict] = {}
    for path in paths:
        kind = data.get(f"{path}:kind")
        if kind in GROUP_KINDS:
            nodes[path] = {kind: []}
        else:
            nodes[path] = _leaf_from_post(data, path)
    for path in paths:
        if path == "0":
            continue
        parent = nodes.get(path.rsplit(".", 1)[0])
        if parent is not None and group_kind(parent):
            parent[group_kind(parent)].append(nodes[path])
    root = nodes["0"]
    return root if group_kind(root) else {"all": [root]}


def _safe_key(path: str):
    try:
        return _path_key(path)
    except ValueError:
        return None


def _leaf_from_post(data, path: str) -> dict:
    key = data.get(f"{path}:p")
    if key not in CATALOG:
        return default_leaf()
    if data.get(f"{path}:prev") != key:
        return default_leaf(key)  # another predicate was chosen: start from its defaults
    predicate = CATALOG[key]
    op = data.get(f"{path}:op")
    if op not in predicate.ops:
        op = predicate.ops[0]
    a, b = data.get(f"{path}:a", ""), data.get(f"{path}:b", "")
    if predicate.kind in (NUMBER, MONEY):
        value: Any = [a, b] if op == "between" else a
    elif predicate.kind == BOOL:
        value = data.get(f"{path}:v", "1") == "1"
    elif predicate.kind == IDS:
        value = [part.strip() for part in a.split(",") if part.strip()]
    else:
        value = data.getlist(f"{path}:v") if hasattr(data, "getlist") else data.get(f"{path}:v", [])
    return {"p": key, "op": op, "value": value}


def apply_action(tree: dict, action: str) -> dict:
    """Add a row, add a nested group, or remove a node; unknown actions change nothing."""
    verb, _sep, path = (action or "").partition(":")
    if not path or _safe_key(path) is None:
        return tree
    if verb == "del" and path != "0":
        parent_path, index = path.rsplit(".", 1)
        parent = _node_at(tree, parent_path)
        if parent is not None and group_kind(parent):
            items = parent[group_kind(parent)]
            if int(index) < len(items):
                items.pop(int(index))
        return tree
    node = _node_at(tree, path)
    if node is None or not group_kind(node) or _count(tree) >= MAX_NODES:
        return tree
    if verb == "add-p":
        node[group_kind(node)].append(default_leaf())
    elif verb == "add-group":
        node[group_kind(node)].append({"any": [default_leaf("has_under_five"), default_leaf("has_pregnant")]})
    return tree


def _node_at(tree: dict, path: str) -> dict | None:
    node = tree
    for index in _path_key(path)[1:]:
        kind = group_kind(node)
        if kind is None or index >= len(node[kind]):
            return None
        node = node[kind][index]
    return node


def _count(node: dict) -> int:
    kind = group_kind(node)
    return 1 + (sum(_count(c) for c in node[kind]) if kind else 0)


def _predicate_options() -> list[dict]:
    groups: dict[str, list] = {}
    for predicate in CATALOG.values():
        groups.setdefault(str(predicate.group), []).append((predicate.key, str(predicate.label)))
    return [{"label": label, "options": options} for label, options in groups.items()]


def view_tree(tree: dict, errors: dict[str, list[str]] | None = None) -> dict:
    """What the templates draw: each node with its path, widgets and errors."""
    errors = errors or {}
    options = _predicate_options()

    def walk(node: dict, path: str, depth: int) -> dict:
        kind = group_kind(node)
        if kind:
            return {
                "group": True, "kind": kind, "path": path, "depth": depth, "root": path == "0",
                "children": [walk(c, f"{path}.{i}", depth + 1) for i, c in enumerate(node[kind])],
                "errors": errors.get(path, []),
                "kinds": [("all", _t("Semua syarat terpenuhi (DAN)")), ("any", _t("Salah satu terpenuhi (ATAU)")),
                          ("none", _t("Tidak satu pun terpenuhi (BUKAN)"))],
            }
        predicate = CATALOG.get(node.get("p")) or CATALOG["welfare_decile"]
        value = node.get("value")
        a = b = ""
        if predicate.kind in (NUMBER, MONEY):
            if isinstance(value, (list, tuple)):
                a, b = (value + ["", ""])[:2]
            else:
                a = value if value is not None else ""
        elif predicate.kind == IDS:
            a = ", ".join(str(v) for v in (value or []))
        chosen = {str(v) for v in value} if isinstance(value, (list, tuple)) else set()
        return {
            "group": False, "path": path, "depth": depth, "key": predicate.key, "label": str(predicate.label),
            "kind": predicate.kind, "op": node.get("op"), "a": a, "b": b,
            "between": node.get("op") == "between",
            "bool": bool(value) if predicate.kind == BOOL else None,
            "ops": [(op, str(OP_LABELS[op])) for op in predicate.ops],
            "choices": [(str(code), label, str(code) in chosen) for code, label in predicate.choices()]
            if predicate.kind == CHOICE else [],
            "note": str(predicate.note) if predicate.note else "",
            "options": options, "errors": errors.get(path, []),
        }

    return walk(tree, "0", 0)


def validate_tree(tree: dict) -> tuple[dict | None, dict[str, list[str]]]:
    """Validate the builder's tree; errors are keyed by the builder's paths."""
    errors: dict[str, list[str]] = {}

    def walk(node: dict, path: str, depth: int) -> None:
        kind = group_kind(node)
        if kind is None:
            _clean, problems = engine.validate_leaf(node)
            if problems:
                errors.setdefault(path, []).extend(problems)
            return
        if depth >= engine.MAX_DEPTH:
            errors.setdefault(path, []).append(str(engine.MSG_TOO_DEEP) % {"max": engine.MAX_DEPTH})
            return
        if not node[kind]:
            errors.setdefault(path, []).append(str(engine.MSG_EMPTY_GROUP))
        for i, child in enumerate(node[kind]):
            walk(child, f"{path}.{i}", depth + 1)

    walk(tree, "0", 0)
    if errors:
        return None, errors
    clean, more = engine.expression_validate(to_expression(tree))
    if more:  # limits on the whole rule (size) land on the root
        return None, {"0": [m for ms in more.values() for m in ms]}
    return clean, {}
