"""Builders: the pipeline that turns seed texts and their annotations into the released dataset.

Steps, each a plain function over plain records (see ``pipeline.build``):
read seeds -> read annotations -> resolve quotes to spans -> validate rows -> write the release.
"""
