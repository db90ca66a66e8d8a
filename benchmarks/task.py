"""What a task is (data + gold + metric, declared once in ``tasks.py``) and what a task *kind* is: the
systems, input variants, prediction format, evaluation and table columns that tasks of one kind
share (like MTEB's abstract task types). Each kind is one module in ``kinds/``; the runner, the CLI
and the explorer only talk to this interface, so adding a kind is one new module plus its tasks.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class TaskData:
    """What systems see (``texts``) and what only the scorer sees (the gold)."""

    texts: dict[str, str]
    gold_spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)  # item -> its article (claims) or itself
    gold_clusters: dict[str, str] = field(default_factory=dict)  # a partition of the items, where the gold is one
    gold_pairs: frozenset[tuple[str, str]] | None = None  # the matching pairs, where the gold is no partition
    grades: dict[tuple[str, str], int] = field(default_factory=dict)  # graded pair relations, if any
    hard_negatives: set[tuple[str, str]] = field(default_factory=set)
    html: dict[str, str] = field(default_factory=dict)  # each text's web page, where the texts are pages
    gold_bodies: dict[str, str] = field(default_factory=dict)  # each page's article body, as its source gives it


class TaskKind(ABC):
    """The behaviour every task of one kind shares. Subclasses set the class attributes and implement
    ``predict``, ``evaluate`` and ``read_predictions``."""

    name: str  # as `wirecopy bench list` shows it
    systems: Mapping[str, Callable]  # the baselines: name -> plain function
    skipped: Mapping[str, str] = {}  # optional baselines that cannot run here: name -> why (a missing extra)
    table_columns: tuple[str, ...]  # the metrics results.md shows (the JSON has every metric)
    prediction_format: str  # one line of JSONL, for `wirecopy bench score --help`
    input_variants: tuple[str, ...] = ("-",)  # what the texts a system sees are cleaned of ("-": as released)
    pairwise: bool = False  # systems score pairs: thresholds, precision-recall curves and heatmaps apply

    def inputs(self, data: TaskData, variant: str) -> dict[str, object]:
        """What a system sees of each item in input variant ``variant`` (here: the texts)."""
        return data.texts

    @abstractmethod
    def predict(self, system: str, inputs: dict[str, object]) -> object:
        """Run baseline ``system`` on the inputs; its prediction, as ``evaluate`` takes it."""

    @abstractmethod
    def evaluate(self, task: "Task", data: TaskData, prediction: object) -> dict:
        """Every metric of ``prediction`` against the gold."""

    @abstractmethod
    def read_predictions(self, path: Path, task: "Task", data: TaskData, threshold: float) -> object:
        """A user's predictions file (``prediction_format``) as a prediction; ``InputError`` naming line and field."""


@dataclass(frozen=True)
class Task:
    name: str
    kind: TaskKind
    description: str
    configs: tuple[str, ...]
    primary_metric: str
    load: Callable[[Path, str], TaskData]  # (release folder, split) -> the data of that split
    requires_all_pairs: bool = True
    # Scores come from "test"; a pairwise task with a "validation" split also reports each system at
    # the threshold that maximises pairwise F1 on validation, beside its a-priori threshold.
    splits: tuple[str, ...] = ("test",)
    input_variants: tuple[str, ...] | None = None  # the kind's variants that apply (None: all)

    @property
    def variants(self) -> tuple[str, ...]:
        return self.input_variants or self.kind.input_variants
