"""Languages and text: the catalogs and the language in use, dates, clean free text, icons."""
