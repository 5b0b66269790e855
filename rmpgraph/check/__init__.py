"""Check stage: inference and SHACL validation, and their reports.

In: an rdflib Graph. Out: the entailments the shapes need (`infer`) and a
validation report (`validate`) whose findings name product, file, source lines and
GVP rule (`findings`), rendered as human text, JSON, JSON-LD or Turtle
(`validate_render`); one shapes+ontology+vocabulary file for plain pySHACL (`export`).
May import: `rmpgraph.graph`, `rmpgraph.parse` and the shared helpers.
"""
