"""Cases for ``rnn_scan``, the recurrent layers' scan over a sequence
(``wg.nn.functional.recurrent``): every cell, both directions, with and without the
recurrent bias, one step and several; and the LSTM with a projection ``w_hr``
(``proj_size``), whose output is flat (the hidden states, then the final cell state).

The sweep differentiates the fast NumPy forward pass by finite differences and checks
both of the primitive's derivative paths against it: the joint backward pass on raw
arrays (first-order reverse mode) and the generic one written with ``ns`` ops (forward
mode, higher orders).
"""

from __future__ import annotations

import numpy as np

from wengert.nn.functional.recurrent import CELLS

from ._common import F32, F32_STEPS, Raw, add_case, away0, dyadic, real

T, B, H = 3, 2, 2

for mode in ("LSTM", "GRU", "RNN_TANH"):
    cell = CELLS[mode]
    G = cell.gates * H
    for reverse in (False, True):
        for bias in (False, True):
            if bias and mode != "GRU" and reverse:
                continue  # (the bias path does not depend on the direction)
            label = f"{mode}-{'reverse' if reverse else 'forward'}" + ("-bias" if bias else "")
            add_case("rnn_scan", label, real((T, B, G), -1.5, 1.5), real((B, H)),
                     real((B, H)) if cell.has_c else Raw(None), real((G, H)),
                     real((G,)) if bias else Raw(None), Raw(None), params=(cell, reverse))
    add_case("rnn_scan", f"{mode}-one-step", real((1, B, G), -1.5, 1.5), real((B, H)),
             real((B, H)) if cell.has_c else Raw(None), real((G, H)), Raw(None), Raw(None),
             params=(cell, False))

# relu: pre-activations kept at least 0.2 away from its kink (|xp| >= 0.5, and the
# recurrent part is at most 2 * 0.1 * 1.5 in size).
for reverse in (False, True):
    add_case("rnn_scan", f"RNN_RELU-{'reverse' if reverse else 'forward'}",
             np.sign(away0((T, B, H))) * real((T, B, H), 0.5, 1.5), real((B, H), -0.5, 0.5),
             Raw(None), real((H, H), -0.1, 0.1), Raw(None), Raw(None),
             params=(CELLS["RNN_RELU"], reverse))

add_case("rnn_scan", "LSTM-float32", dyadic((T, B, 4 * H), F32, -1, 1), dyadic((B, H), F32, -1, 1),
         dyadic((B, H), F32, -1, 1), dyadic((4 * H, H), F32, -1, 1), Raw(None), Raw(None),
         params=(CELLS["LSTM"], False), **{**F32_STEPS, "tol": 3e-3})

# the projection h_t = (o_t * tanh(c_t)) @ w_hr.T: cells HC wide, hidden states P wide
HC, P = 3, 2
for reverse in (False, True):
    for bias in (False, True):
        label = f"LSTM-proj-{'reverse' if reverse else 'forward'}" + ("-bias" if bias else "")
        add_case("rnn_scan", label, real((T, B, 4 * HC), -1.5, 1.5), real((B, P)),
                 real((B, HC)), real((4 * HC, P)), real((4 * HC,)) if bias else Raw(None),
                 real((P, HC)), params=(CELLS["LSTM"], reverse))
add_case("rnn_scan", "LSTM-proj-one-step", real((1, B, 4 * HC), -1.5, 1.5), real((B, 1)),
         real((B, HC)), real((4 * HC, 1)), Raw(None), real((1, HC)), params=(CELLS["LSTM"], False))
