"""The settings, read from one table, and the instance folder's files."""
