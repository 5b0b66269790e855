"""Parse stage: documents (PDF, DOCX, text) -> blocks -> canonical text -> model.

In: a path on disk. Out: `model.Document` (plain dataclasses, no RDF).
May import: the standard library, pdfplumber, python-docx and the shared top-level
helpers (`rmpgraph.errors`, `rmpgraph.paths`); never the graph, check, query,
store or present stages.

PDF and DOCX readers produce one block model (`blocks.py`); `linearize.py` renders
it as the canonical text every extractor reads, so extraction is written once.
"""
