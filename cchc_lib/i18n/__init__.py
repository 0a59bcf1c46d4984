"""Words and number formats of the two report languages (Vietnamese, English)."""

from cchc_lib.i18n.catalog import LANGS, CatalogueError, lookup, t, table, word

__all__ = ["LANGS", "CatalogueError", "lookup", "t", "table", "word"]
