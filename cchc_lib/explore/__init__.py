"""Exploring an assessment between reports: ``cchc explore``.

The modules, in the order the data flows through them:

* ``filters`` — which targets and tasks are shown (``fold``, ``masks``, ``selection``);
* ``whatif`` — ``what_if``: ``assess`` run again with one target's value overridden;
* ``export`` — ``export_selection``: the tables shown, to Excel or CSV (formulas defused);
* ``words`` — the interface's words in Vietnamese and English;
* ``dashboard`` — the ipywidgets ``Dashboard`` (with ``cache``, ``panes``, ``detail``,
  ``markup`` for its assessments and tabs; styles in ``static/dashboard.css``);
* ``serve`` — the notebook served by Voilà or JupyterLab, behind a token and a Host check
  (the offline Voilà template is package data under ``jupyter/``).
"""
