"""What the binding costs per classify call: one short sentence, the raw C
call through ctypes (classify, read the top label, free) against
Model.classify (which also encodes, copies every field and builds the
dataclass), in the same process on the same model. Medians of interleaved
calls after a warm-up, so drift hits both alike.

    PYTHONPATH=bindings/python python bindings/python/bench_overhead.py [CALLS]
"""

import ctypes
import statistics
import sys
import time
from pathlib import Path

import vigil
from vigil import _native

MODEL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "models" / "bert-cls3"
TEXT = "Rash and fever after amoxicillin."
WARM_UP = 200


def main(calls: int) -> None:
    with vigil.Model(MODEL, intra_threads=1) as model:
        lib = _native.library()
        pointer = model._pointer
        texts = _native.str_array([TEXT.encode()])
        out = ctypes.c_void_p()

        def raw():
            lib.vigil_model_classify(pointer, texts, 1, ctypes.byref(out))
            lib.vigil_classification_top(out, 0)
            lib.vigil_classification_free(out)

        def wrapped():
            model.classify([TEXT])

        timings = {raw: [], wrapped: []}
        for i in range(WARM_UP + calls):
            for call, samples in timings.items():
                start = time.perf_counter_ns()
                call()
                samples.append(time.perf_counter_ns() - start)
        raw_us, wrapped_us = (statistics.median(s[WARM_UP:]) / 1000 for s in timings.values())
    print(f"classify overhead ({calls} calls, median, {TEXT!r}): raw ctypes C call {raw_us:.1f} us, "
          f"vigil.Model.classify {wrapped_us:.1f} us, binding adds {wrapped_us - raw_us:.1f} us "
          f"({100 * (wrapped_us - raw_us) / raw_us:.1f}%)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
