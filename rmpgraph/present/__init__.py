"""Present stage: what people read — HTML report, ontology docs, diagrams, diffs.

In: graphs and query results. Out: a self-contained HTML report (`report`,
`report_data`, `timeline`, `diagram`), documentation of the ontology, shapes and
queries (`docs`), and the differences between two RMP versions (`diff`,
`diff_render`); templates in `templates/`.
May import: every stage below it (store, queries, link, check, graph, parse).
"""
