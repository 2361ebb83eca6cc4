"""Desktop Album: a private, local photo manager with natural-language search."""

__version__ = "0.1.0"
