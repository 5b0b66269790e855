"""Store stage: many RMPs in an embedded Oxigraph store, or a SPARQL endpoint.

In: documents or RDF files. Out: one named graph per RMP version (`embedded`,
written by `storeload` from documents prepared in worker processes by `storedocs`),
checked (`storecheck`, `storefiles`, `storedisk`), versions of a product linked
(`storeversions`), queried in a memory-limited child (`storeguard`); the same
queries against any SPARQL 1.1 endpoint (`endpoint`, what to send: `storepush`);
`sources` gives the CLI one interface to files, a store or an endpoint.
May import: `rmpgraph.queries` and every stage below it, and shared helpers.
"""
