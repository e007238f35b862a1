"""DAZZLE: a declarative application spec in, a complete web application out."""

__version__ = "0.2.0"
