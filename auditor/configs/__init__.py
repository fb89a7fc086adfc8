"""Configuration files an administrator gives an audit, read and checked into the engine's models:
tailoring (thresholds), waivers, previous results. The engine itself reads no file."""
