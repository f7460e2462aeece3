"""wengert.tools.recording: the tape as a Wengert list, values as they were computed."""

import threading

import wengert as wg
from wengert.tools import recording


def test_values_constants_and_intermediate_inputs():
    x = wg.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3  # computed before recording: an input of the traced part
    with recording() as tape:
        y = h + 1
        y.add_(10)
        y.sum()
    assert tape.wengert_list([h]) == ["v1 = v0 + 1", "v2 = v1 + 10", "v3 = sum(v2, None, False)"]
    trace = tape.evaluation_trace([h])
    assert [line.name for line in trace] == ["v0", "v1", "v2", "v3"]
    assert trace[1].value.tolist() == [4.0, 7.0]  # not changed by the later add_
    assert trace[3].value.item() == 31.0


def test_other_threads_are_not_recorded():
    x = wg.tensor([1.0], requires_grad=True)

    def other():
        for _ in range(50):
            x * 2

    with recording() as tape:
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        wg.sin(x)
    assert tape.wengert_list([x]) == ["v1 = sin(v0)"]
