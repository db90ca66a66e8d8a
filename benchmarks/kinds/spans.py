"""Boilerplate detection: a system returns the boilerplate spans of each text (``boilerplate_systems``),
scored at the character, exact-span, overlap-span and line level (micro-averaged over the texts).
"""

from pathlib import Path

from wirecopy.core.errors import InputError

from .. import boilerplate_systems, metrics
from ..predictions import jsonl_records, record_field
from ..task import Task, TaskData, TaskKind
from .document_pairs import prefixed

Spans = dict[str, list[tuple[int, int]]]


class SpanKind(TaskKind):
    name = "spans"
    systems = boilerplate_systems.SYSTEMS
    table_columns = ("char_precision", "char_recall", "char_f1", "span_exact_f1", "span_overlap_f1", "line_f1")
    prediction_format = '{"article_id": "...", "spans": [[start, end], ...]}  (code-point offsets, half-open, not overlapping)'

    def predict(self, system: str, texts: dict[str, str]) -> Spans:
        return {doc_id: self.systems[system](text) for doc_id, text in texts.items()}

    def evaluate(self, task: Task, data: TaskData, predicted: Spans) -> dict:
        totals: dict[str, dict[str, int]] = {}
        for doc_id in sorted(data.texts):
            gold, pred = data.gold_spans[doc_id], predicted[doc_id]
            for level, counts in (
                ("char", metrics.char_prf(gold, pred)),
                ("span_exact", metrics.span_prf(gold, pred, mode="exact")),
                ("span_overlap", metrics.span_prf(gold, pred, mode="overlap")),
                ("line", metrics.line_prf(data.texts[doc_id], gold, pred)),
            ):
                total = totals.setdefault(level, {"tp": 0, "fp": 0, "fn": 0, "tp_gold": 0})
                for key in total:
                    total[key] += counts.get(key, counts["tp"] if key == "tp_gold" else 0)
        return {name: value for level, total in totals.items() for name, value in prefixed(level, metrics.prf_from_counts(**total)).items()}

    def read_predictions(self, path: Path, task: Task, data: TaskData, threshold: float) -> Spans:
        """One line per text. Spans of one text must not overlap (touching is fine): overlapping spans
        are refused rather than merged, since a merge would change the span-level scores behind the
        system's back."""
        predicted: Spans = {}
        for number, record in jsonl_records(path):
            doc_id = record_field(path, number, record, "article_id", str)
            if doc_id not in data.texts:
                raise InputError(str(path), f"line {number}", "article_id", f"unknown id {doc_id!r} for task {task.name}")
            if doc_id in predicted:
                raise InputError(str(path), f"line {number}", "article_id", f"{doc_id} given twice")
            spans = []
            for span in record_field(path, number, record, "spans", list):
                if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in span)
                        and 0 <= span[0] < span[1] <= len(data.texts[doc_id])):
                    raise InputError(str(path), f"line {number}", "spans", f"not a [start, end) inside the text: {span!r}")
                spans.append((span[0], span[1]))
            spans.sort()
            for before, after in zip(spans, spans[1:]):
                if after[0] < before[1]:
                    raise InputError(str(path), f"line {number}", "spans", f"spans {list(before)} and {list(after)} overlap; merge them into one")
            predicted[doc_id] = spans
        missing = sorted(set(data.texts) - set(predicted))
        if missing:
            raise InputError(str(path), "-", "-", f"{len(missing)} article(s) missing, first {missing[0]}")
        return predicted


SPANS = SpanKind()
