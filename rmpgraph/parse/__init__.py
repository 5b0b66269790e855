"""Parse stage: documents (PDF, DOCX, text) -> blocks -> canonical text -> model.

In: a path on disk. Out: `model.Document` (plain dataclasses, no RDF), with the
source lines each fact came from and an account of every line.
May import: the standard library, pdfplumber, python-docx and the shared helpers
(`rmpgraph.errors`, `rmpgraph.paths`); never a later stage.

`read` decodes text, or has a reader turn a PDF (`pdf_reader`, `pdf_layout`,
`pdf_tables`, `pdf_header_tables`) or a DOCX (`docx_reader`) into blocks
(`blocks`) that `linearize` renders as canonical text, so extraction is written
once: `segment` finds the
template's sections, `extract` (with `extract_concerns`, `rowcontent`, `cellflow`,
`listcols`, `studies`, `milestones`, `planlines`, `tables`, `reconcile`, `assemble`,
`extract_product`, `textutil`) fills the model; `oldtemplate*` reads the GVP V
Rev. 1 layout into the same model. `keys` makes the model's readable keys.
"""
