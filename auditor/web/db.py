"""The web app's database: `auditor.db`, kept importable here for the web modules.

It moved out of the web package so the facility registry (auditor/registry.py), which the command
line uses too, can open the same SQLite file without importing FastAPI.
"""

from auditor.db import SCHEMA, SCHEMA_VERSION, Database, now

__all__ = ["SCHEMA", "SCHEMA_VERSION", "Database", "now"]
