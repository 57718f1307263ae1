"""Reference data about countries and regions: names, facts, regional tables (shipped CSVs here)."""
