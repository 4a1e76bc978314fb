"""The rewrite pipeline: one module per stage, in the order they run (``pipeline`` runs them)."""
