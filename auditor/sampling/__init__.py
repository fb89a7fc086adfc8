"""File reviews by sample (issue 18, item 5): how many records to review, which ones, and what the
reviewed ones say about the whole population. docs/sampling.md states the method and its sources."""
