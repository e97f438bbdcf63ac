"""What the web page shows, as data and HTML, with no Gradio in it (``app.py`` wires these to components).

``form``: the page's fields read into facts (an empty field is not given; errors name the field);
``card``: the answer card (the answer, the license verdict, what needs the user's answer, what to do next);
``views``: the ranked list, findings and license detail under the card; ``batch``: the Batch tab's review
(summary, filterable table, file-wide facts, template); ``ccl``: the CCL browser; ``style``: the page's CSS.
"""
