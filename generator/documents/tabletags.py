"""One tagged table however many pages it runs on.

WeasyPrint 68.1 builds the PDF's structure tree page by page, so a table that turns a page is
two `Table` elements (and the sections around it two `Sect`s), the second starting with the
repeated header: a screen reader announces two tables. This joins them again, in the finished
PDF's objects (a `write_pdf` finisher), before they are written: where two neighbouring
elements of the same kind end and start with a `Table` at the same depth, they are the two
halves of one element cut by a page; the second half's children move into the first, and the
repeated header row group (`THead`) of the second table is left out of the tree.
"""

from __future__ import annotations

from typing import Any


def join_split_tables(pdf: Any) -> None:
    """Join the halves of every table (and of the elements around it) cut by a page turn."""
    import pydyf

    def resolve(item: Any) -> Any:
        if isinstance(item, pydyf.Dictionary):
            return item
        if isinstance(item, bytes | str) and str(item if isinstance(item, str) else
                                                  item.decode()).endswith(" 0 R"):
            number = int(str(item if isinstance(item, str) else item.decode()).split()[0])
            found = pdf.objects[number]
            return found if isinstance(found, pydyf.Dictionary) else None
        return None

    def elements(node: Any) -> list[Any]:
        kids = node.get("K")
        return [e for e in (resolve(k) for k in kids) if e is not None and "S" in e] if (
            isinstance(kids, pydyf.Array)) else []

    def chain(node: Any, last: bool) -> list[Any]:
        """The node, then its last (or first) structure child, down to a leaf."""
        found = [node]
        while kids := elements(found[-1]):
            found.append(kids[-1] if last else kids[0])
        return found

    def halves(first: Any, second: Any) -> bool:
        if first["S"] != second["S"] or first.get("Pg") == second.get("Pg"):
            return False
        for a, b in zip(chain(first, True), chain(second, False), strict=False):
            if a["S"] != b["S"]:
                return False
            if a["S"] == "/Table":
                return True
        return False

    def join(first: Any, second: Any) -> None:
        moved = list(second["K"])
        if first["S"] == "/Table" and elements(second) and elements(second)[0]["S"] == "/THead":
            header = elements(second)[0]
            moved = [k for k in moved if resolve(k) is not header]
        for kid in moved:
            element = resolve(kid)
            if element is not None and "S" in element:
                element["P"] = first.reference
        seam = len(elements(first))
        first["K"].extend(moved)
        second["K"] = pydyf.Array()
        tidy(first, start=max(seam - 1, 0))

    def tidy(node: Any, start: int = 0) -> None:
        index = start
        while True:
            kids = elements(node)
            if index + 1 >= len(kids):
                break
            if halves(kids[index], kids[index + 1]):
                join(kids[index], kids[index + 1])
                node["K"] = pydyf.Array(k for k in node["K"] if resolve(k) is not kids[index + 1])
            else:
                index += 1
        for kid in elements(node):
            tidy(kid)

    root = resolve(pdf.catalog.get("StructTreeRoot"))
    if root is not None:
        for document in elements(root):
            tidy(document)
