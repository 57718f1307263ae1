"""Taking in files: bytes -> text cells -> parsed applications and scores, or quarantine."""
