"""The clinic's day: its clock, the list columns of a sent summary, the report's counts."""
