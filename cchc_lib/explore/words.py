"""The words of the dashboard's interface (``L[lang][key]``), from the message catalogue
(``cchc_lib/i18n/{vi,en}.toml``, table ``dashboard``)."""

from __future__ import annotations

from cchc_lib import i18n

L = i18n.table("dashboard")
