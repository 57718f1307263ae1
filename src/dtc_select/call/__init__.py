"""The call file: its model, loading and checking (every error names file and key), vocabulary."""
