"""The preamble of the benchmarks that need a database: a throwaway embedded (SQLite) database under a
temporary directory, migrated, never the one in DATABASE_URL. Import it first, before any Django import:

    import _embedded  # noqa: F401  (sets up Django on a fresh embedded database)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # the benchmarks borrow a few builders from tests/
os.environ.setdefault("TONGCHOU_VAR_DIR", tempfile.mkdtemp(prefix="tongchou-bench-"))
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("HTTPS", "0")
os.environ["DJANGO_SETTINGS_MODULE"] = "tongchou.config.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)
