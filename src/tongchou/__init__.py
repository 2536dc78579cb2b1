"""统筹 Tongchou — the Changji digital-government project portfolio system."""

__version__ = "0.1.0"
