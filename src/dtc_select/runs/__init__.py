"""Writing a run's outputs atomically, run folders, verify and diff."""
