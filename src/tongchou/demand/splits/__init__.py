"""Split (Art. 8, 16) and overlap (Art. 3) detection — pure Python, no Django.

`detect(records)` gives the output lines of `tongchou splits`; `SplitIndex` is built once over a corpus
and answers `query(...)`; `find_similar(candidate, corpus)` warns about one need as it is typed.
"""

from .api import find_similar
from .engine import Thresholds, detect
from .index import Match, SplitIndex
from .records import ProjectRecord, RecordError, parse_record

__all__ = [
    "Match",
    "ProjectRecord",
    "RecordError",
    "SplitIndex",
    "Thresholds",
    "detect",
    "find_similar",
    "parse_record",
]
