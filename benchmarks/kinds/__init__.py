"""The task kinds, one module each (``task.TaskKind``): document pairs, claim pairs, spans."""
