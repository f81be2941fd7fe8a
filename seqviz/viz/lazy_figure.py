"""Figures shown from the plain dict their builder made: `Figure` validates with plotly only when something more
than to_dict() is asked of it, and gives the same JSON as the validated figure (style.make_figure builds them;
the test suite checks every one it shows)."""

from __future__ import annotations

import base64
import copy
import json
import os
import threading

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.utils import is_skipped_key, plotlyjsShortTypes

CHECK_FIGURES = "SEQVIZ_CHECK_FIGURES"  # set (the test suite sets it): every figure shown is compared with
# the figure plotly's validation makes of the same dict, once per shape of dict and process (_checked_shapes)


_VALIDATING = threading.Lock()


class Figure(go.Figure):
    """A go.Figure that keeps the plain dict its builder made and runs plotly's validation only when asked.

    Showing a figure needs nothing but to_dict() (Streamlit turns that into JSON), so a figure on a page never
    goes through plotly's validation, which builds an object for every property (about half of a page's rerun
    on the server). Reading .data or .layout, updating the figure or exporting it validates it first, once:
    for those it is the figure go.Figure(spec) would be. make_figure writes titles and unset values in plotly's
    full form, and builders nest dicts rather than use magic underscores, so that both give the same JSON; with
    SEQVIZ_CHECK_FIGURES set, to_dict() checks that they do."""

    def __init__(self, spec: dict):  # go.Figure.__init__ runs when something more than to_dict() is asked
        self.__dict__["_spec"] = spec

    def __getattr__(self, name: str):  # only for names not found: the validated figure's attributes
        with _VALIDATING:  # a figure shared by sessions is validated once, by one of them; the others wait
            if "_spec" in self.__dict__:
                # from a copy: plotly pops each trace's "type" from the dict it is given and puts it back, and
                # other threads may be showing this one
                validated = go.Figure(copy.deepcopy(self.__dict__["_spec"]))
                # in one step, so that another thread sees the plain dict or the whole validated figure, never
                # half of it (its parts name `validated` as their parent: it shares this very __dict__)
                object.__setattr__(self, "__dict__", validated.__dict__)
        return object.__getattribute__(self, name)

    def to_dict(self) -> dict:
        spec = self.__dict__.get("_spec")
        if spec is None:
            return super().to_dict()
        out = _shown(spec)
        if os.environ.get(CHECK_FIGURES) and (shape := _shape(spec)) not in _checked_shapes:
            validated = go.Figure(copy.deepcopy(spec)).to_dict()  # a copy: see __getattr__
            if _canonical_json(out) != _canonical_json(validated):
                difference = _first_difference(out, validated)
                raise AssertionError(f"a figure's dict is not what plotly's validation makes of it: {difference}")
            _checked_shapes.add(shape)
        return out

    def __reduce__(self):  # pickled (st.cache_data) or deep-copied: as a plain dict again
        spec = self.__dict__.get("_spec")
        return (Figure, (spec if spec is not None else go.Figure.to_dict(self),))


_checked_shapes: set = set()  # validation writes a dict's full form from its keys and kinds of value, not its values


def _shape(value):
    """What plotly's validation reads of a dict to write its full form: the keys, and the kind of every value
    (a numpy array's dtype and rank; a list's kinds of item), not the values themselves."""
    if isinstance(value, dict):
        return tuple(sorted((name, _shape(item)) for name, item in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, frozenset(_shape(item) for item in value))
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.ndim)
    return type(value).__name__


LAYOUT_ARRAYS = ("annotations", "shapes", "images")  # plotly leaves these out when empty


def full_form(value):
    """A copy of nested dicts (and lists of them) in plotly's full form, as validation leaves them: None values
    and empty layout arrays left out, a title given as a string written {"text": title}."""
    if isinstance(value, dict):
        return {
            name: {"text": item} if name == "title" and isinstance(item, str) else full_form(item)
            for name, item in value.items()
            if item is not None and not (name in LAYOUT_ARRAYS and not item)
        }
    if isinstance(value, list | tuple) and any(isinstance(item, dict) for item in value):
        return [full_form(item) for item in value]
    return value


def typed_array(array: np.ndarray):
    """A numpy array as a plotly.js typed array ({"dtype", "bdata", "shape"}), as plotly's own to_dict() writes
    it (_plotly_utils.utils.to_typed_array_spec, whose checks for data frame libraries cost more than the
    encoding): 64-bit integers in the smallest type that holds them; other dtypes left as they are."""
    if array.size == 0:
        return array
    if array.dtype.kind in "iu" and array.dtype.itemsize == 8:
        low, high = int(array.min()), int(array.max())
        for dtype in (np.int8, np.int16, np.int32) if array.dtype.kind == "i" else (np.uint8, np.uint16, np.uint32):
            if np.iinfo(dtype).min <= low and high <= np.iinfo(dtype).max:
                array = array.astype(dtype)
                break
    short = plotlyjsShortTypes.get(str(array.dtype))
    if short is None:
        return array
    spec = {"dtype": short, "bdata": base64.b64encode(np.ascontiguousarray(array)).decode("ascii")}
    if array.ndim > 1:
        spec["shape"] = str(array.shape)[1:-1]
    return spec


def _shown(value, key: str | None = None):
    """A copy of a figure's nested dicts and lists as go.Figure.to_dict() gives them: a numpy array that is a
    property's value (`key`; not one of the keys plotly skips) as a typed array."""
    if isinstance(value, dict):
        return {name: _shown(item, name) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [_shown(item) for item in value]
    if isinstance(value, np.ndarray) and key is not None and not is_skipped_key(key):
        return typed_array(value)
    return value


def _canonical_json(spec) -> str:
    return json.dumps(
        spec, sort_keys=True, default=lambda value: value.tolist() if hasattr(value, "tolist") else str(value)
    )


def _first_difference(a, b, path: str = "") -> str:
    """Where two figure dicts first differ, for the check's message."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                where = "only validated" if key not in a else "only ours"
                return f"{path}/{key}: {where} ({b.get(key, a.get(key))!r:.80})"
            if _canonical_json(a[key]) != _canonical_json(b[key]):
                return _first_difference(a[key], b[key], f"{path}/{key}")
    if isinstance(a, list | tuple) and isinstance(b, list | tuple) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if _canonical_json(x) != _canonical_json(y):
                return _first_difference(x, y, f"{path}/{i}")
    return f"{path}: ours {a!r:.80}, validated {b!r:.80}"
