"""Graph stage: model -> RDF, and RDF files in and out.

In: `parse.model.Document` (or RDF files). Out: an rdflib Graph following
docs/MODEL.md; serialised Turtle, N-Triples, JSON-LD, TriG, N-Quads.
May import: `rmpgraph.parse` and the shared helpers; never a later stage.

`pipeline` is the whole of read -> extract -> map in one call; `mapping` (with
`mapping_parts`) is the only place that adds a document's triples, with IRIs from
`iris`; `ontology` loads the shipped ontology and vocabularies once; `rdfio` reads
RDF safely (no network, no XML entities), `serialize` writes it deterministically.
"""
