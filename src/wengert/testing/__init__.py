"""Test-case tables for wengert's operators, shared by the test suite and ``wengert check``.

``wengert.testing.cases`` holds, per area of the library, concrete inputs for
every primitive (``SPECS``: applied with ``bind``, checked against finite
differences of the primitive's NumPy implementation) and for every public
function (``FN_CASES``: checked with ``gradcheck``/``gradgradcheck``).
``wengert.testing.check`` runs them outside pytest.
"""
