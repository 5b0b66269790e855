"""A stored query's rows one product at a time, for `--limit` and `--offset`.

Why: a query over the whole corpus must compute every row before ORDER BY can give
the first one, so the first hundred rows of concern-measures cost as much as all
48,000 (seconds on 1,000 RMPs). A query whose header says `pages: product` sorts
by the product's label first (`?product`) and takes the `product` scope parameter;
its rows are then the rows of each product in label order, and the first hundred
come from the first few products' scoped queries (milliseconds each).

That equality holds only when every product has one label and no two products
share one (otherwise their rows interleave under ORDER BY), so `pages` gives None
then and the caller runs the whole query. `tests/test_paging.py` checks, for every
query that declares it, that the pages concatenated are the whole answer.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from rdflib import URIRef

from rmpgraph.paths import QUERIES_DIR
from rmpgraph.queries.sparqltext import IRI_CHARS, bind_for_engine

__all__ = ["LABELS_QUERY", "PAGE_KINDS", "pages", "product_order"]

#: the values a header's `pages` key takes (the scope parameter pages are cut by)
PAGE_KINDS = ("product",)
LABELS_QUERY = QUERIES_DIR / "scope" / "labels.rq"
#: the scoped queries run before the pace is judged, and the most the page may
#: need at that pace: one scoped query costs about what the whole query costs
#: per product (concern-measures on 1,000 RMPs: 17 ms and 10 s / 577 products)
PROBE = 16
MAX_PAGES = 64
_PLACEHOLDER = URIRef("urn:x-rmpgraph:page-product")
_IRI_CHARS = re.compile(IRI_CHARS)

#: runs bound SPARQL text and gives its solutions as {variable: term} mappings
Select = Callable[[str], Iterable[Mapping[str, Any]]]


def product_order(rows: Iterable[Mapping[str, Any]]) -> list[URIRef] | None:
    """The products of `labels.rq`'s rows in label order; None when a product has
    two labels or two products one label."""
    order: list[URIRef] = []
    order_seen: set[URIRef] = set()
    labels: set[str] = set()
    for row in rows:
        product, label = URIRef(str(row["product"])), str(row["label"])
        if label in labels or product in order_seen:
            return None
        labels.add(label)
        order_seen.add(product)
        order.append(product)
    return order


def pages(select: Select, text: str, need: int) -> Iterator[Mapping[str, Any]] | None:
    """The rows of `text` (runnable, `?_product` unbound), product by product, for
    a page ending at row `need` (offset + limit): lazily, so a consumer that stops
    early runs no further query. None when the products cannot be paged
    (`product_order`).

    The product is bound once, to a placeholder IRI (`bind_for_engine`: parsed and
    checked), and each page swaps that one IRI for the product's: re-parsing a
    large query per product would cost more than running it."""
    if _PLACEHOLDER.n3() in text:
        return None
    template = bind_for_engine(text, {"product": _PLACEHOLDER})
    order = product_order(select(LABELS_QUERY.read_text(encoding="utf-8")))
    if order is None:
        return None
    return _rows(select, text, template, order, need)


def _rows(select: Select, text: str, template: str, order: list[URIRef],
          need: int) -> Iterator[Mapping[str, Any]]:
    """Scoped queries while they fill the page at a fair pace; else the whole
    query, from the row the pages reached. A query with few rows per product
    (alert-card-by-meddra: none on most) would otherwise run one scoped query
    per product of the store, 1.2 s where the whole query takes 22 ms."""
    done = 0
    for count, product in enumerate(order, 1):
        for row in select(template.replace(_PLACEHOLDER.n3(), _iri(product))):
            done += 1
            yield row
        if count >= PROBE and count * need > MAX_PAGES * done:
            # at this pace the page needs more than MAX_PAGES products: the
            # whole query's rows after those already given are the rest
            yield from itertools.islice(select(text), done, None)
            return


def _iri(product: URIRef) -> str:
    """The product as an IRI token that cannot end the token early or change the
    query around it (the store's IRIs always pass)."""
    if not _IRI_CHARS.fullmatch(str(product)):
        raise ValueError(f"not an IRI to bind: {product!r}")
    return product.n3()
