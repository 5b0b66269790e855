"""Issue 16's latency targets on a realistic 1,000-RMP store, against the query texts
of an earlier commit in the same run.

    python bench/bench_issue16.py --store S --corpus C --rev NOW_REV --rev OLD_REV
        [--products 6] [--also LABEL ...] [--repeat 5] [--out FILE]

The store is built once beforehand (`rmpgraph load --store S --jobs 2 --versions
C/versions.tsv C/rmp-*.txt` over `make_corpus.py 1000 C`); ATC and synthetic
MedDRA links are added in a graph of their own (`add_links`), so the ATC and
MedDRA questions are not empty. Every parameter comes from the store, never from a
query's `# example`: products with at least two versions whose latest RMP lists
the fewest, the most and quantiles between of the concerns, each with one of its
concern labels, measures, risk-factor words, linked (synthetic) PTs and its
previous version; the dates
are the latest version date in the store and five years after it.

Query texts: this checkout's (`now`) and those of each `--rev` (read with `git
show`; a query missing there, or whose header that tree could not read, is left
out). Each text runs scoped to each product (stored queries) and unscoped over the
whole corpus (all queries), in a child process (`benchlib.time_query`): one warm-up,
then `--repeat` runs; the cell is the median of the per-product p50s and the
largest p50. Answers of `now` and every revision are compared (sorted rows) where
both ran the same parameters.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import pyoxigraph as ox  # noqa: E402
from benchlib import in_child, machine, time_query  # noqa: E402

from rmpgraph.errors import RmpGraphError  # noqa: E402
from rmpgraph.queries.plans import corpus_plan  # noqa: E402
from rmpgraph.queries.stored import (  # noqa: E402
    StoredQuery,
    bind_for_engine,
    bind_params,
    load_queries,
    load_query,
)
from rmpgraph.store import storeshared  # noqa: E402
from rmpgraph.store.embedded import RmpStore  # noqa: E402

LINKS_GRAPH = "https://w3id.org/rmpgraph/graph/bench-links"
MEDDRA = "http://purl.bioontology.org/ontology/MEDDRA/"
RMP = "https://w3id.org/rmpgraph/ontology#"
SCOPE = ("product", "rmp", "version", "versions")
PREFIXES = ("PREFIX rmp: <https://w3id.org/rmpgraph/ontology#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")


def add_links(store_dir: Path, corpus: Path) -> int:
    """Links the generated corpus lacks, in their own graph (once): ATC as `link ema
    --atc` adds it (`rmp:atcCode` from the manifest's level-5 code, and atc.ttl),
    and a SYNTHETIC MedDRA: one made-up PT (code 9xxxxxxx, label the name) per
    distinct normalised concern name, `skos:closeMatch` from each concern lineage,
    so the MedDRA questions have answers to compute (no licensed MedDRA here)."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    store = ox.Store(str(store_dir))
    graph = ox.NamedNode(LINKS_GRAPH)
    try:
        if any(True for _ in store.quads_for_pattern(None, None, None, graph)):
            return 0
        codes = {f["product"].lower(): f["atc"] for f in manifest.values()}
        rows = store.query(PREFIXES + "SELECT DISTINCT ?p ?label WHERE { "
                           "?p rmp:hasRiskManagementPlan ?r ; rdfs:label ?label }",
                           use_default_graph_as_union=True)
        atc = "http://purl.bioontology.org/ontology/ATC/"
        quads = [ox.Quad(r["p"], ox.NamedNode(RMP + "atcCode"),
                         ox.NamedNode(atc + codes[r["label"].value.lower()]), graph)
                 for r in rows if r["label"].value.lower() in codes]
        lineages = store.query(PREFIXES + "SELECT DISTINCT ?lineage ?key WHERE { "
                               "?c prov:specializationOf ?lineage ; "
                               "rmp:normalisedName ?key }",
                               use_default_graph_as_union=True)
        pairs = sorted({(r["key"].value, r["lineage"].value) for r in lineages})
        pts = {k: ox.NamedNode(f"{MEDDRA}{90000000 + i}")
               for i, k in enumerate(sorted({k for k, _ in pairs}))}
        close = ox.NamedNode("http://www.w3.org/2004/02/skos/core#closeMatch")
        label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
        quads += [ox.Quad(ox.NamedNode(lin), close, pts[k], graph) for k, lin in pairs]
        for key, pt in pts.items():
            quads += [ox.Quad(pt, ox.NamedNode(RMP + "meddraLevel"), ox.Literal("PT"),
                              graph),
                      ox.Quad(pt, label, ox.Literal(key, language="en"), graph)]
        store.extend(quads)
        store.load(path=str(corpus / "atc.ttl"), format=ox.RdfFormat.TURTLE,
                   to_graph=graph)
        # the links change which concerns products share: recount, as a load would
        storeshared.refresh(store)
        store.flush()
        return len(quads)
    finally:
        del store


def _rows(store: RmpStore, text: str) -> list[dict[str, Any]]:
    out = store.query(PREFIXES + text)
    assert isinstance(out, list)
    return out


def pick(store_dir: Path, count: int, also: tuple[str, ...] = ()
         ) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Products (several versions, sizes spread) and their parameters, from the
    store; then the products labelled in `also` (`--also`: a product a quantile
    of sizes misses, such as one with rows for a given query), with or without an
    older version."""
    with RmpStore(store_dir, read_only=True) as store:
        sizes = _rows(store, """SELECT ?p ?label ?r ?older (COUNT(DISTINCT ?c) AS ?n)
            WHERE { ?p rmp:hasRiskManagementPlan ?r ; rdfs:label ?label .
                    FILTER NOT EXISTS { ?newer prov:wasRevisionOf ?r }
                    ?r prov:wasRevisionOf ?older ; rmp:hasSafetyConcern ?c }
            GROUP BY ?p ?label ?r ?older ORDER BY ?n ?label""")
        at = [round(i * (len(sizes) - 1) / (count - 1)) for i in range(count)]
        chosen = [sizes[i] for i in dict.fromkeys(at)]
        if also:
            every = _rows(store, """
                SELECT ?p ?label ?r ?older (COUNT(DISTINCT ?c) AS ?n)
                WHERE { ?p rmp:hasRiskManagementPlan ?r ; rdfs:label ?label .
                        FILTER NOT EXISTS { ?newer prov:wasRevisionOf ?r }
                        OPTIONAL { ?r prov:wasRevisionOf ?older }
                        ?r rmp:hasSafetyConcern ?c }
                GROUP BY ?p ?label ?r ?older ORDER BY ?label""")
            known = {str(row["label"]) for row in every}
            missing = [name for name in also if name not in known]
            if missing:
                raise SystemExit(f"--also: no product labelled {', '.join(missing)}")
            taken = {str(row["label"]) for row in chosen}
            chosen += [row for name in also for row in every
                       if str(row["label"]) == name and name not in taken]
        last = _rows(store, "SELECT (MAX(?d) AS ?d) WHERE { ?r rmp:versionDate ?d }")
        as_of = date.fromisoformat(str(last[0]["d"]))
        products = []
        for row in chosen:
            r = f"<{row['r']}>"
            concern = _rows(store, f"""SELECT ?label WHERE {{
                {r} rmp:hasSafetyConcern ?c .
                ?c rdfs:label ?label ; rmp:hasListing/rmp:position ?pos }}
                ORDER BY ?pos ?label LIMIT 1""")
            measure = _rows(store, f"""SELECT ?m WHERE {{ {r} rmp:hasMeasure ?m .
                ?m rmp:addressesConcern ?c }}
                ORDER BY DESC(EXISTS {{ ?m a rmp:AdditionalRiskMinimisationMeasure }})
                ?m LIMIT 1""")
            words = _rows(store, f"""SELECT ?text WHERE {{
                {r} rmp:hasSafetyConcern ?c . ?c rmp:hasRiskFactors/rmp:text ?text }}
                ORDER BY ?text LIMIT 1""")
            # the longest word of the first risk-factor text (a word it names)
            word = max(str(words[0]["text"]).strip(".").split(), key=len) \
                if words else "patients"
            card = "<https://w3id.org/rmpgraph/vocab/material-kind/patient-alert-card>"
            pt = _rows(store, f"""SELECT ?pt WHERE {{ {r} rmp:hasSafetyConcern ?c .
                ?c prov:specializationOf/skos:closeMatch ?pt .
                OPTIONAL {{ ?card rmp:addressesConcern ?c ; rmp:materialKind {card} }}
                }} ORDER BY DESC(BOUND(?card)) ?pt LIMIT 1""")
            products.append({
                "name": str(row["label"]), "concerns": int(row["n"]),
                "product": str(row["p"]), "rmp": str(row["r"]),
                "concern": str(concern[0]["label"]),
                "measure": str(measure[0]["m"]).rsplit("/measure/", 1)[-1],
                "risk_term": word,
                "older": str(row["older"]) if "older" in row else None,
                "meddra": str(pt[0]["pt"]) if pt else None})
    common = {"as_of": as_of.isoformat(), "from": as_of.isoformat(),
              "to": as_of.replace(year=as_of.year + 5).isoformat()}
    return products, common


def values_for(query: StoredQuery, product: dict[str, Any] | None,
               common: dict[str, str], first: dict[str, Any]) -> dict[str, str]:
    """Parameter values for one run: scoped to `product`, or unscoped (None) with
    the query's own required parameters taken from the first chosen product."""
    src = product or first
    by_name = {"as_of": common["as_of"], "from": common["from"], "to": common["to"],
               "concern": src["concern"], "measure": src["measure"],
               "older": src["older"]}
    names = {p.name for p in query.params}
    out = {k: v for k, v in by_name.items() if k in names and v is not None}
    if "term" in names:
        kind = next(p.type for p in query.params if p.name == "term")
        out["term"] = src["risk_term"] if kind == "string" else src["meddra"]
    if product is not None:
        out["product"] = product["product"]
    return out


def revision_queries(rev: str, workdir: Path) -> dict[str, StoredQuery]:
    """The stored queries of commit `rev` (its queries/ and queries/cohort/)."""
    where = workdir / f"queries-{rev.replace('^', '_').replace('~', '_')}"
    listing = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", rev, "queries"],
        cwd=REPO, check=True, capture_output=True, text=True).stdout
    for rel in listing.split():
        parts = Path(rel).parts
        if rel.endswith(".rq") and (len(parts) == 2 or parts[1] == "cohort"):
            target = where / Path(*parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=REPO,
                                              check=True, capture_output=True).stdout)
    out = {}
    for path in sorted(where.rglob("*.rq")):
        name = path.relative_to(where).with_suffix("").as_posix()
        try:
            out[name] = load_query(path, name=name)
        except RmpGraphError as exc:  # an old header this tree cannot read
            print(f"  {rev} {name}: not readable here ({exc})", flush=True)
    return out


def _answer(store_dir: Path, text: str, out: Any) -> None:
    with RmpStore(store_dir, read_only=True) as store:
        rows = store.query(text)
    assert isinstance(rows, list)
    out.put(sorted(json.dumps({k: str(v) for k, v in sorted(r.items())}) for r in rows))


def runnable(query: StoredQuery, values: dict[str, str]) -> str | None:
    """The text the store runs: the query's plan for the store when it has one and
    no product is given (`queries.plans`; shipped queries only, so never an
    earlier revision's)."""
    declared = {p.name for p in query.params}
    if not set(values) <= declared:
        return None
    text = corpus_plan(query.path, values) or query.text
    return bind_for_engine(text, bind_params(query, values))


def measure(store_dir: Path, sets: dict[str, dict[str, StoredQuery]],
            products: list[dict[str, Any]], common: dict[str, str], repeat: int,
            timeout: float, budget: float, corpus_for: tuple[str, ...] | None,
            ) -> dict[str, Any]:
    """{variant: {query: {"scoped": [result per product], "corpus": result}}}."""
    results: dict[str, Any] = {}
    for variant, queries in sets.items():
        res = results[variant] = {}
        for name, query in sorted(queries.items()):
            same = results.get("now", {}).get(name)
            if variant != "now" and same and sets["now"][name].text == query.text:
                res[name] = {**same, "same_text_as": "now"}  # not run twice
                continue
            entry = res[name] = {"scoped": [], "corpus": None, "texts": {}}
            whole = corpus_for is None or name.startswith(corpus_for)
            runs = [("corpus", None)] if whole else []
            names = {p.name for p in query.params}
            if not name.startswith("cohort/") and "product" in names:
                runs += [("scoped", p) for p in products]
            stopped = False
            for kind, product in runs:
                text = runnable(query, values_for(query, product, common, products[0]))
                if text is None or (stopped and kind == "scoped"):
                    continue
                r = time_query(store_dir, text, repeat, budget=budget, timeout=timeout)
                key = "corpus" if product is None else product["name"]
                entry["texts"][key] = text
                r["who"] = key
                if kind == "corpus":
                    entry["corpus"] = r
                else:
                    entry["scoped"].append(r)
                    # one product stopped: the others are not waited for
                    stopped = "timeout_s" in r
            print(f"  {variant:8s} {name:40s} {summary(entry)}", flush=True)
            if name == "concern-measures" and entry["texts"].get("corpus"):
                # the first 100 rows (`--limit 100`), as LIMIT in the query text
                limited = res[name + " LIMIT 100"] = {"scoped": [], "texts": {}}
                limited["corpus"] = time_query(
                    store_dir, entry["texts"]["corpus"] + "\nLIMIT 100", repeat,
                    budget=budget, timeout=timeout)
                print(f"  {variant:8s} {name + ' LIMIT 100':40s} {summary(limited)}",
                      flush=True)
    return results


def cell(r: dict[str, Any] | None) -> str:
    if r is None:
        return "–"
    if "timeout_s" in r:
        return f"> {r['timeout_s']:.0f} s"
    return f"{r['p50_ms']:.1f} ms ({r['rows']})"


def summary(entry: dict[str, Any]) -> str:
    scoped = [r for r in entry["scoped"] if "p50_ms" in r]
    part = ""
    if entry["scoped"]:
        if len(scoped) < len(entry["scoped"]):
            part = "scoped: some stopped; "
        elif scoped:
            worst = max(scoped, key=lambda r: r["p50_ms"])
            mid = statistics.median(r["p50_ms"] for r in scoped)
            part = (f"scoped median {mid:.1f} ms, max {worst['p50_ms']:.1f} ms "
                    f"({worst['who']}); ")
    return part + "corpus " + cell(entry["corpus"])


def compare(store_dir: Path, results: dict[str, Any], timeout: float) -> list[str]:
    """Queries whose answer differs between `now` and a revision, same parameters."""
    diffs = []
    now = results["now"]
    for variant, res in results.items():
        if variant == "now":
            continue
        for name, entry in res.items():
            if name not in now:
                continue
            for who, text in entry.get("texts", {}).items():
                other = now[name]["texts"].get(who)
                if other is None or other == text:
                    continue
                a = in_child(_answer, (store_dir, other), timeout)
                b = in_child(_answer, (store_dir, text), timeout)
                if a is None or b is None:
                    diffs.append(f"{name} ({who}): not compared (stopped)")
                elif a != b:
                    diffs.append(f"{name} ({who}): {len(a)} rows now, {len(b)} "
                                 f"at {variant}")
    return diffs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--rev", action="append", default=[],
                        help="an earlier commit whose query texts run too")
    parser.add_argument("--products", type=int, default=6)
    parser.add_argument("--also", action="append", default=[], metavar="LABEL",
                        help="a product to measure besides the chosen ones")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--only", help="comma-separated query names")
    parser.add_argument("--budget", type=float, default=150.0,
                        help="seconds per query and product: fewer runs (at least "
                             "3) when one run takes longer than budget/repeat")
    parser.add_argument("--corpus-for", help="comma-separated name prefixes: only "
                        "these run over the whole corpus (default: every query)")
    parser.add_argument("--out", type=Path, required=True, help="JSON results")
    args = parser.parse_args(argv)
    command = "python bench/bench_issue16.py " + shlex.join(
        sys.argv[1:] if argv is None else argv)
    print(f"link triples added: {add_links(args.store, args.corpus)}", flush=True)
    products, common = pick(args.store, args.products, tuple(args.also))
    for p in products:
        print(f"  {p}", flush=True)
    print(f"  {common}", flush=True)
    only = set(args.only.split(",")) if args.only else None
    with tempfile.TemporaryDirectory(prefix="q16-") as tmp:
        sets = {"now": load_queries()}
        for rev in args.rev:
            sets[rev] = revision_queries(rev, Path(tmp))
        if only:
            sets = {v: {n: q for n, q in s.items() if n in only}
                    for v, s in sets.items()}
        load = os.getloadavg()
        corpus_for = tuple(args.corpus_for.split(",")) if args.corpus_for else None
        results = measure(args.store, sets, products, common, args.repeat,
                          args.timeout, args.budget, corpus_for)
        load_after = os.getloadavg()
        diffs = compare(args.store, results, args.timeout)
    for d in diffs:
        print("  DIFFERENT ANSWER: " + d, flush=True)
    for res in results.values():
        for entry in res.values():
            entry.pop("texts", None)
    args.out.write_text(json.dumps({
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
        "command": command, "load_before": load, "load_after": load_after,
        "products": products, "common": common, "results": results,
        "different_answers": diffs}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
