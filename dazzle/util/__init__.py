"""Helpers every stage may use and that know nothing of DAZZLE's language or build: atomic file
writes (``files``) and the garbage-collector pause for big object graphs (``collector``)."""
