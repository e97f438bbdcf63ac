"""Gradio page: ``python app.py`` serves on 127.0.0.1:7860 (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT honoured).

Nothing is exposed to other hosts unless GRADIO_SERVER_NAME says so. Set ECCN_APP_AUTH="user:password"
to require a login.
"""

from __future__ import annotations

import os

import gradio as gr

from classifier.cli import NOT_LEGAL_ADVICE
from classifier.corpus import Corpus, UnknownId
from classifier.show import describe, render_text


def build_app(corpus: Corpus | None = None) -> gr.Blocks:
    corpus = corpus or Corpus()

    def lookup(text: str) -> str:
        if not text or not text.strip():
            return "Type an ECCN or paragraph id, e.g. 5A002 or 3A001.a.5.b.2."
        try:
            return render_text(describe(corpus, text))
        except UnknownId as err:
            return str(err)

    info = corpus.info()
    with gr.Blocks(title="ECCN classification assistant") as app:
        gr.Markdown(
            f"# ECCN classification assistant\n**{NOT_LEGAL_ADVICE}**\n\n"
            f"Commerce Control List edition {info['edition']}: {info['eccns']} ECCNs, {info['paragraphs']} paragraphs."
        )
        with gr.Tab("CCL browser"):
            query = gr.Textbox(label="ECCN or paragraph id", placeholder="5A002.a.1")
            show = gr.Button("Show", variant="primary")
            result = gr.Textbox(label="Entry", lines=30, buttons=["copy"])
            show.click(lookup, inputs=query, outputs=result, api_name="show")
            query.submit(lookup, inputs=query, outputs=result)
    return app


def main() -> None:
    user, _, password = os.environ.get("ECCN_APP_AUTH", "").partition(":")
    auth = (user, password) if user and password else None
    build_app().launch(
        server_name=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
        server_port=int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
        auth=auth,
    )


if __name__ == "__main__":
    main()
