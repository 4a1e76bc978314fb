"""kindreply: rewrite support replies into empathetic, positive, respectful ones, keeping every fact."""

__version__ = "0.1.0"
