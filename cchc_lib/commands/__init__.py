"""The commands of ``cchc``, one module per family (parsing and messages only; the work is in
cchc_lib): ``options`` (values checked before any work starts), ``plan``, ``progress``,
``report``, ``explore``. ``cchc_lib.cli`` assembles them with the city's (``city.commands``).
"""
