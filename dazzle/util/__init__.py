"""Helpers every stage may use and that know nothing of DAZZLE's language or build: atomic file
writes (``files``), pickling of what crosses a task boundary (``pickles``), the
garbage-collector pause for big object graphs (``collector``) and cycles in a graph (``graphs``)."""
