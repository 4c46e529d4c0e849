"""Importing consultation summary reports.

extract.py turns a PDF or plain-text file into text, parser.py finds the numbered paragraphs and
the sections they sit in, services.py writes the recommendations and good practices in one
transaction, and admin.py is the staff screen that previews a report before it is imported.
"""
