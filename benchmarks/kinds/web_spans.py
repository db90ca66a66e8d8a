"""Boilerplate on real web pages: a system gets each page's HTML and visible text and returns the article
body it extracts (``web_boilerplate_systems``), as the field's extractors work. Scored twice:

- our span metrics (``spans.SpanKind``) on the visible text: the extracted body is aligned onto it the
  way the gold body was (``import_web_pages.align_body``), and boilerplate is everything else;
- the article-extraction benchmark's own body metric on the extracted text itself (4-word shingles,
  precision and recall averaged over pages: ``metrics.body_token_average``), so that our numbers can be
  held against its published table.

A user's predictions are spans on the visible text (as for ``boilerplate_detection``); their body is
the text less those spans.
"""

from dataclasses import dataclass
from pathlib import Path

from wirecopy.builders.import_web_pages import align_body
from wirecopy.core.text import remove_spans

from .. import metrics, web_boilerplate_systems
from ..task import Task, TaskData
from .document_pairs import prefixed
from .spans import Spans, SpanKind


@dataclass(frozen=True)
class WebPrediction:
    spans: Spans  # boilerplate spans on each page's visible text
    bodies: dict[str, str]  # each page's extracted body, as the system gave it


class WebSpanKind(SpanKind):
    name = "web_spans"
    systems = web_boilerplate_systems.SYSTEMS
    table_columns = (*SpanKind.table_columns, "body_precision", "body_recall", "body_f1")

    def inputs(self, data: TaskData, variant: str) -> dict[str, tuple[str, str]]:
        return {page: (data.html[page], text) for page, text in data.texts.items()}

    def predict(self, system: str, inputs: dict[str, tuple[str, str]]) -> WebPrediction:
        bodies = {page: self.systems[system](html, text) for page, (html, text) in inputs.items()}
        spans = {page: align_body(text, bodies[page])[1] for page, (_, text) in inputs.items()}
        return WebPrediction(spans, bodies)

    def evaluate(self, task: Task, data: TaskData, predicted: WebPrediction) -> dict:
        body = metrics.body_token_average(metrics.body_token_prf(data.gold_bodies[page], predicted.bodies[page]) for page in sorted(data.texts))
        return {**super().evaluate(task, data, predicted.spans), **prefixed("body", body)}

    def read_predictions(self, path: Path, task: Task, data: TaskData, threshold: float) -> WebPrediction:
        spans = super().read_predictions(path, task, data, threshold)
        return WebPrediction(spans, {page: remove_spans(data.texts[page], spans[page]) for page in spans})


WEB_SPANS = WebSpanKind()
