"""Check stage: inference and SHACL validation, and their reports.

In: an rdflib Graph. Out: the entailments the shapes need (`infer`) and a
validation report with findings traced to source lines (`validate`), rendered as
text, JSON or Turtle (`validate_render`).
May import: `rmpgraph.graph`, `rmpgraph.parse` and the shared helpers.
"""
