"""coreform: multi-agency core group monitoring records."""

__version__ = "0.1.0"
