"""``wg.save`` and ``wg.load``: tensors, state dicts and optimizer state in safetensors.

Arrays go into a safetensors file (PyPI ``safetensors``, its NumPy API); the
structure around them (dicts, lists, tuples, numbers, strings, None) goes
into the file's metadata as JSON. Nothing is pickled, so loading a file
cannot run code. The file is written to a temporary name and renamed, so a
crash in the middle of ``save`` leaves the previous checkpoint intact.

>>> import tempfile, os
>>> import wengert as wg
>>> path = os.path.join(tempfile.mkdtemp(), "ckpt.safetensors")
>>> wg.save({"step": 3, "w": wg.tensor([1.0, 2.0]), "betas": (0.9, 0.999)}, path)
>>> state = wg.load(path)
>>> state["step"], state["w"], state["betas"]
(3, tensor([1., 2.]), (0.9, 0.999))
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np

from ._tensor import TENSOR_TYPES, Tensor

__all__ = ["load", "save"]

_FORMAT = "wengert.save/1"  # the metadata key; its value is the JSON structure


def _safetensors():
    try:
        import safetensors.numpy
    except ImportError:
        raise ImportError("wg.save and wg.load need the safetensors package: pip install "
                          "safetensors (or pip install 'wengert[io]')") from None
    return safetensors


def save(obj, f: str | os.PathLike) -> None:
    """Write ``obj`` (a tensor, array, number, string, None, or dicts/lists/tuples of
    them, e.g. a ``state_dict``) to the file ``f``."""
    st = _safetensors()
    arrays: dict[str, np.ndarray] = {}
    structure = _pack(obj, arrays, "obj")
    blob = st.numpy.save(arrays, metadata={_FORMAT: json.dumps(structure)})
    path = Path(f)
    fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".",
                               prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load(f: str | os.PathLike, map_location=None, weights_only: bool = True):
    """Read what ``save`` wrote. Tensors come back as (leaf) tensors.

    ``map_location`` must name the CPU if given; ``weights_only`` is accepted for
    PyTorch compatibility and always true (nothing but data is ever loaded).
    """
    st = _safetensors()
    path = Path(f)
    if map_location is not None and str(map_location) != "cpu":
        raise ValueError(f"wg.load: map_location must be 'cpu', got {map_location!r}")
    try:
        with st.safe_open(str(path), framework="np") as reader:
            metadata = reader.metadata() or {}
            arrays = {key: reader.get_tensor(key) for key in reader.keys()}  # noqa: SIM118
    except FileNotFoundError:
        raise
    except Exception as e:  # safetensors raises its own error types for a bad header
        raise ValueError(f"wg.load: {path} is not a readable safetensors file (truncated, "
                         f"corrupted or another format): {e}") from None
    if _FORMAT not in metadata:
        raise ValueError(f"wg.load: {path} is a safetensors file but was not written by "
                         f"wg.save (no {_FORMAT!r} metadata); read it with "
                         "safetensors.numpy.load_file")
    try:
        return _unpack(json.loads(metadata[_FORMAT]), arrays)
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"wg.load: {path} has inconsistent metadata: {e}") from None


def _pack(obj, arrays: dict, key: str):
    """``obj`` as JSON-able structure; arrays are moved into ``arrays`` under fresh keys."""
    if type(obj) in TENSOR_TYPES or isinstance(obj, np.ndarray):
        data = obj._data if type(obj) in TENSOR_TYPES else obj
        arrays[key] = np.ascontiguousarray(data)
        # the shape travels too: safetensors reads a 0-d array back as shape (1,)
        return {"tensor" if type(obj) in TENSOR_TYPES else "array": [key, list(data.shape)]}
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, float, np.integer, np.floating)):
        return obj.item() if isinstance(obj, np.generic) else obj
    if isinstance(obj, tuple):
        return {"tuple": [_pack(v, arrays, f"{key}.{i}") for i, v in enumerate(obj)]}
    if isinstance(obj, list):
        return [_pack(v, arrays, f"{key}.{i}") for i, v in enumerate(obj)]
    if isinstance(obj, dict):
        items = []
        for i, (k, v) in enumerate(obj.items()):
            if not isinstance(k, (str, int, float, bool)) and k is not None:
                raise TypeError(f"wg.save: dict keys must be str, int, float, bool or None, "
                                f"got {type(k).__name__} at {key}")
            items.append([k, _pack(v, arrays, f"{key}.{i}")])
        return {"dict": items}
    raise TypeError(f"wg.save: cannot save a {type(obj).__name__} (at {key}); save tensors, "
                    "arrays, numbers, strings, None and dicts/lists/tuples of them — e.g. "
                    "model.state_dict(), not the model")


def _unpack(structure, arrays: dict):
    if isinstance(structure, list):
        return [_unpack(v, arrays) for v in structure]
    if not isinstance(structure, dict):
        return structure
    (kind, value), = structure.items()
    if kind in ("tensor", "array"):
        key, shape = value
        array = arrays[key].reshape(shape)
        return Tensor(array) if kind == "tensor" else array
    if kind == "tuple":
        return tuple(_unpack(v, arrays) for v in value)
    if kind == "dict":
        return {k: _unpack(v, arrays) for k, v in value}
    raise ValueError(f"unknown entry kind {kind!r}")
