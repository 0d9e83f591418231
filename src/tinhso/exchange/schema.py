"""Validation against the project's edXML schema (``schema/edxml-tinhso.xsd``).

What we send must match it exactly. What we receive is first stripped of the elements the schema does
not name (other builders add their own, §8.2 "also seen"), then validated: a package missing a
required part, with a bad date or an unknown status code is refused; one with extra parts is read.
The stripped names are returned so the exchange log can say what was ignored.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

from lxml import etree

from tinhso.exchange.edxml import DSIG, NS, EdxmlError

_SCHEMA_PATH = Path(__file__).with_name("schema") / "edxml-tinhso.xsd"


@functools.cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(_SCHEMA_PATH)))


@functools.cache
def _known_names() -> frozenset[str]:
    """Every element name the schema declares (local names; edXML and the DSig placeholder)."""
    tree = etree.parse(str(_SCHEMA_PATH))
    names = {el.get("name") for el in tree.iter("{http://www.w3.org/2001/XMLSchema}element") if el.get("name")}
    return frozenset(names)


def _errors(schema: etree.XMLSchema) -> str:
    return "; ".join(f"dòng {e.line}: {e.message}" for e in list(schema.error_log)[:5])


def validate_sent(root: etree._Element) -> None:
    """Raise ``EdxmlError`` when a package we built does not match the schema (a bug on our side)."""
    schema = _schema()
    if not schema.validate(root):
        raise EdxmlError(f"Gói tin không đúng lược đồ edXML: {_errors(schema)}", code="edxml_schema")


def validate_received(root: etree._Element) -> list[str]:
    """Validate a received package; return the names of the unknown elements set aside."""
    known = _known_names()
    tree = copy.deepcopy(root)
    ignored: list[str] = []
    for el in list(tree.iter()):
        if not isinstance(el.tag, str):
            el.getparent().remove(el)  # comments and processing instructions
            continue
        qname = etree.QName(el)
        if qname.namespace == DSIG:
            continue
        if qname.localname not in known or qname.namespace not in (NS, None):
            parent = el.getparent()
            if parent is not None and not _inside_signature(el):
                ignored.append(qname.localname)
                parent.remove(el)
    _normalise_namespace(tree)
    schema = _schema()
    if not schema.validate(tree):
        raise EdxmlError(f"Gói tin không đúng cấu trúc edXML: {_errors(schema)}", code="edxml_schema")
    return sorted(set(ignored))


def _inside_signature(el) -> bool:
    parent = el.getparent()
    while parent is not None:
        if isinstance(parent.tag, str) and etree.QName(parent).namespace == DSIG:
            return True
        parent = parent.getparent()
    return False


def _normalise_namespace(tree) -> None:
    """Some builders write ``AttachmentEncoded`` without a namespace (the §8.2 sample relies on a default
    namespace): read both spellings as the edXML element."""
    for el in tree.iter():
        if isinstance(el.tag, str) and etree.QName(el).namespace is None:
            el.tag = f"{{{NS}}}{etree.QName(el).localname}"
