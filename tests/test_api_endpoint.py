"""`rmpgraph.query` against a real SPARQL endpoint (a local `oxigraph serve`, as in
test_endpoint.py): the same rows and the same DataFrame as from the document, by
URL and by a configured `Endpoint`, with parameters bound and labels looked up
remotely."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_endpoint import oxigraph_server  # noqa: F401 - the fixture

import rmpgraph
from rmpgraph.store.endpoint import Endpoint

LEMTRADA = Path(__file__).resolve().parent.parent / "data" / "rmp" / "lemtrada.txt"


@pytest.mark.server
def test_query_an_endpoint_like_a_document(oxigraph_server: str) -> None:  # noqa: F811
    doc = rmpgraph.build(LEMTRADA)
    Endpoint(oxigraph_server).put_graph(None, doc.serialize("nt").encode("utf-8"))
    local = rmpgraph.query("upcoming-milestones", doc, {"from": "1900-01-01"})
    remote = rmpgraph.query("upcoming-milestones", oxigraph_server,
                            {"from": "1900-01-01"})
    assert len(local) > 0 and remote.rows == local.rows
    held = rmpgraph.query("upcoming-milestones", Endpoint(oxigraph_server),
                          {"from": "1900-01-01"})
    assert held.rows == local.rows
    # labels come from the endpoint's data, as from the document's
    df_local, df_remote = local.to_dataframe(), remote.to_dataframe()
    assert list(df_remote.columns) == list(df_local.columns)
    assert df_remote["study"].tolist() == df_local["study"].tolist()
    q = "SELECT ?c WHERE { ?c a rmp:SafetyConcern }"
    assert len(rmpgraph.query(q, oxigraph_server, limit=5)) == 5
