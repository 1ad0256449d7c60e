"""``sroi app``: a local web page for commissioners.

Choose a pilot site, or answer the questions of ``sroi replicate`` about a
new area; the page runs the model and shows what the service costs, what it
returns to whom and how sure that is, next to the four pilot sites, and
offers the scenario file, the HTML report and the Excel workbook to take
away.  It serves 127.0.0.1 only and requests nothing from elsewhere.

* :mod:`~sroi.app.fields`: the form's fields (the replicate questions, with units and help);
* :mod:`~sroi.app.example`: the worked example of docs/replicate.md, as the form sends it;
* :mod:`~sroi.app.form`: reading a submitted form, each problem pinned to its field;
* :mod:`~sroi.app.proposal`: the scenario text a form names;
* :mod:`~sroi.app.compute`: the run, its figures and the comparison with the pilots;
* :mod:`~sroi.app.charts`: the charts, as PNG data URIs;
* :mod:`~sroi.app.downloads`: the scenario file, report and workbook, in memory;
* :mod:`~sroi.app.page`: what the page template prints;
* :mod:`~sroi.app.server`: the Starlette application and :func:`serve`.

It needs the ``app`` extra: ``pip install 'sroi[app]'``.  See ``docs/app.md``.
"""
