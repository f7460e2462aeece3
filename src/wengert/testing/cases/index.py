"""Cases for indexing primitives."""

from __future__ import annotations

import numpy as np

from ._common import (
    add_case,
    fmt,
    real,
)

_M34 = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])
_R3 = np.array([True, False, True])
GETITEM = [
    ((3, 4), 1, "1"), ((3, 4), -1, "-1"), ((3, 4), slice(0, 2), "0:2"),
    ((3, 4), (slice(None), 1), ":,1"), ((3, 4), (slice(None, None, 2), slice(None, None, -1)), "::2,::-1"),
    ((3, 4), None, "None"), ((3, 4), (Ellipsis, 1), "...,1"), ((3, 4), Ellipsis, "..."),
    ((3, 4), (1, 2), "1,2"), ((3, 4), (None, slice(1, 3), None), "None,1:3,None"),
    ((3, 4), np.array([0, 2, 0, 2, 1]), "arr-repeat"),
    ((3, 4), (slice(None), np.array([3, 3, 0])), ":,arr-repeat"),
    ((3, 4), (np.array([1, 0, 1]), np.array([2, 2, 0])), "arr,arr-repeat"),
    ((3, 4), (np.array([[0, 0], [2, 1]]),), "arr2d-repeat"),
    ((3, 4), (np.array([[1], [2]]), np.array([[0, 0, 3]])), "arr-broadcast"),
    ((3, 4), _M34, "bool"), ((3, 4), _R3, "bool-rows"), ((3, 4), (_R3, slice(1, 3)), "bool,slice"),
    ((3, 4), (1, np.array([0, 0, 3])), "int,arr-repeat"),
    ((2, 3, 4), (None, Ellipsis, np.array([1, 1])), "None,...,arr"),
    ((2, 3, 4), (slice(None), np.array([0, 2, 2]), 1), ":,arr,int"),
    ((2, 3, 4), (np.array([1, 0]), slice(None), np.array([3, 3])), "arr,:,arr"),
    ((2, 3, 4), (Ellipsis, _R3, slice(None)), "...,bool,:"),
    ((2, 3, 4), (1, slice(None), None, -2), "int,:,None,int"),
]
for shape, index, lab in GETITEM:
    add_case("getitem", f"{fmt(shape)}[{lab}]", real(shape), params=(index,))


def _sub_shape(shape, index):
    return np.empty(shape, dtype=bool)[index].shape


for shape, index, lab in [
    ((3, 4), np.array([0, 2, 0]), "arr-repeat"), ((3, 4), (slice(None), np.array([1, 1, 3])), ":,arr-repeat"),
    ((3, 4), slice(1, 3), "1:3"), ((3, 4), _M34, "bool"), ((3, 4), 1, "1"),
    ((2, 3), (Ellipsis, None), "...,None"), ((2, 3, 4), (np.array([1, 0, 1]), slice(None), np.array([2, 2, 2])), "arr,:,arr-repeat"),
]:
    add_case("index_scatter", f"{fmt(shape)}[{lab}]", real(_sub_shape(shape, index)),
             params=(index, shape))

INDEX_PUT = [
    ((3, 4), 1, (4,), "1<-(4,)"), ((3, 4), 1, (), "1<-()"), ((3, 4), slice(0, 2), (1, 4), "0:2<-(1,4)"),
    ((3, 4), (slice(None), np.array([0, 2])), (3, 2), ":,arr<-(3,2)"),
    ((3, 4), _M34, (int(_M34.sum()),), "bool<-(7,)"), ((3, 4), _M34, (), "bool<-()"),
    ((3, 4), Ellipsis, (4,), "...<-(4,)"), ((3, 4), Ellipsis, (), "...<-()"),
    ((3, 4), np.array([2, 0]), (2, 4), "arr<-(2,4)"), ((3, 4), (1, 2), (), "1,2<-()"),
    ((3, 4), np.array([0, 2, 0]), (3, 4), "arr-repeat<-(3,4)"),
]
for shape, index, vshape, lab in INDEX_PUT:
    add_case("index_put", f"{fmt(shape)}[{lab}]", real(shape), real(vshape),
             params=(index, _sub_shape(shape, index)))
