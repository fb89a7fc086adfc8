"""Fictional inspections: the deterministic generator, the four sample facilities and the demo."""
