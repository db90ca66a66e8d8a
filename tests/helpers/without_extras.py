"""Run ``python without_extras.py -c CODE`` or ``... -m wirecopy ARGS`` as if only the core of wirecopy
were installed: importing any library of an extra (bench, explore, validate, scale, spark; embeddings is
never installed by the tests) fails."""

import importlib.abc
import runpy
import sys

EXTRAS = ("sklearn", "rensa", "rapidfuzz", "bm25s", "model2vec", "tokenlearn_static_model", "trafilatura", "justext", "lxml_html_clean", "readability", "resiliparse", "jinja2", "markupsafe", "mlcroissant", "datasketch", "pyspark")


class _Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in EXTRAS:
            raise ModuleNotFoundError(f"No module named {name!r} (an extra, absent in this test)", name=name)
        return None


sys.meta_path.insert(0, _Absent())
mode, target, *arguments = sys.argv[1:]
sys.argv = [target, *arguments]
if mode == "-c":
    exec(compile(target, "<test>", "exec"), {"__name__": "__main__"})
else:
    runpy.run_module(target, run_name="__main__", alter_sys=True)
