"""Loading a user's MedDRA ASCII distribution into plain dictionaries.

MedDRA is licensed (ICH/MSSO), so rmpgraph never ships it: users point at their own
`MedAscii` folder. A full release has ~80,000 LLTs; building RDF triples for all of
them is slow and rarely needed, so the loader keeps code -> name/parent dictionaries
(fast to build, small) and `meddra_rdf.to_graph` emits SKOS only for the concepts a
graph actually uses (plus their ancestors). Layouts: ../shared/REFERENCE.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rmpgraph.errors import InputError, UsageError

__all__ = ["LEVELS", "Meddra", "load_meddra", "find_distribution"]

LEVELS = ("SOC", "HLGT", "HLT", "PT", "LLT")

# file -> minimum number of `$`-separated fields a record must have (before the
# trailing empty field). Extra fields are tolerated: MSSO has added columns before.
_REQUIRED = {
    "soc.asc": 2,
    "hlgt.asc": 2,
    "hlt.asc": 2,
    "pt.asc": 4,
    "llt.asc": 10,
    "soc_hlgt.asc": 2,
    "hlgt_hlt.asc": 2,
    "hlt_pt.asc": 2,
    "smq_list.asc": 3,  # optional: smq_code$smq_name$smq_level$...
}
_RELEASE_FILES = ("meddra_release.asc", "release.asc")


@dataclass
class Meddra:
    """One MedDRA release as dictionaries keyed by code (codes kept as strings)."""

    version: str
    language: str | None
    path: str
    names: dict[str, str] = field(default_factory=dict)
    level: dict[str, str] = field(default_factory=dict)  # SOC | HLGT | HLT | PT | LLT
    llt_pt: dict[str, str] = field(default_factory=dict)  # every LLT incl. PT=LLT
    llt_current: dict[str, bool] = field(default_factory=dict)
    primary_soc: dict[str, str] = field(default_factory=dict)  # PT -> SOC
    parents: dict[str, list[str]] = field(default_factory=dict)  # child -> parents

    def broader(self, code: str) -> list[str]:
        """Direct broader codes: LLT -> PT, PT -> HLTs, HLT -> HLGTs, HLGT -> SOCs."""
        if self.level.get(code) == "LLT":
            return [self.llt_pt[code]]
        return self.parents.get(code, [])

    def ancestors(self, code: str) -> set[str]:
        """All codes above `code` (multi-axial: every SOC path, not just primary)."""
        seen: set[str] = set()
        stack = list(self.broader(code))
        while stack:
            c = stack.pop()
            if c not in seen:
                seen.add(c)
                stack.extend(self.broader(c))
        return seen

    def pt_of(self, code: str) -> str | None:
        """The PT a PT or LLT code belongs to (None for SOC/HLGT/HLT codes)."""
        return self.llt_pt.get(code) if code in self.llt_pt else None

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(LEVELS, 0)
        for lvl in self.level.values():
            out[lvl] += 1
        out["LLT"] = len(self.llt_pt)  # LLT count includes the PT=LLT records
        return out


def find_distribution(path: str | Path) -> Path:
    """The folder holding the `.asc` files: `path` itself or its `MedAscii/`."""
    p = Path(path)
    if not p.is_dir():
        raise UsageError("MedDRA distribution folder not found", path=p)
    for candidate in (p, p / "MedAscii", p / "medascii"):
        if (candidate / "llt.asc").is_file():
            return candidate
    raise InputError("no llt.asc here: expected a MedDRA ASCII distribution "
                     "(the MedAscii folder)", path=p)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read MedDRA file ({exc.strerror})",
                         path=path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older English releases are Latin-1; every byte decodes, so this never fails.
        return data.decode("latin-1")


def _records(folder: Path, name: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each non-empty record of one `$`-delimited file."""
    path = folder / name
    if not path.is_file():
        raise InputError(f"missing MedDRA file {name}", path=folder)
    minimum = _REQUIRED[name]
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split("$")
        if len(fields) < minimum or not fields[0].strip().isdigit():
            raise InputError(f"expected at least {minimum} '$'-separated fields "
                             "starting with a numeric code", path=path, line=number)
        yield number, [f.strip() for f in fields]


def _release(folder: Path) -> tuple[str | None, str | None]:
    """(version, language) from the release file, if the distribution has one."""
    for name in _RELEASE_FILES:
        path = folder / name
        if path.is_file():
            for line in _read_text(path).splitlines():
                fields = [f.strip() for f in line.split("$")]
                if fields and fields[0]:
                    return fields[0], (fields[1] or None) if len(fields) > 1 else None
    return None, None


def load_meddra(path: str | Path, version: str | None = None) -> Meddra:
    """Load a MedDRA ASCII distribution.

    Args:
        path: the distribution folder (or its parent holding `MedAscii/`).
        version: used when the distribution has no release file; if both exist and
            differ, the release file is wrong or the wrong folder was given: error.

    Returns:
        The release as dictionaries; hierarchy from the link files, primary SOC from
        `pt.asc` (checked against `mdhier.asc` when present).
    """
    folder = find_distribution(path)
    found, language = _release(folder)
    if found and version and found != version:
        raise UsageError(f"--meddra-version {version} but the distribution says "
                         f"{found}", path=folder / _RELEASE_FILES[0])
    if not (found or version):
        raise UsageError("the distribution has no meddra_release.asc; give the "
                         "MedDRA version (--meddra-version)", path=folder)
    m = Meddra(version=found or str(version), language=language, path=str(folder))
    for name, lvl in (("soc.asc", "SOC"), ("hlgt.asc", "HLGT"), ("hlt.asc", "HLT")):
        for _, f in _records(folder, name):
            m.names[f[0]] = f[1]
            m.level[f[0]] = lvl
    pt_lines: dict[str, int] = {}
    for number, f in _records(folder, "pt.asc"):
        m.names[f[0]] = f[1]
        m.level[f[0]] = "PT"
        pt_lines[f[0]] = number
        if f[3]:
            m.primary_soc[f[0]] = f[3]
    for number, f in _records(folder, "llt.asc"):
        code, pt = f[0], f[2]
        if pt not in pt_lines:
            raise InputError(f"LLT {code} points to unknown PT {pt}",
                             path=folder / "llt.asc", line=number)
        m.llt_pt[code] = pt
        m.llt_current[code] = f[9].upper() != "N"
        if code != pt:  # the PT's own LLT record shares the PT's code and concept
            m.names[code] = f[1]
            m.level[code] = "LLT"
    for name, child_level, parent_level in (("soc_hlgt.asc", "HLGT", "SOC"),
                                            ("hlgt_hlt.asc", "HLT", "HLGT"),
                                            ("hlt_pt.asc", "PT", "HLT")):
        for number, f in _records(folder, name):
            parent, child = f[0], f[1]
            if m.level.get(parent) != parent_level or m.level.get(child) != child_level:
                raise InputError(f"link {parent}->{child} does not join a "
                                 f"{parent_level} to a {child_level}",
                                 path=folder / name, line=number)
            m.parents.setdefault(child, []).append(parent)
    for codes in m.parents.values():
        codes.sort()
    _check_primary(m, folder, pt_lines)
    if (folder / "smq_list.asc").is_file():  # SMQs ship separately; optional
        for _, f in _records(folder, "smq_list.asc"):
            m.names[f[0]] = f[1]
            m.level[f[0]] = "SMQ"
    return m


def _check_primary(m: Meddra, folder: Path, pt_lines: dict[str, int]) -> None:
    """Every PT has a primary SOC among its own SOCs; mdhier agrees if present."""
    hier = folder / "mdhier.asc"
    if hier.is_file():
        for number, line in enumerate(_read_text(hier).splitlines(), start=1):
            f = [x.strip() for x in line.split("$")]
            if len(f) < 12 or f[11].upper() != "Y":
                continue
            pt, soc = f[0], f[3]
            stated = m.primary_soc.setdefault(pt, soc)
            if stated != soc:
                raise InputError(f"primary SOC of PT {pt} is {soc} here but "
                                 f"{stated} in pt.asc", path=hier, line=number)
    for pt, line in sorted(pt_lines.items()):
        soc = m.primary_soc.get(pt)
        if soc is None:
            raise InputError(f"PT {pt} has no primary SOC", path=folder / "pt.asc",
                             line=line)
        socs = {c for c in m.ancestors(pt) if m.level.get(c) == "SOC"}
        if soc not in socs:
            raise InputError(f"primary SOC {soc} of PT {pt} is not one of its SOCs "
                             f"({', '.join(sorted(socs)) or 'none'})",
                             path=folder / "pt.asc", line=line)
