"""atlas: a historical atlas generator, one map page per period."""

__version__ = "0.1.0"
