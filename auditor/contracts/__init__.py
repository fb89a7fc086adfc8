"""The contracts: the plain data every room exchanges, in one place, with no I/O of their own.

inspection.py  Inspection: the facility, its typed sheets, where every cell came from
problems.py    Problems: what is wrong with an input, one per cell (and the builders of that table)
results.py     Results: the verdict, requirement by requirement, and its JSON form (schema_version)
roster.py      Roster: ICE's facility list as an importer reads it

Importers produce Inspections (never Results); the engine turns an Inspection into Results; reports
read Results and the Roster only.
"""
