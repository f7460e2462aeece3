"""``wg.utils``: data loading (``wg.utils.data``)."""

from . import data

__all__ = ["data"]
