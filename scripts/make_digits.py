"""Build src/wengert/utils/data/digits.npz, the dataset the demo trains on (run once).

Source: the UCI "Optical Recognition of Handwritten Digits" data (E. Alpaydin,
C. Kaynak, 1998; CC BY 4.0), as scikit-learn ships it for ``load_digits``:
``sklearn/datasets/data/digits.csv.gz``, 1,797 rows of 64 pixels (0..16)
and a label. This script reads that file from an installed scikit-learn or
from a scikit-learn wheel, and writes images (uint8, 1797x8x8) and targets
(uint8) to a compressed .npz. scikit-learn is not needed afterwards.

    python scripts/make_digits.py                       # from an installed scikit-learn
    python scripts/make_digits.py scikit_learn-*.whl    # from a downloaded wheel
"""

from __future__ import annotations

import gzip
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

MEMBER = "sklearn/datasets/data/digits.csv.gz"
OUT = Path(__file__).resolve().parents[1] / "src/wengert/utils/data/digits.npz"


def read_csv_gz(source: str | None) -> bytes:
    if source is None:
        import sklearn

        return (Path(sklearn.__file__).parent / "datasets/data/digits.csv.gz").read_bytes()
    with zipfile.ZipFile(source) as wheel:
        return wheel.read(MEMBER)


def main(argv: list[str]) -> None:
    raw = np.loadtxt(io.BytesIO(gzip.decompress(read_csv_gz(argv[0] if argv else None))),
                     delimiter=",", dtype=np.int64)
    images, targets = raw[:, :64].reshape(-1, 8, 8), raw[:, 64]
    assert images.shape == (1797, 8, 8) and images.max() == 16 and set(targets) == set(range(10))
    np.savez_compressed(OUT, images=images.astype(np.uint8), targets=targets.astype(np.uint8))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {len(targets)} images, "
          f"counts per digit {np.bincount(targets).tolist()}")


if __name__ == "__main__":
    main(sys.argv[1:])
