"""Detectors: each takes the (markup-blanked) text and returns the spans of one kind of PII."""
