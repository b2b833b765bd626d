"""Microsoft Project XML (MSPDI): pure parse and render, lossless through `extras`."""

from steerco.interop.mspdi.facts import count_facts, fact_retention, lost_facts
from steerco.interop.mspdi.reader import read_mspdi
from steerco.interop.mspdi.safe import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH
from steerco.interop.mspdi.writer import write_mspdi, write_mspdi_parts

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "count_facts",
    "fact_retention",
    "lost_facts",
    "read_mspdi",
    "write_mspdi",
    "write_mspdi_parts",
]
